#!/usr/bin/env node
// The `sgnn` command. Runs the TypeScript sources directly (their types are stripped as they load),
// so `npx sgnn` works right after `npm install` with no build step.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`sgnn needs Node.js 22.18 or newer; this is Node ${process.versions.node}.\n`);
  process.exit(2);
}
// `sgnn … | head`: a closed pipe ends the command quietly, as for any Unix tool.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// TypeScript is stripped on Node's hooks thread, not here (see typescript-hooks.js).
await import('./register-typescript-hooks.js');
const { main } = await import('../src-main/host/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

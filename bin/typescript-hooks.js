// Module hooks (registered by register-typescript-hooks.js): the engine's TypeScript sources are
// stripped of their types here, on Node's hooks thread, instead of by Node in the thread that runs
// them. Why: Node strips types with amaro, a WebAssembly module, and when its memory grows an
// ArrayBuffer is detached; from then on V8 compiles every typed-array access in that thread with
// a detach check, for good. The simulators are typed-array loops: 12–15% slower (measured on the
// direct method and dopri5; test/bench/README.md). Here the detaching happens on the hooks thread,
// which runs no simulation. The output is what Node's own stripping gives (types become spaces, so
// line and column numbers stay right).
import { readFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';

// stripTypeScriptTypes is still marked experimental; its one-time warning would reach the terminal
// of every command. Other warnings pass through.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const text = typeof warning === 'string' ? warning : String(warning?.message);
  if (text.includes('stripTypeScriptTypes')) return;
  return emitWarning.call(process, warning, ...rest);
};

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) {
    const { pathname } = new URL(url);
    if (pathname.endsWith('.ts') && !pathname.includes('/node_modules/')) {
      const source = await readFile(new URL(url), 'utf8');
      return { format: 'module', source: stripTypeScriptTypes(source, { mode: 'strip', sourceUrl: url }), shortCircuit: true };
    }
  }
  return nextLoad(url, context);
}

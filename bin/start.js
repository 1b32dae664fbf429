#!/usr/bin/env node
// `npm start`: opens the desktop app. Until the UI lands, it prints the command line's help.
const { main } = await import('../src-main/host/cli/main.ts');
process.stdout.write('SGNN Studio: the desktop app is not built yet; the engine is available as the `sgnn` command.\n\n');
process.exitCode = await main(['help']);

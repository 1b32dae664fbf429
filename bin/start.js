#!/usr/bin/env node
// `npm start`: builds the app, then opens it in Electron. Where Electron cannot start (its binary
// is not installed and cannot be downloaded, or there is no display), it says why and serves the
// same UI with `sgnn serve`, printing the URL to open in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = join(root, 'node_modules', 'electron');
const say = (text) => process.stdout.write(`${text}\n`);

function build() {
  if (process.env.SGNN_SKIP_BUILD === '1') return;
  say('SGNN Studio: building the app (electron-vite build -c electron.config.ts)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '-c', 'electron.config.ts'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('SGNN Studio: the build failed (see above).\n');
    process.exit(r.status ?? 1);
  }
}

/** The Electron executable, or null; tries the package's own installer once (it downloads when online). */
function electronBinary() {
  const find = () => {
    const pathFile = join(electronDir, 'path.txt');
    if (!existsSync(join(electronDir, 'dist')) || !existsSync(pathFile)) return null;
    const exe = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(exe) ? exe : null;
  };
  if (!existsSync(electronDir)) return { exe: null, why: 'the electron package is not installed (npm install)' };
  let exe = find();
  if (exe) return { exe };
  say('SGNN Studio: Electron\'s binary is not installed; trying to download it once (node node_modules/electron/install.js)…');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'inherit', timeout: 180_000 });
  exe = find();
  return exe ? { exe } : { exe: null, why: 'Electron\'s binary is not installed and could not be downloaded (offline?)' };
}

function noDisplay() {
  if (process.platform !== 'linux') return null;
  return process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? null : 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

async function serveInstead(why) {
  say(`SGNN Studio: cannot open the desktop window: ${why}.`);
  say('Serving the same app for a browser instead (sgnn serve); open the URL below. Stop with Ctrl-C.\n');
  // As bin/sgnn.js: TypeScript stripped on Node's hooks thread (see typescript-hooks.js).
  await import('./register-typescript-hooks.js');
  const { main } = await import('../src-main/host/cli/main.ts');
  process.exitCode = await main(['serve', ...process.argv.slice(2)]);
}

build();
const display = noDisplay();
if (display) {
  await serveInstead(display);
} else {
  const { exe, why } = electronBinary();
  if (!exe) {
    await serveInstead(why);
  } else {
    const child = spawn(exe, [join(root, 'out', 'main', 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0);
    });
  }
}

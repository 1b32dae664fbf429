/**
 * Builds the app (electron-vite) before the end-to-end tests when out/renderer is missing or older
 * than any source it is built from, so `npm test` always tests the current UI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['src-renderer', 'src-main/model', 'src-main/simulate', 'src-main/contract', 'src-main/interop', 'src-main/electron', 'electron.config.ts'];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

export default function setup(): void {
  const built = join(ROOT, 'out/renderer/index.html');
  const stale = !existsSync(built) || SOURCES.some((s) => existsSync(join(ROOT, s)) && newest(join(ROOT, s)) > statSync(built).mtimeMs);
  if (!stale) return;
  process.stderr.write('e2e: building the app (electron-vite build -c electron.config.ts)…\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '-c', 'electron.config.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

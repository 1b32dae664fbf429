/** What the packaged app ships (electron-builder.config.cjs), checked without electron-builder. */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const config = createRequire(import.meta.url)(join(REPO, 'electron-builder.config.cjs')) as { files: string[] };

/** electron-builder's rule: a file ships when a pattern includes it and no later `!` pattern excludes it. */
function ships(file: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) { if (matchesGlob(file, pattern.slice(1))) included = false; } else if (matchesGlob(file, pattern)) included = true;
  }
  return included;
}

describe('packaged files', () => {
  it('ship every module the engine runs from source (TypeScript, and the plain-JS pool worker entry)', () => {
    const engineFiles = readdirSync(join(REPO, 'src-main'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name))
      .map((e) => relative(REPO, join(e.parentPath, e.name)).split('\\').join('/'))
      .filter((f) => !f.startsWith('src-main/electron/')); // bundled into out/main by electron-vite
    expect(engineFiles).toContain('src-main/jobs/worker-entry.js');
    expect(engineFiles.filter((f) => !ships(f))).toEqual([]);
    expect(ships('src-main/electron/main.ts')).toBe(false);
  });
});

// Lint enforces the layering of DESIGN.md §6: pure areas import nothing from Node or Electron,
// only store/ touches SQLite, only electron/ imports Electron.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'stream', 'http', 'https', 'net', 'url', 'module', 'process'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test/bench/c/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron'], message: 'Only src-main/electron/ may import electron.' },
          { group: ['better-sqlite3'], message: 'Only src-main/store/ may touch SQLite.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/model/**', 'src-main/simulate/**', 'src-main/contract/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'model/, simulate/ and contract/ are pure: they also run in the renderer\'s Web Worker.' },
          { group: ['electron', 'better-sqlite3'], message: 'Pure areas import no Electron and no SQLite.' },
          { group: ['**/store/**', '**/jobs/**', '**/host/**', '**/learn/**', '**/electron/**'], message: 'Pure areas import only other pure areas.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Pure code does not touch process.' }, { name: 'require', message: 'ESM only.' }],
    },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/store/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['electron'], message: 'Only src-main/electron/ may import electron.' }] }] },
  },
);

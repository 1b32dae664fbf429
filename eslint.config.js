// Lint enforces the layering of DESIGN.md §6: pure areas import nothing from Node or Electron,
// only store/ touches SQLite, only electron/ imports Electron.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'stream', 'http', 'https', 'net', 'url', 'module', 'process'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test/bench/c/**', 'test/e2e/artifacts/**'] },
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
    // Electron main and preload: Electron and Node, but never engine code (main only forks the
    // engine's utility process and hands out MessagePorts).
    files: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/host/**', '**/store/**', '**/jobs/**', '**/learn/**', '**/model/**', '**/simulate/**', '**/analyze/**', '**/interop/**'], message: 'The Electron shell does not import engine code: it talks to the engine only through the contract.' },
          { group: ['better-sqlite3'], message: 'Only src-main/store/ may touch SQLite.' },
        ],
      }],
    },
  },
  {
    // Tests of the shell's pure modules (security settings, menu) import them by path; the
    // modules themselves only use Electron's types.
    files: ['test/unit/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['better-sqlite3'], message: 'Only src-main/store/ may touch SQLite.' }] }] },
  },
  {
    // The renderer (a browser page and its Web Worker): pure model/simulate/interop code and
    // contract types only; never Node, Electron or the engine's host, store, jobs or learning code.
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node modules.' },
          { group: ['electron', 'better-sqlite3'], message: 'The renderer reaches Electron only through window.sgnn (the preload bridge).' },
          { group: ['**/host/**', '**/store/**', '**/jobs/**', '**/learn/**', '**/electron/**', '**/analyze/**'], message: 'The renderer reaches the engine only through the contract.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The renderer does not touch process.' }, { name: 'require', message: 'ESM only.' }],
    },
  },
  {
    files: ['src-main/store/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['electron'], message: 'Only src-main/electron/ may import electron.' }] }] },
  },
);

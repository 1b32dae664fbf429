/**
 * electron-vite build of the desktop app: `electron-vite build -c electron.config.ts`.
 *
 *   main      src-main/electron/main.ts     → out/main/main.js (ESM; imports only electron + node)
 *   preload   src-main/electron/preload.ts  → out/preload/preload.cjs (CommonJS: sandboxed preloads cannot be ESM)
 *   renderer  src-renderer/index.html       → out/renderer/ (also what `sgnn serve` serves)
 *
 * The engine host is not bundled: main forks src-main/host/transports/utility-process.ts in an
 * Electron utility process, which runs the TypeScript sources directly (Node strips the types).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      lib: { entry: resolve(root, 'src-main/electron/main.ts'), formats: ['es'] },
      rolldownOptions: { output: { entryFileNames: 'main.js' } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Sandboxed preloads run as classic scripts: one self-contained CommonJS file.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src-main/electron/preload.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { format: 'cjs', entryFileNames: 'preload.cjs', codeSplitting: false } },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [svelte()],
    worker: { format: 'es' },
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 2000,
      // Fonts and images as files, never data: URIs, so the CSP needs no `data:` for fonts.
      assetsInlineLimit: 0,
      minify: true,
      rolldownOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
});

import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
        },
      },
      {
        // Renderer state classes (.svelte.ts runes) and components (server-rendered markup).
        extends: true,
        plugins: [svelte()],
        test: { name: 'renderer', include: ['test/unit/renderer/**/*.test.ts'] },
      },
      {
        // The app in Debian's Chromium against `sgnn serve`; builds the app first when stale.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One vitest run covers every package's tests (beside the code) and the
// cross-package tests in tests/. Benchmarks run separately (npm run bench).
export default defineConfig({
  // Tests run on the TypeScript sources of the workspace packages, not their builds.
  resolve: {
    alias: {
      // Before '@fairio/ngff', which would otherwise match it as a prefix.
      '@fairio/ngff/browser': fileURLToPath(new URL('./ngff/src/browser.ts', import.meta.url)),
      '@fairio/ngff/errors': fileURLToPath(new URL('./ngff/src/errors.ts', import.meta.url)),
      '@fairio/ngff/basics': fileURLToPath(new URL('./ngff/src/basics.ts', import.meta.url)),
      '@fairio/ngff/summary': fileURLToPath(new URL('./ngff/src/summary.ts', import.meta.url)),
      '@fairio/ngff/worker': fileURLToPath(new URL('./ngff/src/blocks/worker.ts', import.meta.url)),
      '@fairio/ngff/kernels': fileURLToPath(new URL('./ngff/src/kernels/index.ts', import.meta.url)),
      '@fairio/ngff': fileURLToPath(new URL('./ngff/src/index.ts', import.meta.url)),
      '@fairio/provenance/browser': fileURLToPath(new URL('./provenance/src/browser.ts', import.meta.url)),
      '@fairio/provenance/vocabulary': fileURLToPath(new URL('./provenance/src/vocabulary.ts', import.meta.url)),
      '@fairio/provenance': fileURLToPath(new URL('./provenance/src/index.ts', import.meta.url)),
      '@fairio/model-runner/browser': fileURLToPath(new URL('./model-runner/src/browser.ts', import.meta.url)),
      '@fairio/model-runner/nodes': fileURLToPath(new URL('./model-runner/src/nodes.ts', import.meta.url)),
      '@fairio/model-runner': fileURLToPath(new URL('./model-runner/src/index.ts', import.meta.url)),
      '@fairio/galaxy-tools/catalogue': fileURLToPath(new URL('./galaxy-tools/src/catalogue.ts', import.meta.url)),
      '@fairio/galaxy-tools': fileURLToPath(new URL('./galaxy-tools/src/index.ts', import.meta.url)),
      '@fairio/workflows': fileURLToPath(new URL('./workflows/src/index.ts', import.meta.url)),
      'jupyterlab-fairio': fileURLToPath(new URL('./jupyterlab-ext/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'tests/bench/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

// SharedArrayBuffer in the bench page needs cross-origin isolation.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: '.',
  server: { headers: crossOriginIsolation, fs: { allow: ['.'] } },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  build: {
    outDir: 'dist/page',
    target: 'es2022',
    rollupOptions: { input: { bench: 'bench/index.html' } },
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // SwiftShader and the worker pools already use both cores; test files run one at a time.
    fileParallelism: false,
  },
});

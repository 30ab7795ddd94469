import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** `/` is the bench page, from the dev server (`npm run page`) and from `vite preview` of a build. */
const rootIsBenchPage: Connect.NextHandleFunction = (req, _res, next) => {
  if (req.url === '/' || req.url?.startsWith('/?')) req.url = `/bench/index.html${req.url.slice(1)}`;
  next();
};
const benchPageAtRoot: Plugin = {
  name: 'preexec:bench-page-at-root',
  configureServer: (server) => { server.middlewares.use(rootIsBenchPage); },
  configurePreviewServer: (server) => { server.middlewares.use(rootIsBenchPage); },
};

// SharedArrayBuffer in the bench page needs cross-origin isolation.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: '.',
  plugins: [benchPageAtRoot],
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

// A reusable headless-Chromium harness for tests and benchmarks: starts the
// repo's Vite dev server (its vite.config.ts, a free port), launches the
// system Chromium with WebGPU on (SwiftShader where there is no GPU), opens a
// page and evaluates exported functions of TypeScript modules inside it.
//
//   const h = await startBrowserHarness();
//   const out = await h.evaluateModule<string>('/test/browser/merkle-page.ts', 'run', arg);
//   await h.close();
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM = process.env.PREEXEC_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for headless WebGPU (playwright adds --user-data-dir itself). `software`
 * pins SwiftShader; by default it is on unless PREEXEC_HARDWARE_GPU is set (a GPU host).
 */
export function chromiumArgs(software = !process.env.PREEXEC_HARDWARE_GPU): string[] {
  const args = [
    '--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  ];
  if (software) args.push('--use-webgpu-adapter=swiftshader');
  return args;
}

export interface BrowserHarness {
  /** The dev server's origin, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  page: Page;
  browser: Browser;
  server: ViteDevServer;
  /** Browser console lines so far (errors included), for failure messages. */
  consoleLines: string[];
  /**
   * Imports `modulePath` (a path from the repo root, e.g. '/test/browser/x.ts')
   * in the page and returns `await module[exportName](arg)`; the result must
   * be structured-cloneable (strings, numbers, plain objects); `arg` goes as JSON.
   */
  evaluateModule<T>(modulePath: string, exportName?: string, arg?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startBrowserHarness(opts: { pagePath?: string } = {}): Promise<BrowserHarness> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const server = await createServer({
    configFile: `${root}vite.config.ts`,
    root,
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // No dependency discovery: a mid-test re-optimisation would reload the page.
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  let browser: Browser | undefined;
  try {
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('vite dev server has no TCP address');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });
    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    await page.goto(`${baseUrl}${opts.pagePath ?? '/test/browser/index.html'}`);
    const b = browser;
    return {
      baseUrl,
      page,
      browser: b,
      server,
      consoleLines,
      async evaluateModule<T>(modulePath: string, exportName = 'run', arg?: unknown): Promise<T> {
        try {
          // A source string, not a function: test runners rewrite import() inside functions.
          const source = `(async () => { const m = await import(${JSON.stringify(modulePath)}); return m[${JSON.stringify(exportName)}](${JSON.stringify(arg ?? null)}); })()`;
          return await page.evaluate(source) as T;
        } catch (e) {
          const tail = consoleLines.slice(-10).join('\n');
          throw new Error(`${(e as Error).message}${tail ? `\nbrowser console:\n${tail}` : ''}`);
        }
      },
      async close() {
        await b.close().catch(() => undefined);
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw e;
  }
}

// `npm run bench:chrome`: serves the benchmark page with Vite, runs it in
// headless Chromium (/usr/bin/chromium) through playwright-core, prints its
// tables and saves bench/out/chrome.json and bench/out/chrome.png.
//   tsx bench/chrome.ts [--query 'txs=256&sizes=64,256'] [--timeout SECONDS] [--gpu] [--built]
// --gpu drops the SwiftShader flags so a real GPU host uses its GPU;
// --built runs the production build (vite build, then vite preview) instead of the dev server.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PageResult } from './page/result.js';

import { CHROMIUM, chromiumArgs } from '../test/browser/harness.js';
import { benchFlags } from './flags.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ChromeRunOptions {
  /** Query string for the page (without '?'). */
  query?: string;
  timeoutMs?: number;
  /** Where to save a full-page screenshot, if anywhere. */
  screenshot?: string;
  software?: boolean;
  onProgress?: (text: string) => void;
  /**
   * Serve a production build in this folder (see buildPage) with `vite
   * preview` instead of the sources with the dev server.
   */
  builtDir?: string;
}

/** `vite build` of the page into `outDir` (emptied first). */
export async function buildPage(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), root: ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

/** A started server for the page: the dev server on the sources, or `vite preview` on a build. */
async function servePage(builtDir: string | undefined): Promise<{ port: number; close(): Promise<void> }> {
  const vite = await import('vite');
  const configFile = path.join(ROOT, 'vite.config.ts');
  const port = (server: { address(): unknown } | null | undefined): number => {
    const address = server?.address();
    if (!address || typeof address !== 'object' || !('port' in address)) throw new Error('vite did not report a TCP address');
    return (address as { port: number }).port;
  };
  if (builtDir) {
    const server = await vite.preview({
      configFile, root: ROOT, logLevel: 'error',
      build: { outDir: builtDir },
      preview: { port: 0, strictPort: false, host: '127.0.0.1', open: false },
    });
    return { port: port(server.httpServer), close: () => server.close() };
  }
  const server = await vite.createServer({
    configFile, root: ROOT, logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', hmr: false, watch: null },
    // Pre-bundle everything the page and its workers import up front, so Vite
    // never discovers a dependency mid-run and reloads the page.
    optimizeDeps: {
      entries: ['bench/index.html'],
      include: ['comlink', '@noble/curves/ed25519.js', '@noble/hashes/sha2.js'],
      exclude: ['webgpu'],
    },
  });
  await server.listen();
  return { port: port(server.httpServer), close: () => server.close() };
}

/** Starts Vite and Chromium, runs the page (served at `/`) to the end, returns window.__preexecBench; always cleans up. */
export async function runChromePage(opts: ChromeRunOptions = {}): Promise<PageResult> {
  const { chromium } = await import('playwright-core');
  const server = await servePage(opts.builtDir);
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'preexec-chrome-'));
  let browser: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  try {
    const url = `http://127.0.0.1:${server.port}/${opts.query ? `?${opts.query}` : ''}`;
    // headless: false because the flags already say --headless=new (playwright would add the old mode).
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless: false, args: chromiumArgs(opts.software ?? true), viewport: { width: 1024, height: 900 },
    });
    const page = browser.pages()[0] ?? await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(url);
    const deadline = Date.now() + (opts.timeoutMs ?? 20 * 60_000);
    let last = '';
    let res: PageResult | undefined;
    for (;;) {
      res = await page.evaluate(() => window.__preexecBench ? JSON.parse(JSON.stringify(window.__preexecBench)) as PageResult : undefined);
      if (res && res.progress !== last) {
        last = res.progress;
        opts.onProgress?.(last);
      }
      if (res && res.status !== 'running') break;
      if (Date.now() > deadline) throw new Error(`the page did not finish within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s (last progress: ${last || 'none'}; console errors: ${consoleErrors.join(' | ') || 'none'})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    if (opts.screenshot) {
      await mkdir(path.dirname(opts.screenshot), { recursive: true });
      await page.screenshot({ path: opts.screenshot, fullPage: true });
    }
    if (res.status === 'error') throw new Error(`the page failed: ${res.error}${consoleErrors.length ? ` (console: ${consoleErrors.join(' | ')})` : ''}`);
    return res;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close().catch(() => undefined);
    await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatPageResult(r: PageResult): string {
  const p = r.pipeline!;
  const c = r.config;
  const where = (backend: string) => (backend === 'webgpu' ? r.adapterLabel : 'CPU');
  const lines = [
    `Chrome page: ${r.userAgent}`,
    `adapter: ${r.adapterLabel ?? 'none'}; ${r.hardwareConcurrency} logical cores; CPU signature engine: ${r.cpuEngine}`,
    `workload: ${r.workload?.workload}, ${r.workload?.accounts} accounts, ${r.workload?.blocks} blocks × ${r.workload?.txsPerBlock} tx, seed ${r.workload?.seed}, rules ${c?.rules}`,
    `backend asked: ${c?.backend}${c?.verifyBackend ? `, verify ${c.verifyBackend}` : ''}${c?.stateRootBackend ? `, state root ${c.stateRootBackend}` : ''}`,
    `pipeline: verify on ${where(p.backends.verify)}, state root on ${where(p.backends.stateRoot)}, execute on ${p.backends.executeWorkers} thread(s)`,
    `start-up (first pipeline created and ready, GPU kernels compiled): ${r.startupMs === undefined ? '—' : `${fmt(r.startupMs)} ms`}`,
    '',
    `${'stage'.padEnd(14)}${'busy s'.padStart(10)}${'tx/s'.padStart(14)}`,
    ...(['decode', 'verify', 'execute', 'stateRoot'] as const).map((s) => `${(s === 'stateRoot' ? 'state root' : s).padEnd(14)}${(p.stageMs[s] / 1000).toFixed(2).padStart(10)}${fmt(p.tps[s]).padStart(14)}`),
    `${'end to end'.padEnd(14)}${(p.wallMs / 1000).toFixed(2).padStart(10)}${fmt(p.tps.endToEnd).padStart(14)}`,
    `state root ${p.stateRoot}`,
    '',
    `${'sweep stage'.padEnd(14)}${'where'.padEnd(16)}${'batch'.padStart(9)}${'ms'.padStart(11)}${'items/s'.padStart(14)}`,
    ...(r.sweep ?? []).map((s) => `${s.stage.padEnd(14)}${(s.backend === 'webgpu' ? 'webgpu' : `cpu${s.engine ? ` ${s.engine}` : ''}`).padEnd(16)}${fmt(s.size).padStart(9)}${s.ms.toFixed(1).padStart(11)}${fmt(s.perSecond).padStart(14)}`),
    ...(r.webCryptoGain ? [`CPU verify at ${fmt(r.webCryptoGain.size)}: WebCrypto ${fmt(r.webCryptoGain.webcrypto)}/s vs noble ${fmt(r.webCryptoGain.noble)}/s (${r.webCryptoGain.ratio}x)`] : []),
  ];
  return lines.join('\n');
}

async function cli(argv: string[]): Promise<void> {
  const flags = benchFlags({
    usage: `usage: npm run bench:chrome -- [--query 'k=v&...'] [--timeout SECONDS] [--gpu] [--built]

Runs the benchmark page in headless Chromium (/usr/bin/chromium, or $PREEXEC_CHROMIUM):
the pipeline end to end, then throughput against batch size per stage, GPU and CPU.
Prints its tables; writes bench/out/chrome.json and bench/out/chrome.png.

  --query Q      the page's query string (its keys are listed on the page; default: none,
                 the page's own defaults: backend auto, a small workload)
  --timeout S    give up after S seconds (default 1200)
  --gpu          use the machine's GPU (drops the flags that pin SwiftShader)
  --built        the production build (vite build, then vite preview) instead of the dev server

Example (short): npm run bench:chrome -- --query 'txs=256&sizes=64,256'`,
    values: ['query', 'timeout'],
    switches: ['gpu', 'built'],
  }, argv);
  const query = flags.text('query', '');
  const timeoutS = flags.number('timeout', 1200);
  const software = !flags.has('gpu');
  const built = flags.has('built');
  if (timeoutS <= 0) throw new Error('--timeout needs a positive number of seconds');
  const outDir = path.join(ROOT, 'bench', 'out');
  const isTTY = process.stderr.isTTY === true;
  const builtDir = built ? await mkdtemp(path.join(os.tmpdir(), 'preexec-page-')) : undefined;
  if (builtDir) {
    process.stderr.write(`building the page (vite build) into ${builtDir}\n`);
    await buildPage(builtDir);
  }
  const res = await runChromePage({
    builtDir,
    query, timeoutMs: timeoutS * 1000, software, screenshot: path.join(outDir, 'chrome.png'),
    onProgress: (t) => process.stderr.write(isTTY ? `\r\x1b[2K${t.slice(0, 150)}` : `${t}\n`),
  }).finally(() => (builtDir ? rm(builtDir, { recursive: true, force: true }) : undefined));
  if (isTTY) process.stderr.write('\r\x1b[2K');
  const machine = { cpu: os.cpus()[0]?.model?.trim(), cores: os.availableParallelism?.() ?? os.cpus().length, platform: `${os.platform()} ${os.arch()}` };
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'chrome.json'), `${JSON.stringify({ machine, ...res }, null, 2)}\n`);
  process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores\n${formatPageResult(res)}\nwrote bench/out/chrome.json and bench/out/chrome.png\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(() => process.exit(0), (e: unknown) => {
    process.stderr.write(`bench:chrome: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  });
}

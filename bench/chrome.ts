// `npm run bench:chrome`: serves the benchmark page with Vite, runs it in
// headless Chromium (/usr/bin/chromium) through playwright-core, prints its
// tables and saves bench/out/chrome.json and bench/out/chrome.png.
//   tsx bench/chrome.ts [--query 'txs=256&sizes=64,256'] [--timeout SECONDS] [--gpu]
// --gpu drops the SwiftShader flags so a real GPU host uses its GPU.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PageResult } from './page/result.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = '/usr/bin/chromium';

/** The flags of a headless run (playwright adds --user-data-dir itself, from launchPersistentContext). */
export function chromiumArgs(software = true): string[] {
  return [
    '--headless=new', '--no-sandbox', '--enable-unsafe-webgpu',
    ...(software ? ['--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'] : ['--enable-features=Vulkan']),
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  ];
}

export interface ChromeRunOptions {
  /** Query string for the page (without '?'). */
  query?: string;
  timeoutMs?: number;
  /** Where to save a full-page screenshot, if anywhere. */
  screenshot?: string;
  software?: boolean;
  onProgress?: (text: string) => void;
}

/** Starts Vite and Chromium, runs the page to the end, returns window.__preexecBench; always cleans up. */
export async function runChromePage(opts: ChromeRunOptions = {}): Promise<PageResult> {
  const { createServer } = await import('vite');
  const { chromium } = await import('playwright-core');
  const server = await createServer({
    configFile: path.join(ROOT, 'vite.config.ts'),
    root: ROOT,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', hmr: false, watch: null },
    // Pre-bundle everything the page and its workers import up front, so Vite
    // never discovers a dependency mid-run and reloads the page.
    optimizeDeps: {
      entries: ['bench/index.html'],
      include: ['comlink', '@noble/curves/ed25519.js', '@noble/hashes/sha2.js'],
      exclude: ['webgpu'],
    },
  });
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'preexec-chrome-'));
  let browser: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  try {
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('vite did not report a TCP address');
    const url = `http://127.0.0.1:${address.port}/bench/index.html${opts.query ? `?${opts.query}` : ''}`;
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
  const a = r.adapter;
  const p = r.pipeline!;
  const lines = [
    `Chrome page: ${r.userAgent}`,
    `adapter: ${a ? `${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ')}${a.isSoftware ? ' (software: correctness only, not GPU speed)' : ''}` : 'none'}; ${r.hardwareConcurrency} logical cores`,
    `workload: ${r.workload?.workload}, ${r.workload?.accounts} accounts, ${r.workload?.blocks} blocks × ${r.workload?.txsPerBlock} tx, seed ${r.workload?.seed}, rules ${r.config?.rules}`,
    `pipeline: verify on ${p.backends.verify}, state root on ${p.backends.stateRoot}, execute on ${p.backends.executeWorkers} thread(s)`,
    '',
    `${'stage'.padEnd(14)}${'busy s'.padStart(10)}${'tx/s'.padStart(14)}`,
    ...(['decode', 'verify', 'execute', 'stateRoot'] as const).map((s) => `${(s === 'stateRoot' ? 'state root' : s).padEnd(14)}${(p.stageMs[s] / 1000).toFixed(2).padStart(10)}${fmt(p.tps[s]).padStart(14)}`),
    `${'end to end'.padEnd(14)}${(p.wallMs / 1000).toFixed(2).padStart(10)}${fmt(p.tps.endToEnd).padStart(14)}`,
    `state root ${p.stateRoot}${r.pipelineWarmupMs !== undefined ? `; untimed warm-up before the run (GPU kernel compile): ${fmt(r.pipelineWarmupMs)} ms` : ''}`,
    '',
    `${'sweep stage'.padEnd(14)}${'backend'.padEnd(9)}${'batch'.padStart(9)}${'ms'.padStart(11)}${'items/s'.padStart(14)}`,
    ...(r.sweep ?? []).map((s) => `${s.stage.padEnd(14)}${s.backend.padEnd(9)}${fmt(s.size).padStart(9)}${s.ms.toFixed(1).padStart(11)}${fmt(s.perSecond).padStart(14)}`),
    ...(r.gpuVerifyCompileMs !== undefined ? [`GPU ed25519 kernel compile (first call): ${fmt(r.gpuVerifyCompileMs)} ms`] : []),
  ];
  return lines.join('\n');
}

async function cli(argv: string[]): Promise<void> {
  let query = '';
  let timeoutS = 1200;
  let software = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--query') query = argv[++i] ?? '';
    else if (a === '--timeout') timeoutS = Number(argv[++i]);
    else if (a === '--gpu') software = false;
    else throw new Error(`unknown argument ${JSON.stringify(a)} (use --query 'k=v&…', --timeout SECONDS, --gpu)`);
  }
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error('--timeout needs a positive number of seconds');
  const outDir = path.join(ROOT, 'bench', 'out');
  const isTTY = process.stderr.isTTY === true;
  const res = await runChromePage({
    query, timeoutMs: timeoutS * 1000, software, screenshot: path.join(outDir, 'chrome.png'),
    onProgress: (t) => process.stderr.write(isTTY ? `\r\x1b[2K${t.slice(0, 150)}` : `${t}\n`),
  });
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

// The Chrome benchmark page: the same pipeline as `preexec bench`, on this
// browser's WebGPU and a Web Worker pool, then a sweep of batch sizes per
// stage, GPU vs CPU (and, for signatures, WebCrypto vs noble on the CPU).
// Everything measured is published on window.__preexecBench (see result.ts)
// and drawn as tables and one chart per stage.
import { acquireGpu, type AdapterReport, type GpuContext } from '../../src/gpu/device.js';
import { createVerifier } from '../../src/ed25519/verifier.js';
import { createCpuVerifier } from '../../src/ed25519/cpu/backend.js';
import { webCryptoEd25519Available } from '../../src/ed25519/cpu/engine.js';
import { batchItem, packSignatureBatch, type SignatureBatch, type SignatureItem } from '../../src/ed25519/batch.js';
import { decodeBlock, validityFromVerdicts } from '../../src/exec/decode.js';
import { executeSequential } from '../../src/exec/executor.js';
import { toHex } from '../../src/hex.js';
import { createMerkleHasher } from '../../src/merkle/hasher.js';
import { createPipeline } from '../../src/pipeline/pipeline.js';
import { measurePipelineRun, median, STAGES } from '../../src/pipeline/measure.js';
import { stateFromGenesis } from '../../src/state/genesis.js';
import { TX_SIZE, type BlockRecords } from '../../src/tx/v1/index.js';
import { generateWorkload, type Workload } from '../../src/workload/generate.js';
import { nobleSigner } from '../../src/workload/signer-noble.js';
import { drawChart, type Series } from './chart.js';
import { QUERY_KEYS, readConfig, type PageConfig, type SweepStage } from './config.js';
import type { PageResult, SweepPoint } from './result.js';

const result: PageResult = { status: 'running', progress: 'starting' };
window.__preexecBench = result;
const $ = (id: string): HTMLElement => document.getElementById(id)!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function progress(text: string): void {
  result.progress = text;
  $('status').textContent = text;
}

const nextFrame = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Every signature of the workload, decoded once per workload. */
const decodedSignatures = new WeakMap<Workload, SignatureItem[]>();

/** `n` items from the workload's signatures, cycling when n is larger. */
function signatureBatch(w: Workload, n: number): SignatureBatch {
  let pool = decodedSignatures.get(w);
  if (!pool) {
    pool = w.blocks.flatMap((block) => {
      const batch = decodeBlock(block).batch;
      return Array.from({ length: batch.messageOffsets.length - 1 }, (_, i) => batchItem(batch, i));
    });
    decodedSignatures.set(w, pool);
  }
  const items = pool;
  return packSignatureBatch(Array.from({ length: n }, (_, i) => items[i % items.length]));
}

/** The first `n` transactions of the workload as one block (n capped at the workload's size). */
function firstTransactions(w: Workload, n: number): BlockRecords {
  const bytes = new Uint8Array(n * TX_SIZE);
  let k = 0;
  for (const b of w.blocks) {
    for (let i = 0; i < b.count && k < n; i++, k++) bytes.set(b.bytes.subarray(b.offsets[i], b.offsets[i + 1]), k * TX_SIZE);
  }
  return { bytes: bytes.subarray(0, k * TX_SIZE), offsets: Uint32Array.from({ length: k + 1 }, (_, i) => i * TX_SIZE), count: k };
}

async function timeReps(reps: number, f: () => Promise<unknown> | unknown): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function sweep(cfg: PageConfig, w: Workload, ctx: GpuContext | undefined, cpuEngine: 'webcrypto' | 'noble'): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  const add = (point: Omit<SweepPoint, 'perSecond' | 'ms'>, ms: number): void => {
    points.push({ ...point, ms: Number(ms.toFixed(2)), perSecond: Math.round((point.size * 1000) / Math.max(ms, 1e-3)) });
    renderSweep(points);
  };
  const workers = cfg.workers ? { workers: cfg.workers } : {};
  if (cfg.sweep.includes('verify')) {
    const cpu = await createCpuVerifier({ ...workers, engine: cpuEngine });
    const noble = cpuEngine === 'webcrypto' && cfg.nobleMax > 0 ? await createCpuVerifier({ ...workers, engine: 'noble' }) : undefined;
    const gpu = cfg.gpuVerify && ctx ? await createVerifier({ rules: cfg.rules, backend: 'webgpu', device: ctx }) : undefined;
    try {
      if (gpu) {
        // Untimed: compiles the kernel (the start-up figure is the pipeline's).
        progress('sweep: compiling the GPU ed25519 kernel…');
        await nextFrame();
        await gpu.verify(signatureBatch(w, 1));
      }
      for (const size of cfg.sizes) {
        const batch = signatureBatch(w, size);
        progress(`sweep: verify ${fmt(size)} signatures on the CPU (Web Workers, ${cpuEngine === 'webcrypto' ? 'WebCrypto' : 'noble'})`);
        await nextFrame();
        await cpu.verify(batch, cfg.rules); // warm-up: key caches, JIT
        add({ stage: 'verify', backend: 'cpu', engine: cpuEngine, size }, await timeReps(cfg.reps, () => cpu.verify(batch, cfg.rules)));
        if (noble && size <= cfg.nobleMax) {
          progress(`sweep: verify ${fmt(size)} signatures on the CPU (Web Workers, noble)`);
          await nextFrame();
          await noble.verify(batch, cfg.rules);
          add({ stage: 'verify', backend: 'cpu', engine: 'noble', size }, await timeReps(cfg.reps, () => noble.verify(batch, cfg.rules)));
        }
        if (gpu) {
          progress(`sweep: verify ${fmt(size)} signatures on the GPU`);
          await nextFrame();
          add({ stage: 'verify', backend: 'webgpu', size }, await timeReps(cfg.reps, () => gpu.verify(batch)));
        }
      }
    } finally {
      await cpu.destroy();
      await noble?.destroy();
      await gpu?.destroy();
    }
  }
  if (cfg.sweep.includes('stateRoot')) {
    const cpu = await createMerkleHasher({ backend: 'cpu', ...workers });
    const gpu = ctx ? await createMerkleHasher({ backend: 'webgpu', device: ctx }) : undefined;
    try {
      for (const size of cfg.sizes) {
        // 48-byte account leaves, as the state root hashes them.
        const data = new Uint8Array(48 * size);
        for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
        const leaves = { data, offsets: Uint32Array.from({ length: size + 1 }, (_, i) => 48 * i) };
        progress(`sweep: state root of ${fmt(size)} leaves`);
        await nextFrame();
        const cpuRoot = toHex(await cpu.root(leaves));
        add({ stage: 'stateRoot', backend: 'cpu', size }, await timeReps(cfg.reps, () => cpu.root(leaves)));
        if (gpu) {
          const gpuRoot = toHex(await gpu.root(leaves)); // also warms the pipelines up
          if (gpuRoot !== cpuRoot) throw new Error(`GPU and CPU Merkle roots differ for ${size} leaves (${gpuRoot} vs ${cpuRoot})`);
          add({ stage: 'stateRoot', backend: 'webgpu', size }, await timeReps(cfg.reps, () => gpu.root(leaves)));
        }
      }
    } finally {
      await cpu.destroy();
      await gpu?.destroy();
    }
  }
  if (cfg.sweep.includes('execute')) {
    const total = cfg.txs * cfg.blocks;
    for (const size of new Set(cfg.sizes.map((s) => Math.min(s, total)))) {
      const block = firstTransactions(w, size);
      const decoded = decodeBlock(block);
      const validity = validityFromVerdicts(decoded, new Uint8Array(decoded.batch.messageOffsets.length - 1).fill(1));
      progress(`sweep: execute ${fmt(size)} transactions (sequential, one thread)`);
      await nextFrame();
      // Each rep needs the genesis state afresh; building it is not execution, so it happens before the clock.
      const states = Array.from({ length: cfg.reps }, () => stateFromGenesis(w.genesis));
      let rep = 0;
      add({ stage: 'execute', backend: 'cpu', size }, await timeReps(cfg.reps, () => executeSequential(states[rep++], decoded, validity)));
    }
  }
  return points;
}

/** Each stage's chart: its title and its one unit. */
const STAGE_CHARTS: Record<SweepStage, { title: string; unit: string; item: string }> = {
  verify: { title: 'Signature verification', unit: 'signatures per second', item: 'signatures' },
  stateRoot: { title: 'State root (RFC 6962 over 48-byte account leaves)', unit: 'leaves per second', item: 'leaves' },
  execute: { title: 'Execution (sequential executor, one thread)', unit: 'transactions per second', item: 'transactions' },
};

function seriesName(p: SweepPoint): string {
  if (p.backend === 'webgpu') return 'GPU (WebGPU)';
  if (p.engine === 'webcrypto') return 'CPU, WebCrypto';
  if (p.engine === 'noble') return 'CPU, noble';
  return p.stage === 'execute' ? 'CPU, 1 thread' : 'CPU (Web Workers)';
}

const SERIES_COLORS: Record<string, { color: string; dashed?: boolean }> = {
  'GPU (WebGPU)': { color: '#0969da' },
  'CPU, WebCrypto': { color: '#1a7f37', dashed: true },
  'CPU, noble': { color: '#bc4c00', dashed: true },
  'CPU (Web Workers)': { color: '#1a7f37', dashed: true },
  'CPU, 1 thread': { color: '#8250df', dashed: true },
};

function renderSweep(points: readonly SweepPoint[]): void {
  const charts = (Object.keys(STAGE_CHARTS) as SweepStage[]).filter((stage) => points.some((p) => p.stage === stage)).map((stage) => {
    const mine = points.filter((p) => p.stage === stage);
    const series: Series[] = [...new Set(mine.map(seriesName))].map((label) => ({
      label, ...SERIES_COLORS[label],
      points: mine.filter((p) => seriesName(p) === label).map((p) => ({ x: p.size, y: p.perSecond })),
    }));
    const { title, unit, item } = STAGE_CHARTS[stage];
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = title;
    figure.append(caption, drawChart(series, { xLabel: `batch size (${item})`, yLabel: unit }));
    return figure;
  });
  $('chart').replaceChildren(...charts);
  const rows = points.map((p) => `<tr><td>${STAGE_CHARTS[p.stage].item}</td><td>${seriesName(p)}</td><td>${fmt(p.size)}</td><td>${p.ms.toFixed(1)}</td><td>${fmt(p.perSecond)}</td></tr>`);
  $('sweep').innerHTML = `<table><tr><th>items</th><th>where</th><th>batch</th><th>ms (median)</th><th>items/s</th></tr>${rows.join('')}</table>`;
}

/** WebCrypto against noble at the largest batch both verified. */
function webCryptoGain(points: readonly SweepPoint[]): PageResult['webCryptoGain'] {
  const at = (engine: string, size: number) => points.find((p) => p.stage === 'verify' && p.engine === engine && p.size === size);
  const sizes = points.filter((p) => p.engine === 'noble' && at('webcrypto', p.size)).map((p) => p.size);
  if (sizes.length === 0) return undefined;
  const size = Math.max(...sizes);
  const webcrypto = at('webcrypto', size)!.perSecond;
  const noble = at('noble', size)!.perSecond;
  return { size, webcrypto, noble, ratio: Number((webcrypto / Math.max(noble, 1)).toFixed(1)) };
}

/** "WebGPU (SwiftShader, software)" where the adapter is a CPU implementation (device.ts's isSoftware), else its vendor and architecture. */
function adapterLabel(a: AdapterReport): string {
  const fields = [a.vendor, a.architecture, a.device, a.description].filter(Boolean);
  const named = /swiftshader/i.test(fields.join(' ')) ? 'SwiftShader' : /llvmpipe|lavapipe/i.test(fields.join(' ')) ? 'llvmpipe' : fields.slice(0, 2).join(' ') || 'unnamed adapter';
  return `WebGPU (${named}${a.isSoftware ? ', software' : ''})`;
}

function renderConfig(cfg: PageConfig, r: PageResult): void {
  const p = r.pipeline;
  const rows: Array<[string, string]> = [
    ['workload', `${cfg.workload}: ${fmt(cfg.accounts)} accounts, ${cfg.blocks} blocks × ${fmt(cfg.txs)} transactions, seed ${cfg.seed}`],
    ['rule set', cfg.rules],
    ['backend asked', `${cfg.backend}${cfg.verifyBackend ? `, verify ${cfg.verifyBackend}` : ''}${cfg.stateRootBackend ? `, state root ${cfg.stateRootBackend}` : ''}`],
    ['ran on', p ? `verify: ${p.backends.verify === 'webgpu' ? r.adapterLabel : `CPU (${r.cpuEngine})`}; state root: ${p.backends.stateRoot === 'webgpu' ? r.adapterLabel : 'CPU'}; execute: ${p.backends.executeWorkers} thread(s)` : '—'],
    ['adapter', r.adapterLabel ?? '—'],
    ['CPU', `${r.hardwareConcurrency} logical cores; workers ${cfg.workers ?? 'every core'}; signature engine ${r.cpuEngine === 'webcrypto' ? 'WebCrypto Ed25519' : 'noble (no WebCrypto Ed25519 here)'}`],
    ['sweep', `${cfg.sweep.join(', ') || 'none'} at ${cfg.sizes.map(fmt).join(', ')}; GPU verify ${cfg.gpuVerify ? 'on' : 'off'}; noble up to ${fmt(cfg.nobleMax)}; median of ${cfg.reps}; ${cfg.runs} pipeline run(s)`],
  ];
  $('config').innerHTML = `<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function renderPipeline(p: NonNullable<PageResult['pipeline']>, startupMs: number | undefined): void {
  const rows = STAGES.map((s) => `<tr><td>${s === 'stateRoot' ? 'state root' : s}</td><td>${(p.stageMs[s] / 1000).toFixed(2)}</td><td>${fmt(p.tps[s])}</td></tr>`);
  $('pipeline').innerHTML = `<table><tr><th>stage</th><th>busy s</th><th>tx/s</th></tr>${rows.join('')}
    <tr><th>end to end</th><th>${(p.wallMs / 1000).toFixed(2)}</th><th>${fmt(p.tps.endToEnd)}</th></tr></table>
    <div>start-up (first pipeline created and ready, GPU kernels compiled): <b id="startup">${startupMs === undefined ? '—' : `${fmt(startupMs)} ms`}</b>, not part of the run</div>
    <div>receipts ${Object.entries(p.receipts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}</div>
    <div>state root <code id="state-root">${p.stateRoot}</code></div>`;
}

async function main(): Promise<void> {
  result.userAgent = navigator.userAgent;
  result.crossOriginIsolated = globalThis.crossOriginIsolated;
  result.hardwareConcurrency = navigator.hardwareConcurrency;
  $('keys').textContent = QUERY_KEYS.join(', ');
  if (!globalThis.crossOriginIsolated) throw new Error('the page is not cross-origin isolated (COOP/COEP headers missing): SharedArrayBuffer is unavailable');
  progress('acquiring WebGPU…');
  let ctx: GpuContext | undefined;
  try {
    ctx = await acquireGpu();
    result.adapter = ctx.report;
    result.adapterLabel = adapterLabel(ctx.report);
  } catch (e) {
    result.adapterLabel = `no WebGPU (${(e as Error).message})`;
  }
  result.cpuEngine = await webCryptoEd25519Available() ? 'webcrypto' : 'noble';
  const cfg = readConfig(location.search, ctx?.report.isSoftware ?? true);
  result.config = cfg;
  renderConfig(cfg, result);
  const needsGpu = [cfg.backend, cfg.verifyBackend, cfg.stateRootBackend].includes('webgpu');
  if (needsGpu && !ctx) throw new Error('backend webgpu was asked for, but this browser has no WebGPU adapter');

  progress(`generating ${cfg.workload} workload (${fmt(cfg.txs * cfg.blocks)} transactions, signed with noble)…`);
  await nextFrame();
  const tGen = performance.now();
  const workload = await generateWorkload(
    { workload: cfg.workload, accounts: cfg.accounts, txsPerBlock: cfg.txs, blocks: cfg.blocks, seed: cfg.seed },
    { signer: nobleSigner, onProgress: (done, total) => progress(`generating workload: ${fmt(done)}/${fmt(total)} signed`) },
  );
  result.workload = { ...workload.spec, transactions: cfg.txs * cfg.blocks, generateMs: Math.round(performance.now() - tGen) };

  const runs = [];
  let backends: NonNullable<PageResult['pipeline']>['backends'] | undefined;
  for (let r = 0; r < cfg.runs; r++) {
    progress(`pipeline run ${r + 1}/${cfg.runs}: starting workers${ctx ? ' and compiling GPU kernels' : ''}…`);
    await nextFrame();
    const tStart = performance.now();
    const pipeline = await createPipeline({
      genesis: workload.genesis, rules: cfg.rules, backend: cfg.backend,
      ...(cfg.verifyBackend ? { verifyBackend: cfg.verifyBackend } : {}),
      ...(cfg.stateRootBackend ? { stateRootBackend: cfg.stateRootBackend } : {}),
      ...(cfg.workers ? { workers: cfg.workers } : {}),
      ...(ctx ? { device: ctx } : {}),
    });
    backends = { verify: pipeline.backends.verify, stateRoot: pipeline.backends.stateRoot, executeWorkers: pipeline.backends.executeWorkers };
    const receipts: string[] = [];
    try {
      // The first verify compiles the GPU kernel, if the pipeline verifies
      // there (the state tree compiled its own at creation): part of start-up,
      // kept out of the timed run as a node does at startup.
      await pipeline.verify(signatureBatch(workload, 1));
      if (r === 0) result.startupMs = Math.round(performance.now() - tStart);
      runs.push(await measurePipelineRun(pipeline, workload.blocks, (res, done, ms) => {
        receipts.push(toHex(res.receipts));
        progress(`pipeline run ${r + 1}/${cfg.runs}: block ${done}/${cfg.blocks}, ${fmt((done * cfg.txs * 1000) / ms)} tx/s end to end`);
      }));
    } finally {
      await pipeline.close();
    }
    (runs[runs.length - 1] as { blockReceipts?: string[] }).blockReceipts = receipts;
  }
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const med = sorted[Math.floor((sorted.length - 1) / 2)];
  for (const r of runs) if (r.stateRoot !== med.stateRoot) throw new Error(`pipeline runs disagree on the state root (${r.stateRoot} vs ${med.stateRoot})`);
  result.pipeline = {
    backends: backends!,
    tps: med.tps,
    stageMs: Object.fromEntries(STAGES.map((s) => [s, Number(med.stageMs[s].toFixed(1))])),
    wallMs: Number(med.wallMs.toFixed(1)),
    runs: runs.map((r) => r.tps.endToEnd),
    receipts: med.receipts,
    stateRoot: med.stateRoot,
    blockReceipts: (med as { blockReceipts?: string[] }).blockReceipts ?? [],
  };
  renderConfig(cfg, result);
  renderPipeline(result.pipeline, result.startupMs);

  result.sweep = await sweep(cfg, workload, ctx, result.cpuEngine);
  result.webCryptoGain = webCryptoGain(result.sweep);
  if (result.webCryptoGain) {
    const g = result.webCryptoGain;
    $('gain').textContent = `CPU signature verification at ${fmt(g.size)} signatures: WebCrypto ${fmt(g.webcrypto)}/s, noble ${fmt(g.noble)}/s (${g.ratio}×).`;
  }
  ctx?.destroy();
  result.status = 'done';
  $('status').className = 'done';
  progress(`done: ${fmt(result.pipeline.tps.endToEnd)} tx/s end to end; sweep of ${result.sweep.length} points`);
}

main().catch((e: unknown) => {
  result.status = 'error';
  result.error = (e as Error)?.stack ?? String(e);
  $('status').className = 'error';
  progress(`error: ${(e as Error)?.message ?? String(e)}`);
});

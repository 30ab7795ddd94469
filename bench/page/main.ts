// The Chrome benchmark page: the same pipeline as `preexec bench`, on this
// browser's WebGPU and a Web Worker pool, then a sweep of batch sizes per
// stage, GPU vs CPU. Everything measured is published on
// window.__preexecBench (see result.ts) and drawn as a table and a chart.
import { acquireGpu, type GpuContext } from '../../src/gpu/device.js';
import { createVerifier } from '../../src/ed25519/verifier.js';
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
import { readConfig, type PageConfig } from './config.js';
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

async function sweep(cfg: PageConfig, w: Workload, ctx: GpuContext | undefined): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  const add = (stage: SweepPoint['stage'], backend: SweepPoint['backend'], size: number, ms: number): void => {
    points.push({ stage, backend, size, ms: Number(ms.toFixed(2)), perSecond: Math.round((size * 1000) / Math.max(ms, 1e-3)) });
    renderSweep(points);
  };
  if (cfg.sweep.includes('verify')) {
    const cpu = await createVerifier({ rules: cfg.rules, backend: 'cpu', ...(cfg.workers ? { workers: cfg.workers } : {}) });
    const gpu = cfg.gpuVerify && ctx ? await createVerifier({ rules: cfg.rules, backend: 'webgpu', device: ctx }) : undefined;
    try {
      if (gpu) {
        progress('sweep: compiling the GPU ed25519 kernel (first call)…');
        await nextFrame();
        const t0 = performance.now();
        await gpu.verify(signatureBatch(w, 1));
        result.gpuVerifyCompileMs = Math.round(performance.now() - t0);
      }
      for (const size of cfg.sizes) {
        const batch = signatureBatch(w, size);
        progress(`sweep: verify ${fmt(size)} signatures on the CPU (Web Workers)`);
        await nextFrame();
        add('verify', 'cpu', size, await timeReps(cfg.reps, () => cpu.verify(batch)));
        if (gpu) {
          progress(`sweep: verify ${fmt(size)} signatures on the GPU`);
          await nextFrame();
          add('verify', 'webgpu', size, await timeReps(cfg.reps, () => gpu.verify(batch)));
        }
      }
    } finally {
      await cpu.destroy();
      await gpu?.destroy();
    }
  }
  if (cfg.sweep.includes('stateRoot')) {
    const cpu = await createMerkleHasher({ backend: 'cpu', ...(cfg.workers ? { workers: cfg.workers } : {}) });
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
        add('stateRoot', 'cpu', size, await timeReps(cfg.reps, () => cpu.root(leaves)));
        if (gpu) {
          const gpuRoot = toHex(await gpu.root(leaves)); // also warms the pipelines up
          if (gpuRoot !== cpuRoot) throw new Error(`GPU and CPU Merkle roots differ for ${size} leaves (${gpuRoot} vs ${cpuRoot})`);
          add('stateRoot', 'webgpu', size, await timeReps(cfg.reps, () => gpu.root(leaves)));
        }
      }
    } finally {
      await cpu.destroy();
      await gpu?.destroy();
    }
  }
  if (cfg.sweep.includes('execute')) {
    const total = cfg.txs * cfg.blocks;
    for (const size of cfg.sizes) {
      const n = Math.min(size, total);
      const block = firstTransactions(w, n);
      const decoded = decodeBlock(block);
      const validity = validityFromVerdicts(decoded, new Uint8Array(decoded.batch.messageOffsets.length - 1).fill(1));
      progress(`sweep: execute ${fmt(n)} transactions (sequential, one thread)`);
      await nextFrame();
      // Each rep needs the genesis state afresh; building it is not execution, so it happens before the clock.
      const states = Array.from({ length: cfg.reps }, () => stateFromGenesis(w.genesis));
      let rep = 0;
      add('execute', 'cpu', n, await timeReps(cfg.reps, () => executeSequential(states[rep++], decoded, validity)));
    }
  }
  return points;
}

const COLORS: Record<string, string> = { verify: '#0969da', stateRoot: '#1a7f37', execute: '#8250df' };

function renderSweep(points: readonly SweepPoint[]): void {
  const keys = [...new Set(points.map((p) => `${p.stage}/${p.backend}`))];
  const series: Series[] = keys.map((k) => {
    const [stage, backend] = k.split('/');
    return {
      label: `${stage === 'stateRoot' ? 'state root' : stage} · ${backend === 'webgpu' ? 'GPU' : 'CPU'}`,
      color: COLORS[stage] ?? '#333',
      dashed: backend === 'cpu',
      points: points.filter((p) => `${p.stage}/${p.backend}` === k).map((p) => ({ x: p.size, y: p.perSecond })),
    };
  });
  $('chart').replaceChildren(drawChart(series, { xLabel: 'batch size (items)', yLabel: 'items per second' }));
  const rows = points.map((p) => `<tr><td>${p.stage}</td><td>${p.backend}</td><td>${fmt(p.size)}</td><td>${p.ms.toFixed(1)}</td><td>${fmt(p.perSecond)}</td></tr>`);
  $('sweep').innerHTML = `<table><tr><th>stage</th><th>backend</th><th>batch</th><th>ms (median)</th><th>items/s</th></tr>${rows.join('')}</table>`;
}

function renderPipeline(p: NonNullable<PageResult['pipeline']>): void {
  const rows = STAGES.map((s) => `<tr><td>${s === 'stateRoot' ? 'state root' : s}</td><td>${(p.stageMs[s] / 1000).toFixed(2)}</td><td>${fmt(p.tps[s])}</td></tr>`);
  $('pipeline').innerHTML = `<table><tr><th>stage</th><th>busy s</th><th>tx/s</th></tr>${rows.join('')}
    <tr><th>end to end</th><th>${(p.wallMs / 1000).toFixed(2)}</th><th>${fmt(p.tps.endToEnd)}</th></tr></table>
    <div>verify on ${p.backends.verify}, state root on ${p.backends.stateRoot}, execute on ${p.backends.executeWorkers} thread(s);
    receipts ${Object.entries(p.receipts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}</div>
    <div>state root <code id="state-root">${p.stateRoot}</code></div>`;
}

async function main(): Promise<void> {
  result.userAgent = navigator.userAgent;
  result.crossOriginIsolated = globalThis.crossOriginIsolated;
  result.hardwareConcurrency = navigator.hardwareConcurrency;
  if (!globalThis.crossOriginIsolated) throw new Error('the page is not cross-origin isolated (COOP/COEP headers missing): SharedArrayBuffer is unavailable');
  progress('acquiring WebGPU…');
  let ctx: GpuContext | undefined;
  try {
    ctx = await acquireGpu();
    result.adapter = ctx.report;
    const a = ctx.report;
    $('adapter').textContent = `adapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ')}${a.isSoftware ? ' — software adapter: correctness only, not GPU speed' : ''}; ${navigator.hardwareConcurrency} logical cores`;
  } catch (e) {
    $('adapter').textContent = `no WebGPU: ${(e as Error).message}`;
  }
  const cfg = readConfig(location.search, ctx?.report.isSoftware ?? true);
  result.config = cfg;
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
    progress(`pipeline run ${r + 1}/${cfg.runs}: starting workers${ctx ? ' and GPU pipelines' : ''}…`);
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
      // Warm-up outside the timed run, as a node does at startup: the first
      // GPU verify compiles the kernel (the state tree compiled its own at creation).
      progress(`pipeline run ${r + 1}/${cfg.runs}: warming up (compiles GPU kernels on first use)…`);
      const tWarm = performance.now();
      await pipeline.verify(signatureBatch(workload, 1));
      result.pipelineWarmupMs = Math.round(performance.now() - tWarm);
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
  renderPipeline(result.pipeline);

  result.sweep = await sweep(cfg, workload, ctx);
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

// `npm run bench:execute`: execution alone (receipts + state + touched
// leaves, signatures taken as valid) and the state root per block.
//   - sequential vs the two parallel schedules (forced: resolve-ahead,
//     disjoint) vs auto (the executor's own choice), transfers/s, for
//     uniform transfers, a hot account, and 10% chains;
//   - state root after a block: incremental CPU tree, incremental WebGPU tree,
//     full recomputation (CPU, every core);
//   - u64 as two u32 halves vs BigUint64Array on the transfer arithmetic.
// Median of several timed blocks after untimed warm-up blocks (the JIT, in
// every worker); machine,
// adapter and load average printed beside the numbers.
// Flags: --accounts N (1000000) --txs N (100000) --blocks N (timed blocks per run, 16)
//        --workers N (every core) --no-gpu --gpu-accounts N (GPU tree size, default min(accounts, 131072))
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { stateFromGenesis } from '../src/state/genesis.js';
import type { AccountState } from '../src/state/account-state.js';
import { decodeBlock, type DecodedBlock } from '../src/exec/decode.js';
import { createExecutor, type BlockExecution } from '../src/exec/executor.js';
import { syntheticBlock, syntheticGenesis, type SyntheticPattern } from '../src/exec/synthetic.js';
import { createIncrementalMerkleTree } from '../src/merkle/incremental.js';
import { createMerkleHasher } from '../src/merkle/hasher.js';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { toHex } from '../src/hex.js';
import { median } from '../src/stats.js';
import { benchFlags } from './flags.js';

const flags = benchFlags({
  usage: `usage: npm run bench:execute -- [--accounts N] [--txs N] [--blocks N] [--workers N] [--no-gpu] [--gpu-accounts N]

Execution alone (signatures taken as valid) and the state root per block:
sequential vs resolve-ahead vs disjoint vs auto on uniform transfers, a hot
account and 10% chains; incremental CPU and WebGPU trees vs a full
recomputation; u64 as two u32 halves vs BigUint64Array. Median of the timed
blocks after 2 warm-up blocks. Writes bench/out/execute.json.

  --accounts N      accounts (default 1000000)
  --txs N           transfers per block (default 100000)
  --blocks N        timed blocks per run (default 16)
  --workers N       threads for the parallel schedules (default: every core)
  --no-gpu          skip the WebGPU tree
  --gpu-accounts N  WebGPU tree size (default min(accounts, 131072))

Example (short): npm run bench:execute -- --accounts 20000 --txs 5000 --blocks 2 --no-gpu`,
  values: ['accounts', 'txs', 'blocks', 'workers', 'gpu-accounts'],
  switches: ['no-gpu'],
});
const flag = (name: string, fallback: number) => flags.int(name, fallback);
const ACCOUNTS = flag('accounts', 1_000_000);
const TXS = flag('txs', 100_000);
const BLOCKS = flag('blocks', 16);
const cores = os.availableParallelism?.() ?? os.cpus().length;
const WORKERS = flag('workers', cores);
const NO_GPU = flags.has('no-gpu');
// SwiftShader hashes slowly: by default the GPU tree is capped (correctness there, not speed).
const GPU_ACCOUNTS = flag('gpu-accounts', Math.min(ACCOUNTS, 1 << 17));
const WARMUP = 2;

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(0)}k` : x.toFixed(0));
const machine = { cpu: os.cpus()[0]?.model?.trim() ?? 'unknown', cores, node: process.version, loadavgAtStart: os.loadavg().map((x) => +x.toFixed(2)) };
console.log(`machine: ${machine.cpu}, ${cores} cores, node ${machine.node}; load average at start ${machine.loadavgAtStart.join(' ')}`);
console.log(`workload: ${fmt(ACCOUNTS)} accounts, ${fmt(TXS)} transfers per block, ${WARMUP} warm-up + ${BLOCKS} timed blocks per run, ${WORKERS} threads for parallel`);

// ---- genesis, built once and cloned per run so every run starts equal ----
let t0 = performance.now();
const genesis = stateFromGenesis(syntheticGenesis(ACCOUNTS, 1), 0);
genesis.reserve(TXS * (BLOCKS + 2));
console.log(`genesis state: ${(performance.now() - t0).toFixed(0)} ms`);

function blocksFor(pattern: SyntheticPattern): DecodedBlock[] {
  const nonces = new Map<number, bigint>();
  const out: DecodedBlock[] = [];
  for (let b = 0; b < BLOCKS + WARMUP; b++) out.push(decodeBlock(syntheticBlock({ pattern, accounts: ACCOUNTS, transactions: TXS, seed: 1, chainShare: 0.1 }, nonces, b)));
  return out;
}

interface ModeResult { msPerBlock: number[]; tps: number; modes: string[]; deferredShare?: number; leafHex: string }
const SCHEDULES = ['sequential', 'resolve-ahead', 'disjoint', 'auto'] as const;
type Schedule = (typeof SCHEDULES)[number];

/**
 * Runs the four executors over the same blocks, interleaved block by block
 * (rotating which goes first), so a change of machine load hits all alike;
 * their per-block ratios are the fair comparison on a shared machine.
 */
async function runPaired(blocks: DecodedBlock[], keep?: (b: number, r: BlockExecution) => void): Promise<{ results: Record<Schedule, ModeResult>; ratios: Record<Schedule, number[]>; seqState: AccountState }> {
  const options = (s: Schedule) => (s === 'sequential' ? { workers: 1 } : { workers: WORKERS, schedule: s });
  const states = SCHEDULES.map(() => genesis.clone());
  const execs = await Promise.all(SCHEDULES.map((s, i) => createExecutor(states[i], options(s))));
  const valid = new Uint8Array(TXS).fill(1);
  const ms: number[][] = SCHEDULES.map(() => []);
  const modes: string[][] = SCHEDULES.map(() => []);
  let deferred = 0;
  try {
    for (let b = 0; b < blocks.length; b++) {
      for (let j = 0; j < SCHEDULES.length; j++) {
        const i = (b + j) % SCHEDULES.length;
        const t = performance.now();
        const r = await execs[i].execute(blocks[b], valid);
        const dt = performance.now() - t;
        if (b >= WARMUP) { ms[i].push(dt); modes[i].push(r.mode); if (SCHEDULES[i] === 'disjoint' && r.split?.deferred !== undefined) deferred += r.split.deferred; }
        if (i === 0) keep?.(b, r);
      }
    }
  } finally {
    await Promise.all(execs.map((e) => e.destroy()));
  }
  const { createHash } = await import('node:crypto');
  const results = {} as Record<Schedule, ModeResult>, ratios = {} as Record<Schedule, number[]>;
  SCHEDULES.forEach((s, i) => {
    results[s] = {
      msPerBlock: ms[i], tps: TXS / (median(ms[i]) / 1000), modes: modes[i],
      leafHex: toHex(createHash('sha256').update(states[i].allLeaves()).digest()),
      ...(s === 'disjoint' ? { deferredShare: deferred / (TXS * ms[i].length) } : {}),
    };
    // > 1: faster than sequential in the same block
    ratios[s] = ms[0].map((x, k) => x / ms[i][k]);
  });
  return { results, ratios, seqState: states[0] };
}

// ---- u64 representation ----
function u64Micro(): { u32HalvesNsPerOp: number; bigUint64NsPerOp: number } {
  const n = 1 << 20, ops = 4_000_000;
  const idx = new Uint32Array(ops);
  let x = 12345;
  for (let i = 0; i < ops; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; idx[i] = x & (n - 1); }
  const halves = new Uint32Array(2 * n).fill(0x40000000);
  const big = new BigUint64Array(n).fill(0x4000000040000000n);
  const run = (f: () => void) => { const r: number[] = []; for (let k = 0; k < 5; k++) { const t = performance.now(); f(); r.push(performance.now() - t); } return (median(r) * 1e6) / ops; };
  const halvesNs = run(() => {
    for (let i = 0; i + 1 < ops; i += 2) {
      const f = idx[i] * 2, t = idx[i + 1] * 2, alo = 7, ahi = 0;
      const blo = halves[f], bhi = halves[f + 1];
      if (bhi < ahi || (bhi === ahi && blo < alo)) continue;
      const lo = halves[t] + alo, hi = halves[t + 1] + ahi + (lo > 0xffffffff ? 1 : 0);
      if (hi > 0xffffffff) continue;
      halves[t] = lo; halves[t + 1] = hi;
      halves[f] = blo - alo; halves[f + 1] = bhi - ahi - (blo < alo ? 1 : 0);
    }
  });
  const MAX = (1n << 64n) - 1n;
  const bigNs = run(() => {
    for (let i = 0; i + 1 < ops; i += 2) {
      const f = idx[i], t = idx[i + 1], a = 7n;
      const b = big[f];
      if (b < a) continue;
      const s = big[t] + a;
      if (s > MAX) continue;
      big[t] = s; big[f] = b - a;
    }
  });
  return { u32HalvesNsPerOp: halvesNs / 2, bigUint64NsPerOp: bigNs / 2 };
}

const u64 = u64Micro();
console.log(`u64 transfer arithmetic, per account update: two u32 halves ${u64.u32HalvesNsPerOp.toFixed(1)} ns, BigUint64Array ${u64.bigUint64NsPerOp.toFixed(1)} ns`);

// ---- execution ----
const patterns: Array<[SyntheticPattern, string]> = [['uniform', 'uniform transfers'], ['hot', 'hot account (every tx)'], ['chains', '10% dependent chains']];
const execRows: Array<Record<string, unknown>> = [];
let rootInputs: { state: AccountState; executions: BlockExecution[] } | undefined;
console.log('\nexecution (receipts + state + touched leaves), transfers/s, median of timed blocks');
console.log('workload                 | sequential | resolve-ahead | disjoint | auto                | ahead/seq | disj/seq | deferred | same state');
console.log('(the four run interleaved block by block; x/seq is the median of per-block speedups; auto: S/R/D per timed block)');
const letter: Record<string, string> = { sequential: 'S', 'resolve-ahead': 'R', disjoint: 'D' };
for (const [pattern, label] of patterns) {
  const blocks = blocksFor(pattern);
  const executions: BlockExecution[] = [];
  const run = await runPaired(blocks, pattern === 'uniform' ? (_b, r) => executions.push(r) : undefined);
  const { results: r, ratios } = run;
  if (pattern === 'uniform') rootInputs = { state: run.seqState, executions };
  const same = SCHEDULES.every((s) => r[s].leafHex === r.sequential.leafHex);
  const ahead = median(ratios['resolve-ahead']), disjoint = median(ratios.disjoint);
  const autoModes = r.auto.modes.map((m) => letter[m] ?? '?').join('');
  console.log(`${label.padEnd(24)} | ${fmt(r.sequential.tps).padStart(10)} | ${fmt(r['resolve-ahead'].tps).padStart(13)} | ${fmt(r.disjoint.tps).padStart(8)} | ${fmt(r.auto.tps).padStart(6)} ${autoModes.padEnd(12)} | ${ahead.toFixed(2).padStart(8)}× | ${disjoint.toFixed(2).padStart(7)}× | ${`${(100 * (r.disjoint.deferredShare ?? 0)).toFixed(0)}%`.padStart(8)} | ${same ? 'yes' : 'NO'}`);
  execRows.push({
    pattern, label, sameFinalState: same, autoModes: r.auto.modes, deferredShare: r.disjoint.deferredShare,
    tps: Object.fromEntries(SCHEDULES.map((s) => [s, Math.round(r[s].tps)])),
    speedupOverSequentialMedianOfPairs: { 'resolve-ahead': +ahead.toFixed(3), disjoint: +disjoint.toFixed(3), auto: +median(ratios.auto).toFixed(3) },
    msPerBlock: Object.fromEntries(SCHEDULES.map((s) => [s, r[s].msPerBlock])),
  });
  if (!same) process.exitCode = 1;
}

// ---- state root per block (uniform blocks, replayed from the sequential run) ----
console.log('\nstate root after a uniform block (touched accounts → root), ms, median');
const rootRows: Array<Record<string, unknown>> = [];
const genesisLeaves = genesis.allLeaves();
const allIdx = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
async function incremental(backend: 'cpu' | 'webgpu', device?: GpuContext, accounts = ACCOUNTS) {
  if (!rootInputs) throw new Error('no uniform run');
  const tree = await createIncrementalMerkleTree({ backend, leafSize: 48, device });
  let t = performance.now();
  await tree.setLeaves(allIdx(accounts), genesisLeaves.subarray(0, 48 * accounts));
  await tree.root();
  const initMs = performance.now() - t;
  const ms: number[] = [], setLeavesMs: number[] = [];
  let root = '';
  for (let b = 0; b < rootInputs.executions.length; b++) {
    const r = rootInputs.executions[b];
    // With a smaller GPU tree, keep only touches inside it (same work per touched leaf).
    let idx = r.touched, leaves = r.leaves;
    if (accounts < ACCOUNTS) {
      const keep = [...r.touched.keys()].filter((k) => r.touched[k] < accounts);
      idx = Uint32Array.from(keep.map((k) => r.touched[k]));
      leaves = new Uint8Array(keep.length * 48);
      keep.forEach((k, j) => leaves.set(r.leaves.subarray(k * 48, k * 48 + 48), j * 48));
    }
    t = performance.now();
    await tree.setLeaves(idx, leaves);
    // On the GPU tree setLeaves is the host's share (check, sort, gather); root() is the GPU work and readback.
    const setMs = performance.now() - t;
    root = toHex(await tree.root());
    if (b >= WARMUP) { ms.push(performance.now() - t); setLeavesMs.push(setMs); }
  }
  tree.destroy();
  return { initMs, ms, setLeavesMs, root, touchedPerBlock: rootInputs.executions[WARMUP]?.touched.length };
}
const cpuInc = await incremental('cpu');
const full: number[] = [];
const hasher = await createMerkleHasher({ backend: 'cpu' });
const finalLeaves = rootInputs!.state.allLeaves();
const offsets = Uint32Array.from({ length: finalLeaves.length / 48 + 1 }, (_, i) => i * 48);
let fullRoot = '';
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  fullRoot = toHex(await hasher.root({ data: finalLeaves, offsets }));
  full.push(performance.now() - t);
}
await hasher.destroy?.();
const rootMatches = fullRoot === cpuInc.root;
console.log(`incremental CPU     : ${median(cpuInc.ms).toFixed(1)} ms per block (${fmt(cpuInc.touchedPerBlock ?? 0)} touched leaves; initial ${fmt(ACCOUNTS)}-leaf build ${cpuInc.initMs.toFixed(0)} ms); root == full recomputation: ${rootMatches ? 'yes' : 'NO'}`);
console.log(`full recomputation  : ${median(full).toFixed(1)} ms (${fmt(finalLeaves.length / 48)} leaves, CPU hasher, every core)`);
rootRows.push({ kind: 'incremental-cpu', msPerBlock: median(cpuInc.ms), samples: cpuInc.ms, initMs: cpuInc.initMs, touchedPerBlock: cpuInc.touchedPerBlock, equalsFull: rootMatches });
rootRows.push({ kind: 'full-cpu', ms: median(full), samples: full, leaves: finalLeaves.length / 48 });
if (!rootMatches) process.exitCode = 1;
let adapter: unknown = 'not run (--no-gpu)';
if (!NO_GPU) {
  const gpu = await acquireGpu();
  adapter = gpu.report;
  const g = await incremental('webgpu', gpu, Math.min(GPU_ACCOUNTS, ACCOUNTS));
  gpu.destroy();
  const note = gpu.report.isSoftware ? ' — software adapter: correctness only, not GPU speed' : '';
  console.log(`incremental WebGPU  : ${median(g.ms).toFixed(1)} ms per block over ${fmt(Math.min(GPU_ACCOUNTS, ACCOUNTS))} leaves (host share, setLeaves: ${median(g.setLeavesMs).toFixed(1)} ms; initial build ${g.initMs.toFixed(0)} ms) on ${gpu.report.description || gpu.report.device || gpu.report.vendor}${note}`);
  rootRows.push({ kind: 'incremental-webgpu', msPerBlock: median(g.ms), samples: g.ms, setLeavesMsMedian: median(g.setLeavesMs), initMs: g.initMs, leaves: Math.min(GPU_ACCOUNTS, ACCOUNTS), equalsCpuTree: GPU_ACCOUNTS >= ACCOUNTS ? g.root === cpuInc.root : undefined });
  if (GPU_ACCOUNTS >= ACCOUNTS && g.root !== cpuInc.root) { console.log('WebGPU root differs from the CPU root'); process.exitCode = 1; }
}

mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(new URL('./out/execute.json', import.meta.url), `${JSON.stringify({
  bench: 'execute', date: new Date().toISOString(), machine: { ...machine, loadavgAtEnd: os.loadavg().map((x) => +x.toFixed(2)) }, adapter,
  workload: { accounts: ACCOUNTS, txsPerBlock: TXS, timedBlocks: BLOCKS, workers: WORKERS },
  unit: 'transfers per second, execution only (receipts, state, touched leaves), median block', u64, execution: execRows, stateRoot: rootRows,
}, null, 1)}\n`);
console.log('\nwrote bench/out/execute.json');
process.exit(process.exitCode ?? 0);

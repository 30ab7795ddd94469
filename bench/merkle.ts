// RFC 6962 roots of 2^k leaves of 64 bytes: WebGPU vs CPU (1 thread) vs CPU
// (every core), median of several runs. Prints a table and writes
// bench/out/merkle.json.
//
//   npm run bench:merkle -- [--min-log 10] [--max-log 22] [--runs 3] [--budget-s 30]
//
// Sizes stop at --max-log, or after the first size whose slowest backend took
// more than --budget-s per run (SwiftShader gets there long before 2^22).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { pseudoRandomLeaves } from './merkle-common.js';
import { acquireGpu } from '../src/gpu/device.js';
import { createStaging } from '../src/gpu/staging.js';
import { createCpuMerkleEngine } from '../src/merkle/cpu.js';
import { createGpuMerkleEngine } from '../src/merkle/gpu.js';
import { merkleRoot } from '../src/merkle/reference.js';
import { toHex } from '../src/hex.js';
import { median } from '../src/stats.js';
import { benchFlags } from './flags.js';

const LEAF = 64;
const flags = benchFlags({
  usage: `usage: npm run bench:merkle -- [--min-log N] [--max-log N] [--runs N] [--budget-s S]

RFC 6962 roots of 64-byte leaves: the WebGPU hasher against the CPU on one
thread and on the worker pool, at 2^min-log .. 2^max-log leaves; median of
--runs. Prints a table and writes bench/out/merkle.json.

  --min-log N    fewest leaves, 2^N (default 10)
  --max-log N    most leaves, 2^N (default 22)
  --runs N       runs per size (default 3)
  --budget-s S   a backend stops at the first size predicted to pass S seconds (default 30)

Example (short): npm run bench:merkle -- --max-log 12 --runs 1`,
  values: ['min-log', 'max-log', 'runs', 'budget-s'],
});
const minLog = flags.int('min-log', 10);
const maxLog = flags.int('max-log', 22);
const runs = flags.int('runs', 3);
const budgetS = flags.number('budget-s', 30);

async function time(fn: () => Promise<unknown> | unknown): Promise<number> { const t = performance.now(); await fn(); return performance.now() - t; }

const cores = os.availableParallelism?.() ?? os.cpus().length;
const ctx = await acquireGpu();
const gpu = await createGpuMerkleEngine(ctx);
const cpuAll = await createCpuMerkleEngine({ workers: cores });
const staging = createStaging(ctx);
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores, node: process.version };
const adapter = { ...ctx.report };
console.log(`machine: ${machine.cpu}, ${cores} cores, node ${machine.node}`);
console.log(`adapter: ${adapter.description || adapter.device} (${adapter.vendor}${adapter.isSoftware ? ', SOFTWARE: not GPU speed' : ''}), timestamps ${adapter.hasTimestampQuery ? 'available' : 'absent'}`);
console.log(`leaf ${LEAF} bytes: leaf hash SHA-256(0x00||d) = ${1 + LEAF} bytes = ${Math.ceil((1 + LEAF + 9) / 64)} compressions; node hash 65 bytes = 2 compressions`);

const rows: Array<Record<string, number | string>> = [];
console.log('\n  leaves |  compressions |  gpu ms (upload / readback)  |  cpu-1 ms |  cpu-all ms |  gpu leaves/s |  cpu-1 leaves/s | cpu-all leaves/s');
for (let k = minLog; k <= maxLog; k++) {
  const n = 2 ** k;
  const input = pseudoRandomLeaves(n, LEAF);
  const want = toHex(merkleRoot(input));
  const check = (r: Uint8Array, who: string) => { if (toHex(r) !== want) throw new Error(`${who} root differs at n = ${n}`); };
  check(await gpu.root(input), 'gpu'); // warm-up: pipelines, buffers
  check(await cpuAll.root(input), 'cpu-all');
  const g: number[] = []; const c1: number[] = []; const ca: number[] = []; const up: number[] = []; const rb: number[] = [];
  for (let r = 0; r < runs; r++) {
    g.push(await time(async () => check(await gpu.root(input), 'gpu')));
    c1.push(await time(() => check(merkleRoot(input), 'cpu-1')));
    ca.push(await time(async () => check(await cpuAll.root(input), 'cpu-all')));
    // Upload alone (data + offsets, until the queue has them) and a 32-byte readback alone:
    // the rest of the GPU time is compute and submission.
    up.push(await time(async () => {
      staging.upload('bench-data', input.data); staging.upload('bench-offsets', input.offsets);
      await ctx.device.queue.onSubmittedWorkDone();
    }));
    const b = staging.buffer('bench-root', 32);
    rb.push(await time(() => staging.submitAndRead(ctx.device.createCommandEncoder(), [{ buffer: b, offset: 0, size: 32 }])));
  }
  const compressions = n * Math.ceil((1 + LEAF + 9) / 64) + (n - 1) * 2;
  const row = {
    leaves: n, bytesHashedPerLeaf: +((n * (1 + LEAF) + (n - 1) * 65) / n).toFixed(2), compressions,
    gpuMs: median(g), gpuUploadMs: median(up), gpuReadbackMs: median(rb), gpuComputeMs: Math.max(0, median(g) - median(up) - median(rb)),
    cpu1Ms: median(c1), cpuAllMs: median(ca),
    gpuLeavesPerS: n / (median(g) / 1e3), cpu1LeavesPerS: n / (median(c1) / 1e3), cpuAllLeavesPerS: n / (median(ca) / 1e3),
  };
  rows.push(row);
  const f = (x: number) => x.toFixed(1).padStart(9);
  const r = (x: number) => Math.round(x).toLocaleString('en').padStart(14);
  console.log(`${String(n).padStart(8)} | ${String(compressions).padStart(13)} | ${f(row.gpuMs)} (${row.gpuUploadMs.toFixed(1)} / ${row.gpuReadbackMs.toFixed(2)}) | ${f(row.cpu1Ms)} | ${f(row.cpuAllMs)} | ${r(row.gpuLeavesPerS)} | ${r(row.cpu1LeavesPerS)} | ${r(row.cpuAllLeavesPerS)}`);
  if (Math.max(row.gpuMs, row.cpu1Ms, row.cpuAllMs) > budgetS * 1e3) { console.log(`(stopping: a run took more than ${budgetS} s)`); break; }
}
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(new URL('./out/merkle.json', import.meta.url), `${JSON.stringify({ bench: 'merkle', date: new Date().toISOString(), machine, adapter, leafBytes: LEAF, runs, timing: 'wall clock per root, median; gpu upload and readback measured alone, compute = total - both (no timestamp queries used)', rows }, null, 1)}\n`);
console.log('\nwrote bench/out/merkle.json');
gpu.destroy(); staging.destroy(); await cpuAll.destroy(); ctx.destroy();
process.exit(0);

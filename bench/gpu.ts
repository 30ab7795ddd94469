// Every GPU benchmark in one run, for the few minutes a GPU machine is lent:
// the ed25519 verify kernel alone (2^min..2^max items), Merkle roots
// (2^min..2^max leaves), an incremental root update of the executor's shape,
// and `preexec bench` end to end on the webgpu backend. Medians of several
// runs; every GPU result is checked against the CPU. Writes one JSON
// (bench/out/gpu.json) with the adapter and the machine.
//
//   npm run bench:gpu -- [--quick] [--min-log 10] [--max-log 20] [--runs 5] [--out FILE] [--help]
//
// --quick: tiny sizes and one end-to-end run, to check the path (SwiftShader).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCpuVerifier } from '../src/ed25519/cpu/backend.js';
import { RULE_SETS, packSignatureBatch, batchItem, type SignatureBatch, type SignatureItem } from '../src/ed25519/batch.js';
import { createGpuVerifyKernel, VERDICT_BIT } from '../src/ed25519/gpu/kernel.js';
import { benchCommand } from '../src/cli/bench.js';
import { adapterLine, machineInfo, sampleBatch, type MachineInfo } from '../src/cli/bench-common.js';
import { parseFlags, UsageError } from '../src/cli/args.js';
import { acquireGpu, type AdapterReport } from '../src/gpu/device.js';
import { toHex } from '../src/hex.js';
import { createGpuMerkleEngine } from '../src/merkle/gpu.js';
import { merkleRoot } from '../src/merkle/reference.js';
import { median } from '../src/stats.js';
import { incrementalUpdate, pseudoRandomLeaves, type IncrementalUpdateResult } from './merkle-common.js';
import { signers, validBatch } from './signatures.js';

/** Leaf bytes of the Merkle roots (as bench:merkle) and of the state tree (an account, as bench/merkle-incremental.ts). */
const LEAF = 64;
const STATE_LEAF_BYTES = 48;

const HELP = `npm run bench:gpu -- [--quick] [--min-log N] [--max-log N] [--runs N] [--out FILE]

Runs every GPU benchmark once, medians of --runs timed runs after a warm-up:
  verify       the ed25519 verify kernel alone (all three rule sets at once), 2^min..2^max items
  merkle       RFC 6962 roots of 2^min..2^max leaves of ${LEAF} bytes
  incremental  the GPU state tree: one update touching 18% of 2^max leaves
  end to end   preexec bench --backend webgpu
and writes one JSON (default bench/out/gpu.json).
Defaults: --min-log 10 --max-log 20 --runs 5; --quick: --min-log 4 --max-log 6 --runs 2 and a tiny end-to-end workload.`;

/** Distinct signatures per batch; bigger batches repeat them (the GPU does the same work per item). */
const DISTINCT_LOG = 16;
/** Items the CPU re-verifies per size, strided over the batch. */
const CPU_CHECK_ITEMS = 16_384;
/** Share of leaves an update touches: a 100k-transfer block over 1M accounts touches ~181k. */
const TOUCHED_SHARE = 0.181;

export interface GpuBenchOptions {
  quick: boolean;
  minLog: number;
  maxLog: number;
  runs: number;
  onProgress?: (line: string) => void;
  /** preexec bench's own progress lines. */
  onStderr?: (text: string) => void;
}

export interface VerifyRow { items: number; ms: number; runsMs: number[]; verifiesPerS: number; cpuChecked: number; matchesCpu: boolean }
export interface MerkleRow { leaves: number; ms: number; runsMs: number[]; leavesPerS: number; matchesCpu: boolean }

export interface GpuBenchReport {
  bench: 'gpu';
  date: string;
  quick: boolean;
  machine: MachineInfo;
  adapter: AdapterReport;
  runs: number;
  verify: { rows: VerifyRow[]; compileMs: number };
  merkle: { leafBytes: number; rows: MerkleRow[] };
  incremental: IncrementalUpdateResult;
  endToEnd: unknown;
  totalMs: number;
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up: pipelines, buffers
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms;
}

/** n items: DISTINCT_LOG-capped distinct valid signatures repeated, every 7th with a bit of S flipped (invalid under every rule set). */
function verifyBatch(n: number, distinct: SignatureBatch): SignatureBatch {
  const d = distinct.messageOffsets.length - 1;
  const items: SignatureItem[] = [];
  for (let i = 0; i < n; i++) {
    const it = batchItem(distinct, i % d);
    if (i % 7 === 3) {
      const signature = it.signature.slice();
      signature[40] ^= 0x10;
      items.push({ ...it, signature });
    } else items.push(it);
  }
  return packSignatureBatch(items);
}

export async function runGpuBench(opts: GpuBenchOptions): Promise<GpuBenchReport> {
  const t0 = performance.now();
  const say = opts.onProgress ?? (() => {});
  const machine = machineInfo();
  const ctx = await acquireGpu();
  const sizes = Array.from({ length: opts.maxLog - opts.minLog + 1 }, (_, i) => 2 ** (opts.minLog + i));
  try {
    say(`adapter: ${adapterLine(ctx.report)}`);

    // ---- the verify kernel alone
    const keys = signers(Math.min(1024, 2 ** Math.min(opts.maxLog, DISTINCT_LOG)));
    const distinct = validBatch(2 ** Math.min(opts.maxLog, DISTINCT_LOG), keys);
    const kernel = createGpuVerifyKernel(ctx);
    const pool = await createCpuVerifier({ workers: machine.cores });
    const verifyRows: VerifyRow[] = [];
    const tCompile = performance.now();
    await kernel.verifyAll(sliceOne(distinct));
    const compileMs = performance.now() - tCompile;
    try {
      for (const n of sizes) {
        const batch = verifyBatch(n, distinct);
        let masks!: Uint8Array;
        const ms = await timeRuns(opts.runs, async () => { masks = await kernel.verifyAll(batch); });
        // The CPU's verdicts on a strided sample, each rule set.
        const sample = sampleBatch([batch], CPU_CHECK_ITEMS);
        let matches = true;
        for (const rules of RULE_SETS) {
          const cpu = await pool.verify(sample.batch, rules);
          for (let k = 0; k < sample.n; k++) {
            const g = Math.floor((k * n) / sample.n);
            if (((masks[g] & VERDICT_BIT[rules]) !== 0 ? 1 : 0) !== cpu[k]) matches = false;
          }
        }
        const row = { items: n, ms: median(ms), runsMs: ms, verifiesPerS: n / (median(ms) / 1e3), cpuChecked: sample.n, matchesCpu: matches };
        verifyRows.push(row);
        say(`verify ${n}: ${row.verifiesPerS.toFixed(0)}/s (${row.ms.toFixed(1)} ms), CPU agrees on ${sample.n} items: ${matches}`);
      }
    } finally {
      kernel.destroy();
      await pool.destroy();
    }

    // ---- Merkle roots
    const engine = await createGpuMerkleEngine(ctx);
    const merkleRows: MerkleRow[] = [];
    try {
      for (const n of sizes) {
        const input = pseudoRandomLeaves(n, LEAF);
        const want = toHex(merkleRoot(input));
        let matches = true;
        const ms = await timeRuns(opts.runs, async () => { if (toHex(await engine.root(input)) !== want) matches = false; });
        const row = { leaves: n, ms: median(ms), runsMs: ms, leavesPerS: n / (median(ms) / 1e3), matchesCpu: matches };
        merkleRows.push(row);
        say(`merkle ${n}: ${Math.round(row.leavesPerS)} leaves/s (${row.ms.toFixed(1)} ms), root matches the CPU: ${matches}`);
      }
    } finally {
      engine.destroy();
    }

    // ---- incremental update on the GPU tree
    const n = 2 ** opts.maxLog;
    const incremental = await incrementalUpdate({ backend: 'webgpu', leaves: n, touched: Math.max(1, Math.round(n * TOUCHED_SHARE)), leafBytes: STATE_LEAF_BYTES, runs: opts.runs, device: ctx });
    say(`incremental: ${incremental.touched} of ${n} leaves in ${incremental.updateMs.toFixed(1)} ms, root matches the reference: ${incremental.rootMatchesReference}`);

    // ---- end to end
    const e2eArgs = ['--backend', 'webgpu', '--json', ...(opts.quick ? ['--accounts', '32', '--txs', '32', '--blocks', '2', '--runs', '1'] : [])];
    let out = '';
    let err = '';
    const code = await benchCommand(e2eArgs, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; opts.onStderr?.(t); } }, { isTTY: false });
    if (code !== 0) throw new Error(`preexec bench ${e2eArgs.join(' ')} exited ${code}: ${err.trim()}`);
    const endToEnd = JSON.parse(out) as { tps: { endToEnd: number } };
    say(`end to end (preexec bench --backend webgpu): ${Math.round(endToEnd.tps.endToEnd)} tx/s`);

    return {
      bench: 'gpu', date: new Date().toISOString(), quick: opts.quick, machine, adapter: { ...ctx.report }, runs: opts.runs,
      verify: { rows: verifyRows, compileMs }, merkle: { leafBytes: LEAF, rows: merkleRows }, incremental, endToEnd,
      totalMs: performance.now() - t0,
    };
  } finally {
    ctx.destroy();
  }
}

function sliceOne(b: SignatureBatch): SignatureBatch {
  return packSignatureBatch([batchItem(b, 0)]);
}

export async function cli(argv: readonly string[]): Promise<void> {
  const flags = parseFlags(argv, { values: ['min-log', 'max-log', 'runs', 'out'], switches: ['quick', 'help'] });
  if (flags.has('help')) { process.stdout.write(`${HELP}\n`); return; }
  const quick = flags.has('quick');
  const maxLog = flags.positiveInt('max-log', quick ? 6 : 20);
  const minLog = flags.positiveInt('min-log', Math.min(quick ? 4 : 10, maxLog));
  const runs = flags.positiveInt('runs', quick ? 2 : 5);
  if (maxLog > 24) throw new UsageError(`--max-log must be at most 24, got ${maxLog}`);
  if (minLog > maxLog) throw new UsageError(`--min-log ${minLog} is above --max-log ${maxLog}`);
  const out = path.resolve(flags.value('out') ?? fileURLToPath(new URL('./out/gpu.json', import.meta.url)));
  const report = await runGpuBench({ quick, minLog, maxLog, runs, onProgress: (l) => process.stdout.write(`${l}\n`), onStderr: (t) => process.stderr.write(t) });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);
  const bad = [...report.verify.rows, ...report.merkle.rows].filter((r) => !r.matchesCpu).length + (report.incremental.rootMatchesReference ? 0 : 1);
  process.stdout.write(`done in ${(report.totalMs / 1000).toFixed(0)} s; wrote ${out}\n`);
  if (bad > 0) throw new Error(`${bad} GPU result(s) differ from the CPU: see ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(() => process.exit(0), (e: unknown) => {
    process.stderr.write(`bench:gpu: ${(e as Error)?.message ?? e}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}

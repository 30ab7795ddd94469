// `preexec bench`: generates a workload in memory, runs the whole pipeline on
// it and reports throughput per stage and end to end, beside CPU baselines
// measured in the same run on the same transactions:
//   - node:crypto (OpenSSL) verifying the same signatures on one thread: with
//     a key import per signature through the fastest import (JWK, the CPU
//     workers' path), and with every key imported before the timed loop (the
//     ceiling of one thread); the speedup is against the faster of the two;
//   - the sequential executor on one thread, same blocks, same validity;
//   - a from-scratch CPU state root of the final state.
// The pipeline runs `--runs` times from genesis; the median run (by
// end-to-end time) is reported, every run's figure is in the JSON.
import type { CommandIo } from '../cli.js';
import { RULE_SETS, sliceBatch, type RuleSet } from '../ed25519/batch.js';
import { DEFAULT_RULES } from '../ed25519/verifier.js';
import { decodeBlock } from '../exec/decode.js';
import { executeSequential } from '../exec/executor.js';
import { toHex } from '../hex.js';
import { merkleRoot } from '../merkle/reference.js';
import { createPipeline, type Backend } from '../pipeline/pipeline.js';
import { measurePipelineRun, measureSequentialExecute, median, STAGES, type PipelineRunStats } from '../pipeline/measure.js';
import { medianBy } from '../stats.js';
import { ACCOUNT_BYTES } from '../state/account-state.js';
import { stateFromGenesis } from '../state/genesis.js';
import { generateWorkload } from '../workload/generate.js';
import { nodeSigner } from '../workload/signer-node.js';
import { parseFlags, wantsHelp } from './args.js';
import { createProgress } from './progress.js';
import { TRANSACTION_FORMATS } from '../tx/index.js';
import {
  BASELINE_SAMPLE, adapterLine, bestVerifyBaseline, fmt, lpad, machineInfo, measureVerifyBaselines, pad, sampleBatch,
} from './bench-common.js';
import { WORKLOAD_FLAGS, workloadSpecFromFlags } from './gen.js';

/** Sized for ~20–60 s on a 2-core machine (generation, baselines and 3 pipeline runs). */
export const BENCH_DEFAULTS = { workload: 'uniform' as const, accounts: 10_000, txsPerBlock: 10_000, blocks: 8, seed: 1 };

export const BENCH_USAGE = `usage: preexec bench [--format v1|solana] [--workload uniform|hot|bad-sigs|new-accounts] [--accounts N] [--txs N] [--blocks N]
                     [--seed N] [--bad-sigs PERCENT] [--backend auto|webgpu|cpu] [--rules zip215|ref10|solana]
                     [--workers N] [--runs N] [--in-flight N] [--json]

--format solana benchmarks the Solana stage instead: preexec bench --format solana --help.

Generates a workload in memory (as preexec gen), runs the whole pipeline on it
--runs times from genesis and prints throughput per stage (decode, verify,
execute, state root, end to end) beside single-thread CPU baselines measured
in the same run on the same transactions. Progress goes to stderr.

  workload flags as preexec gen (defaults here: --accounts ${BENCH_DEFAULTS.accounts}, --txs ${BENCH_DEFAULTS.txsPerBlock},
    --blocks ${BENCH_DEFAULTS.blocks}, --seed ${BENCH_DEFAULTS.seed}, --workload ${BENCH_DEFAULTS.workload})
  --backend B     auto (default), webgpu or cpu: where signatures and the state root go
  --rules R       default ${DEFAULT_RULES}
  --workers N     CPU threads (default: every core)
  --runs N        pipeline runs; the median is reported (default 3)
  --in-flight N   blocks inside the pipeline at once (default 3)
  --json          one JSON object: {"tps", "baselines", "backend", "workload", "machine", "runs", ...}

Exit codes: 0 done, 2 bad flag, 1 environment (no GPU for --backend webgpu, ...).

Example (a few seconds):
  preexec bench --accounts 100 --txs 200 --blocks 2 --runs 1 --backend cpu`;
/** The --format value, looked up before parsing because each format takes its own flags. */
function formatFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--format') return argv[i + 1];
    if (argv[i].startsWith('--format=')) return argv[i].slice('--format='.length);
  }
  return undefined;
}

export async function benchCommand(argv: string[], io: CommandIo, env: { isTTY?: boolean } = {}): Promise<number> {
  if (formatFlag(argv) === 'solana') return (await import('./bench-solana.js')).benchSolanaCommand(argv, io, env);
  if (wantsHelp(argv)) {
    io.stdout(`${BENCH_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: ['format', ...WORKLOAD_FLAGS, 'backend', 'rules', 'workers', 'runs', 'in-flight'], switches: ['json'] });
  flags.choice('format', Object.keys(TRANSACTION_FORMATS), 'v1');
  const spec = workloadSpecFromFlags(flags, BENCH_DEFAULTS);
  const backend = flags.choice<Backend>('backend', ['auto', 'webgpu', 'cpu'], 'auto');
  const rules = flags.choice<RuleSet>('rules', RULE_SETS, DEFAULT_RULES);
  const workers = flags.has('workers') ? flags.positiveInt('workers', 1) : undefined;
  const runs = flags.positiveInt('runs', 3);
  const maxBlocksInFlight = flags.positiveInt('in-flight', 3);
  const json = flags.has('json');
  const progress = createProgress(io, env.isTTY ?? (process.stderr.isTTY === true));

  const machine = machineInfo();


  // 1. Workload, in memory.
  const tGen = performance.now();
  const workload = await generateWorkload(spec, {
    signer: nodeSigner,
    onProgress: (done, total) => progress.update(`generating ${spec.workload} workload: ${fmt(done)}/${fmt(total)} transactions signed`),
  });
  const transactions = spec.txsPerBlock * spec.blocks;
  progress.done(json ? undefined : `generated ${fmt(transactions)} transactions (${spec.workload}, ${fmt(spec.accounts)} accounts, ${spec.blocks} blocks) in ${((performance.now() - tGen) / 1000).toFixed(1)} s`);

  // 2. Pipeline runs, each from genesis.
  const runStats: PipelineRunStats[] = [];
  const warmupMs: number[] = [];
  let backends: Awaited<ReturnType<typeof createPipeline>>['backends'] | undefined;
  for (let r = 0; r < runs; r++) {
    const pipeline = await createPipeline({ genesis: workload.genesis, rules, backend, maxBlocksInFlight, ...(workers !== undefined ? { workers } : {}) });
    backends = pipeline.backends;
    try {
      // Warm-up outside the timed run, as a node does at startup: the first
      // GPU verify compiles its kernel (the state tree compiles at creation).
      const tWarm = performance.now();
      const compiling = pipeline.backends.verify === 'webgpu'
        ? setInterval(() => progress.update(`run ${r + 1}/${runs}: warm-up, compiling the WGSL verify kernels... ${Math.round((performance.now() - tWarm) / 1000)} s`), 1000)
        : undefined;
      try {
        await pipeline.verify(sliceBatch(decodeBlock(workload.blocks[0]).batch, 0, Math.min(1, workload.blocks[0].count)));
      } finally {
        clearInterval(compiling);
      }
      warmupMs.push(performance.now() - tWarm);
      runStats.push(await measurePipelineRun(pipeline, workload.blocks, (res, done, ms) => {
        const txDone = workload.blocks.slice(0, done).reduce((s, b) => s + b.count, 0);
        progress.update(`run ${r + 1}/${runs}: block ${done}/${spec.blocks}, ${fmt(txDone)} tx, ${fmt((txDone * 1000) / ms)} tx/s end to end (verify ${res.timings.verifyMs.toFixed(0)} ms, execute ${res.timings.executeMs.toFixed(0)} ms, root ${res.timings.stateRootMs.toFixed(0)} ms)`);
      }));
    } finally {
      await pipeline.close();
    }
    progress.done(json ? undefined : `run ${r + 1}/${runs}: ${fmt(runStats[r].tps.endToEnd)} tx/s end to end`);
  }
  // Every run must agree: the result is a pure function of genesis, blocks and rules.
  for (const s of runStats) {
    if (s.stateRoot !== runStats[0].stateRoot) throw new Error(`pipeline runs disagree on the state root (${runStats[0].stateRoot} vs ${s.stateRoot})`);
  }
  const med = medianBy(runStats, (s) => s.wallMs)!;

  // 3. Baselines on the same transactions.
  progress.update('baseline: node:crypto verify on one thread');
  const batches = workload.blocks.map((b) => decodeBlock(b).batch);
  const sample = sampleBatch(batches, BASELINE_SAMPLE);
  const verifyBaselines = measureVerifyBaselines(sample, progress);
  progress.update('baseline: sequential execute');
  const execRuns = [0, 1, 2].map(() => measureSequentialExecute(workload.genesis, workload.blocks, med.validity).tps);
  progress.update('baseline: full state root recomputation');
  const finalState = stateFromGenesis(workload.genesis);
  for (let b = 0; b < workload.blocks.length; b++) {
    executeSequential(finalState, decodeBlock(workload.blocks[b]), med.validity[b]);
  }
  // Columnar leaves, built before the clock: the timed part is the hashing alone.
  const all = Uint32Array.from({ length: finalState.count }, (_, i) => i);
  const leaves = { data: finalState.leaves(all), offsets: Uint32Array.from({ length: finalState.count + 1 }, (_, i) => ACCOUNT_BYTES * i) };
  const tRoot = performance.now();
  const fullRoot = toHex(merkleRoot(leaves));
  const fullRootMs = performance.now() - tRoot;
  progress.done();
  if (fullRoot !== med.stateRoot) throw new Error(`pipeline state root ${med.stateRoot} differs from the sequential reference ${fullRoot}`);

  const baselines = {
    ...verifyBaselines,
    executeSequentialOneThread: median(execRuns),
    /** Transactions per second if every block recomputed the whole root (one thread). */
    stateRootFullRecompute: Math.round((spec.txsPerBlock * 1000) / fullRootMs),
    stateRootFullRecomputeMs: Number(fullRootMs.toFixed(2)),
  };
  // The speedup is against the faster single-thread baseline, whichever it is in this run.
  const best = bestVerifyBaseline(verifyBaselines);
  const speedup = best.tps > 0 ? med.tps.endToEnd / best.tps : Number.NaN;
  const report = {
    tps: { endToEnd: med.tps.endToEnd, verify: med.tps.verify, execute: med.tps.execute, stateRoot: med.tps.stateRoot, decode: med.tps.decode },
    // null when there was no signature to time (JSON has no NaN).
    endToEndOverBestVerifyBaseline: Number.isFinite(speedup) ? Number(speedup.toFixed(2)) : null,
    /** The key in `baselines` that the speedup divides by. */
    bestVerifyBaseline: best.name,
    baselines,
    backend: { requested: backend, ...backends, rules, maxBlocksInFlight },
    workload: { ...workload.spec, transactions },
    machine,
    runs: runStats.map((s, i) => ({ endToEndTps: s.tps.endToEnd, wallMs: Number(s.wallMs.toFixed(1)), untimedWarmupMs: Number(warmupMs[i].toFixed(1)) })),
    stageMs: Object.fromEntries(STAGES.map((s) => [s, Number(med.stageMs[s].toFixed(1))])),
    wallMs: Number(med.wallMs.toFixed(1)),
    receipts: med.receipts,
    stateRoot: med.stateRoot,
  };
  if (json) {
    io.stdout(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const a = backends?.adapter;
  const lines = [
    `preexec bench: ${spec.workload}, ${fmt(spec.accounts)} accounts, ${spec.blocks} blocks × ${fmt(spec.txsPerBlock)} transactions, rules ${rules}, seed ${spec.seed}`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}, node ${machine.node}`,
    `backend: verify ${backends?.verify}, state root ${backends?.stateRoot}, execute on ${backends?.executeWorkers} thread(s), ${maxBlocksInFlight} blocks in flight`,
    `adapter: ${adapterLine(a)}`,
    ...(backends?.fallbackReason ? [`backend auto chose the CPU: ${backends.fallbackReason}`] : []),
    '',
    `${pad('pipeline stage', 40)}${lpad('busy s', 10)}${lpad('tx/s', 14)}`,
    ...STAGES.map((s) => `${pad(s === 'stateRoot' ? 'state root (incremental)' : s, 40)}${lpad((med.stageMs[s] / 1000).toFixed(2), 10)}${lpad(fmt(med.tps[s]), 14)}`),
    `${pad('end to end', 40)}${lpad((med.wallMs / 1000).toFixed(2), 10)}${lpad(fmt(med.tps.endToEnd), 14)}`,
    '',
    `${pad('baseline (same run, same transactions)', 58)}${lpad('tx/s', 14)}`,
    `${pad('node:crypto verify, 1 thread, fastest key import', 58)}${lpad(fmt(baselines.verifyNodeCryptoOneThread), 14)}`,
    `${pad('node:crypto verify, 1 thread, keys pre-imported (ceiling)', 58)}${lpad(fmt(baselines.verifyNodeCryptoOneThreadPreimportedKeys), 14)}`,
    `${pad('sequential execute, 1 thread', 58)}${lpad(fmt(baselines.executeSequentialOneThread), 14)}`,
    `${pad(`full state root per block (${fmt(finalState.count)} leaves, ${baselines.stateRootFullRecomputeMs} ms)`, 58)}${lpad(fmt(baselines.stateRootFullRecompute), 14)}`,
    '',
    `end to end = ${Number.isFinite(speedup) ? `${speedup.toFixed(2)}×` : 'n/a (no signatures)'} ${best.label} (the faster single-thread baseline; ${fmt(sample.n)} of the run's signatures, median of 3; pipeline: median of ${runs} run(s): ${runStats.map((s) => fmt(s.tps.endToEnd)).join(', ')} tx/s)`,
    `receipts: ${Object.entries(med.receipts).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; state root ${med.stateRoot}`,
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

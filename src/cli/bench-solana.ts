// `preexec bench --format solana`: generates the Solana workload in memory,
// lays the packets out as `preexec solana` reads them (one buffer), runs it through `--runs` fresh Solana stages and reports packets/s and
// signatures/s per stage (decode + sanitize, dedup, sigverify, locks,
// batches, the whole stage) from the median run (by whole-stage time),
// beside the verifier alone on the stage's own signature batch (on a GPU:
// the kernel with its transfers) and single-thread node:crypto verification
// of a sample of the same signatures, all measured in the same run. Every run must give each line the
// reason the generator meant, so a fast wrong stage cannot report a figure.
//
// `--parse-only` times the CPU part alone (decode + dedup + locks +
// batches, on the calling thread, verdicts taken from the generator): the
// ≥ 1M packets/s on one core target.
import type { CommandIo } from '../cli.js';
import { RULE_SETS, sliceBatch, type RuleSet, type SignatureBatch } from '../ed25519/batch.js';
import { createVerifier, type BackendChoice } from '../ed25519/verifier.js';
import {
  DEFAULT_SOLANA_BATCH_SIZE, createSolanaStage, finishSolanaPackets, packSolanaSignatures, prepareSolanaPackets, type SolanaStage, type SolanaStageResult,
} from '../solana/stage.js';
import { median } from '../stats.js';
import { AccountLockResolver } from '../tx/solana/locks.js';
import { generateSolanaWorkload, type SolanaWorkload } from '../workload/solana.js';
import { nodeSigner } from '../workload/signer-node.js';
import { parseFlags, UsageError, wantsHelp } from './args.js';
import {
  BASELINE_SAMPLE, adapterLine, bestVerifyBaseline, fmt, lpad, machineInfo, measureVerifyBaselines, pad, sampleBatch,
} from './bench-common.js';
import { createProgress, stderrIsTTY, type Progress } from './progress.js';
import { parseSolanaPacketLines } from '../tx/solana/base64-lines.js';
import { SOLANA_ONLY_FLAGS, SOLANA_WORKLOAD_USAGE, lookupTablesToMap, packetsToBase64Lines, solanaWorkloadSpecFromFlags } from './gen-solana.js';

export const BENCH_SOLANA_USAGE = `usage: preexec bench --format solana ${SOLANA_WORKLOAD_USAGE.replace('--workload solana ', '')}
                     [--backend auto|webgpu|cpu] [--rules zip215|ref10|solana] [--workers N] [--batch-size N] [--runs N] [--parse-only] [--json]`;

/** Sized for well under a minute on a 2-core machine; --parse-only defaults to more packets (no verification). */
export const BENCH_SOLANA_DEFAULTS = { txs: 50_000, parseOnlyTxs: 200_000, runs: 3, parseOnlyRuns: 5 };

const STAGE_ROWS = [
  ['decodeMs', 'decode + sanitize'], ['dedupMs', 'dedup'], ['verifyMs', 'sigverify (pack + verify)'], ['locksMs', 'account locks'], ['batchMs', 'batches'],
] as const;

function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

/** Per-signature verdicts as the generator meant them (a bad line fails on one signature), in packSolanaSignatures order. */
function intendedVerdicts(w: SolanaWorkload, reachedSignatures: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count).fill(1);
  let item = 0;
  for (let line = 0; line < w.packets.length; line++) {
    if (reachedSignatures[line] !== 0) continue;
    if (w.intended[line] === 'bad_signature') out[item] = 0;
    item += w.signatureCounts[line];
  }
  if (item !== count) throw new Error(`workload and stage disagree on the signature count (${item} vs ${count})`);
  return out;
}

function checkAgainstIntent(w: SolanaWorkload, reasons: readonly string[], what: string): void {
  for (let i = 0; i < reasons.length; i++) {
    if (reasons[i] !== w.intended[i]) throw new Error(`${what}: line ${i} got ${JSON.stringify(reasons[i])}, the generator meant ${JSON.stringify(w.intended[i])}`);
  }
}

export async function benchSolanaCommand(argv: string[], io: CommandIo, env: { isTTY?: boolean } = {}): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${BENCH_SOLANA_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, {
    values: ['format', 'txs', 'accounts', 'seed', 'bad-sigs', ...SOLANA_ONLY_FLAGS, 'backend', 'rules', 'workers', 'batch-size', 'runs'],
    switches: ['json', 'parse-only'],
  });
  const parseOnly = flags.has('parse-only');
  const spec = solanaWorkloadSpecFromFlags(flags, { txs: parseOnly ? BENCH_SOLANA_DEFAULTS.parseOnlyTxs : BENCH_SOLANA_DEFAULTS.txs });
  const runs = flags.positiveInt('runs', parseOnly ? BENCH_SOLANA_DEFAULTS.parseOnlyRuns : BENCH_SOLANA_DEFAULTS.runs);
  const batchSize = flags.positiveInt('batch-size', DEFAULT_SOLANA_BATCH_SIZE);
  if (parseOnly) {
    for (const f of ['backend', 'rules', 'workers']) if (flags.has(f)) throw new UsageError(`--${f} does not apply to --parse-only (no signature is verified)`);
  }
  const backend = flags.choice('backend', ['auto', 'webgpu', 'cpu'] as const, 'auto');
  // The stage's own default: Agave's rule.
  const rules = flags.choice<RuleSet>('rules', RULE_SETS, 'solana');
  const workers = flags.has('workers') ? flags.positiveInt('workers', 1) : undefined;
  const json = flags.has('json');
  const progress = createProgress(io, env.isTTY ?? stderrIsTTY());
  const machine = machineInfo();

  const tGen = performance.now();
  const generated = await generateSolanaWorkload(spec, {
    signer: nodeSigner,
    onProgress: (done, total) => progress.update(`generating solana workload: ${fmt(done)}/${fmt(total)} transactions signed`),
  });
  const n = generated.packets.length;
  progress.done(json ? undefined : `generated ${fmt(n)} Solana transactions (${fmt(generated.counts.signatures)} signatures, seed ${spec.seed}) in ${((performance.now() - tGen) / 1000).toFixed(1)} s`);
  const tables = lookupTablesToMap(generated.lookupTables);
  const workload = { format: 'solana', ...spec, transactions: n, counts: generated.counts };
  // The stage gets the packets as `preexec solana` reads them (and a node receives them): side by side in one
  // buffer, not each in its own allocation strewn over the heap by the generator.
  const w: SolanaWorkload = { ...generated, packets: parseSolanaPacketLines(new TextEncoder().encode(packetsToBase64Lines(generated.packets)), 'the generated workload') as Uint8Array[] };

  if (parseOnly) return parseOnlyBench(w, tables, runs, batchSize, { json, io, progress, machine, workload });

  // The CPU parts once over everything, untimed: the JIT is warm for every run (as in a running
  // node), without warming the verifier's key caches, which each run starts without.
  const prepared = prepareSolanaPackets(w.packets, tables);
  finishSolanaPackets(prepared, intendedVerdicts(w, prepared.reasons, prepared.signatures), batchSize);
  const batch = packSolanaSignatures(prepared);

  const results: SolanaStageResult[] = [];
  const warmupMs: number[] = [];
  let adapter: SolanaStage['adapter'];
  for (let r = 0; r < runs; r++) {
    // A fresh stage per run, warmed up on one packet outside the timing (workers started, GPU kernel compiled).
    const stage = await createSolanaStage({ rules, backend, lookupTables: tables, batchSize, ...(workers !== undefined ? { workers } : {}) });
    adapter = stage.adapter;
    try {
      const tWarm = performance.now();
      await stage.process(w.packets.slice(0, 1));
      warmupMs.push(performance.now() - tWarm);
      progress.update(`run ${r + 1}/${runs}: ${fmt(n)} packets through the stage`);
      const res = await stage.process(w.packets);
      checkAgainstIntent(w, res.reasons, `run ${r + 1}`);
      if (r > 0 && JSON.stringify(res.batches) !== JSON.stringify(results[0].batches)) throw new Error(`run ${r + 1} cut other batches than run 1`);
      results.push(res);
      progress.done(json ? undefined : `run ${r + 1}/${runs}: ${fmt(rate(n, res.timings.totalMs))} packets/s, ${fmt(rate(res.signatures, res.timings.totalMs))} signatures/s (${res.backend})`);
    } finally {
      await stage.close();
    }
  }
  const med = [...results].sort((a, b) => a.timings.totalMs - b.timings.totalMs)[Math.floor((results.length - 1) / 2)];
  const sigs = med.signatures;

  // The verifier alone on the stage's own signature batch (the packing left out), and the
  // baseline: a strided sample of the same signatures.
  const verifierMs = await timeVerifierAlone(batch, { rules, backend, ...(workers !== undefined ? { workers } : {}) }, runs, progress);
  const sample = sampleBatch([batch], BASELINE_SAMPLE);
  const baselines = measureVerifyBaselines(sample, progress);
  progress.done();
  const best = bestVerifyBaseline(baselines);
  const stageSigsPerS = rate(sigs, med.timings.totalMs);
  const speedup = best.tps > 0 && sigs > 0 ? stageSigsPerS / best.tps : Number.NaN;
  const cpuMs = med.timings.decodeMs + med.timings.dedupMs + med.timings.locksMs + med.timings.batchMs;

  const perStage = Object.fromEntries([
    ...STAGE_ROWS.map(([k]) => [k.replace(/Ms$/, ''), { ms: round1(med.timings[k]), packetsPerS: rate(n, med.timings[k]), signaturesPerS: rate(sigs, med.timings[k]) }]),
    ['verifierAlone', { ms: round1(verifierMs), packetsPerS: rate(n, verifierMs), signaturesPerS: rate(sigs, verifierMs) }],
    ['cpuOnly', { ms: round1(cpuMs), packetsPerS: rate(n, cpuMs), signaturesPerS: rate(sigs, cpuMs) }],
    ['stage', { ms: round1(med.timings.totalMs), packetsPerS: rate(n, med.timings.totalMs), signaturesPerS: stageSigsPerS }],
  ]);
  const report = {
    format: 'solana',
    perStage,
    // Stage signatures/s over the faster single-thread baseline = packets/s over what that baseline reaches on the same packets.
    stageOverBestVerifyBaseline: Number.isFinite(speedup) ? Number(speedup.toFixed(2)) : null,
    bestVerifyBaseline: best.name,
    baselines,
    backend: { requested: backend, used: med.backend, rules, batchSize, ...(workers !== undefined ? { workers } : {}), ...(adapter ? { adapter } : {}) },
    workload,
    machine,
    runs: results.map((r) => ({ totalMs: round1(r.timings.totalMs), packetsPerS: rate(n, r.timings.totalMs), signaturesPerS: rate(r.signatures, r.timings.totalMs) })),
    untimedWarmupMs: warmupMs.map(round1),
    valid: med.valid.reduce((s, v) => s + v, 0),
    signatures: sigs,
    batches: med.batches.length,
  };
  if (json) {
    io.stdout(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const row = (label: string, ms: number, width = 30) => `${pad(label, width)}${lpad(ms.toFixed(1), 10)}${lpad(fmt(rate(n, ms)), 14)}${lpad(fmt(rate(sigs, ms)), 16)}`;
  const lines = [
    `preexec bench --format solana: ${fmt(n)} packets (${fmt(w.counts.v0)} v0, ${fmt(w.counts.multiSigner)} multi-signer, ${fmt(w.counts.duplicate)} duplicates, ${fmt(w.counts.badSignature)} bad signatures), ${fmt(sigs)} signatures checked, rules ${rules}, batch size ${batchSize}, seed ${spec.seed}`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}, node ${machine.node}`,
    `backend: ${med.backend} (requested ${backend})`,
    `adapter: ${adapterLine(adapter)}`,
    '',
    `${pad('stage (median run)', 30)}${lpad('ms', 10)}${lpad('packets/s', 14)}${lpad('signatures/s', 16)}`,
    ...STAGE_ROWS.map(([k, label]) => row(label, med.timings[k])),
    row('verifier alone (same batch)', verifierMs),
    row('CPU part (all but sigverify)', cpuMs),
    row('whole stage', med.timings.totalMs),
    '',
    `${pad('baseline (same run, same signatures)', 58)}${lpad('signatures/s', 16)}`,
    `${pad('node:crypto verify, 1 thread, fastest key import', 58)}${lpad(fmt(baselines.verifyNodeCryptoOneThread), 16)}`,
    `${pad('node:crypto verify, 1 thread, keys pre-imported (ceiling)', 58)}${lpad(fmt(baselines.verifyNodeCryptoOneThreadPreimportedKeys), 16)}`,
    '',
    `whole stage = ${Number.isFinite(speedup) ? `${speedup.toFixed(2)}×` : 'n/a (no signatures)'} ${best.label} (${fmt(sample.n)} of the run's signatures, median of 3; stage: median of ${runs} run(s): ${results.map((r) => fmt(rate(n, r.timings.totalMs))).join(', ')} packets/s)`,
    `${fmt(report.valid)} valid lines in ${fmt(report.batches)} batches; every line's reason is the one the generator meant`,
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

/** Median over `runs` fresh verifiers (each warmed up on one item, untimed) of one call on `batch`. */
async function timeVerifierAlone(batch: SignatureBatch, options: { rules: RuleSet; backend: BackendChoice; workers?: number }, runs: number, progress: Progress): Promise<number> {
  const n = batch.messageOffsets.length - 1;
  if (n === 0) return 0;
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const verifier = await createVerifier(options);
    try {
      await verifier.verify(sliceBatch(batch, 0, 1));
      progress.update(`verifier alone: run ${r + 1}/${runs}`);
      const t = performance.now();
      await verifier.verify(batch);
      times.push(performance.now() - t);
    } finally {
      await verifier.close();
    }
  }
  return median(times);
}

function round1(ms: number): number {
  return Number(ms.toFixed(1));
}

async function parseOnlyBench(
  w: SolanaWorkload, tables: Map<string, readonly Uint8Array[]>, runs: number, batchSize: number,
  o: { json: boolean; io: CommandIo; progress: Progress; machine: ReturnType<typeof machineInfo>; workload: Record<string, unknown> },
): Promise<number> {
  const n = w.packets.length;
  const resolver = new AccountLockResolver(tables);
  const first = prepareSolanaPackets(w.packets, resolver);
  const verdicts = intendedVerdicts(w, first.reasons, first.signatures);
  const samples: { decodeMs: number; dedupMs: number; locksMs: number; batchMs: number; totalMs: number }[] = [];
  // The first runs warm the JIT up and are not counted.
  const warmups = 2;
  for (let r = 1 - warmups; r <= runs; r++) {
    o.progress.update(r > 0 ? `parse-only run ${r}/${runs}` : 'parse-only warm-up');
    const t = performance.now();
    const prepared = prepareSolanaPackets(w.packets, resolver);
    const finished = finishSolanaPackets(prepared, verdicts, batchSize);
    const totalMs = performance.now() - t;
    checkAgainstIntent(w, finished.reasons, `parse-only run ${r}`);
    if (r > 0) samples.push({ ...prepared.timings, batchMs: finished.batchMs, totalMs });
  }
  o.progress.done();
  const pick = (k: keyof (typeof samples)[number]) => median(samples.map((s) => s[k]));
  const parts = { decode: pick('decodeMs'), dedup: pick('dedupMs'), locks: pick('locksMs'), batches: pick('batchMs'), other: 0, total: pick('totalMs') };
  // What the wall time holds beyond the timed parts: folding verdicts, reason and detail strings, allocation.
  parts.other = Math.max(0, parts.total - parts.decode - parts.dedup - parts.locks - parts.batches);
  const report = {
    format: 'solana',
    mode: 'parse-only',
    thread: 'one (the calling thread)',
    perStage: Object.fromEntries(Object.entries(parts).map(([k, ms]) => [k, { ms: round1(ms), packetsPerS: rate(n, ms) }])),
    workload: o.workload,
    machine: o.machine,
    runs: samples.map((s) => ({ totalMs: round1(s.totalMs), packetsPerS: rate(n, s.totalMs) })),
  };
  if (o.json) {
    o.io.stdout(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const lines = [
    `preexec bench --format solana --parse-only: ${fmt(n)} packets, decode + dedup + locks + batches on one thread, verdicts from the generator, batch size ${batchSize}`,
    `machine: ${o.machine.cpu}, ${o.machine.cores} cores, ${o.machine.platform}, node ${o.machine.node}`,
    '',
    `${pad('part (median of runs)', 30)}${lpad('ms', 10)}${lpad('packets/s', 14)}`,
    ...Object.entries(parts).map(([k, ms]) => `${pad(k === 'total' ? 'all of it (wall)' : k === 'other' ? 'other (verdicts, reasons)' : k, 30)}${lpad(ms.toFixed(1), 10)}${lpad(fmt(rate(n, ms)), 14)}`),
    '',
    `runs: ${samples.map((s) => fmt(rate(n, s.totalMs))).join(', ')} packets/s (after ${warmups} untimed warm-up runs)`,
  ];
  o.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

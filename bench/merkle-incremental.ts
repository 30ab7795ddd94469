// The incremental CPU state tree (src/merkle/incremental.ts) on its own, one
// thread: cost per hash of the fixed shapes (node's createHash vs the word
// SHA-256 of src/merkle/sha256-words.ts), then whole updates of the shapes
// the executor produces — a 100k-transfer block over 1M accounts (~181k
// touched leaves, in first-write order) and a 10k-transfer block over 10k
// accounts (most leaves touched) — beside a full recomputation of the same
// leaves. Every root is checked against the reference merkleRoot.
//
//   npx tsx bench/merkle-incremental.ts [--accounts 1000000] [--touched 181000] [--small 10000] [--runs 5]
import { hash } from 'node:crypto';
import os from 'node:os';
import { bytes, incrementalUpdate } from './merkle-common.js';
import { leafHash, nodeHash } from '../src/merkle/reference.js';
import { leafHash48Words, nodeHashWords } from '../src/merkle/sha256-words.js';
import { median } from '../src/stats.js';
import { benchFlags } from './flags.js';

const flags = benchFlags({
  usage: `usage: npx tsx bench/merkle-incremental.ts [--accounts N] [--touched N] [--small N] [--runs N]

The incremental CPU state tree alone, one thread: cost per hash, then whole
updates of a big block (--touched of --accounts leaves) and a small one
(--small accounts, most touched) beside a full recomputation.

  --accounts N  leaves of the big tree (default 1000000)
  --touched N   leaves the big update touches (default 181000)
  --small N     leaves of the small tree (default 10000)
  --runs N      runs per shape; the median is reported (default 5)

Example (short): npx tsx bench/merkle-incremental.ts --accounts 20000 --touched 4000 --small 1000 --runs 1`,
  values: ['accounts', 'touched', 'small', 'runs'],
});
const arg = (name: string, fallback: number) => flags.int(name, fallback);
const ACCOUNTS = arg('accounts', 1_000_000);
const TOUCHED = arg('touched', 181_000);
const SMALL = arg('small', 10_000);
const RUNS = arg('runs', 5);
const LEAF = 48;


console.log(`machine: ${os.cpus()[0]?.model?.trim()}, ${os.availableParallelism?.() ?? os.cpus().length} cores, node ${process.version}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

// ---- per hash ----
{
  const N = 200_000;
  const data = bytes(N * LEAF);
  const words = new Int32Array(N * 8 + 16);
  const bench = (label: string, fn: () => void) => {
    fn(); // JIT
    const ts: number[] = [];
    for (let r = 0; r < RUNS; r++) { const t = performance.now(); fn(); ts.push(performance.now() - t); }
    console.log(`${label.padEnd(44)} ${(median(ts) * 1e6 / N).toFixed(0).padStart(6)} ns per hash`);
  };
  const nodes = bytes(64);
  bench('leaf 0x00‖48 B, createHash (reference)', () => { for (let i = 0; i < N; i++) leafHash(data.subarray(i * LEAF, (i + 1) * LEAF)); });
  bench('leaf 0x00‖48 B, word SHA-256 into level', () => { for (let i = 0; i < N; i++) leafHash48Words(data, i * LEAF, words, i * 8); });
  // Node's one-shot hash (no Hash object; still a Buffer per call, and the caller would copy it into the level).
  const msg = new Uint8Array(65);
  bench('leaf 49 B, crypto.hash one-shot', () => { for (let i = 0; i < N; i++) hash('sha256', msg.subarray(0, 49), 'buffer'); });
  bench('node 65 B, crypto.hash one-shot', () => { for (let i = 0; i < N; i++) hash('sha256', msg, 'buffer'); });
  bench('node 0x01‖32‖32 B, createHash (reference)', () => { for (let i = 0; i < N; i++) nodeHash(nodes.subarray(0, 32), nodes.subarray(32)); });
  bench('node 0x01‖32‖32 B, word SHA-256 into level', () => { for (let i = 0; i < N - 1; i++) nodeHashWords(words, 8 * i, 8 * i + 8, words, 8 * i); });
}

// ---- whole updates ----
async function scenario(label: string, n: number, touchedCount: number) {
  const r = await incrementalUpdate({ backend: 'cpu', leaves: n, touched: touchedCount, leafBytes: LEAF, runs: RUNS });
  console.log(`${label}: update ${r.updateMs.toFixed(1)} ms (median of ${RUNS}), initial build ${r.initialBuildMs.toFixed(0)} ms; reference full recomputation ${r.fullRecomputeMs.toFixed(0)} ms (one thread, createHash); root == reference: ${r.rootMatchesReference ? 'yes' : 'NO'}`);
  if (!r.rootMatchesReference) process.exitCode = 1;
}
await scenario(`${ACCOUNTS} leaves, ${TOUCHED} touched`, ACCOUNTS, TOUCHED);
// 10k random transfers touch 1 − (1 − 2/n)^10k of n = 10k accounts, ~86%.
await scenario(`${SMALL} leaves, ${Math.round(SMALL * 0.865)} touched`, SMALL, Math.round(SMALL * 0.865));

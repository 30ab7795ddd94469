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
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GpuContext } from '../src/gpu/device.js';
import { createIncrementalMerkleTree } from '../src/merkle/incremental.js';
import { leafHash, merkleRoot, nodeHash } from '../src/merkle/reference.js';
import { leafHash48Words, nodeHashWords } from '../src/merkle/sha256-words.js';
import { toHex } from '../src/hex.js';
import { median } from '../src/stats.js';

const LEAF = 48;

let seed = 12345;
const rnd = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed; };
const bytes = (n: number) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = rnd() >>> 24; return b; };
/** Distinct random slots in first-touch order, as the executor's TouchSet gives them. */
function touches(n: number, count: number): Uint32Array {
  const seen = new Uint8Array(n);
  const out = new Uint32Array(count);
  for (let k = 0; k < count;) { const i = rnd() % n; if (!seen[i]) { seen[i] = 1; out[k++] = i; } }
  return out;
}
const allIndices = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

// ---- whole updates ----
export interface IncrementalUpdateResult {
  leaves: number;
  touched: number;
  /** One update (setLeaves + root), median. */
  updateMs: number;
  updateRunsMs: number[];
  initialBuildMs: number;
  /** The reference merkleRoot over all leaves, one thread. */
  fullRecomputeMs: number;
  rootMatchesReference: boolean;
}

/** `runs` updates of `touched` random leaves of an n-leaf tree on `backend`, every root checked against the reference. */
export async function incrementalUpdate(backend: 'cpu' | 'webgpu', n: number, touchedCount: number, runs: number, device?: GpuContext): Promise<IncrementalUpdateResult> {
  const leaves = bytes(n * LEAF);
  const tree = await createIncrementalMerkleTree({ backend, leafSize: LEAF, device });
  try {
    let t = performance.now();
    await tree.setLeaves(allIndices(n), leaves);
    await tree.root();
    const initialBuildMs = performance.now() - t;
    const ms: number[] = [];
    for (let r = 0; r < runs + 1; r++) {
      const idx = touches(n, touchedCount);
      const fresh = bytes(idx.length * LEAF);
      idx.forEach((i, k) => leaves.set(fresh.subarray(k * LEAF, (k + 1) * LEAF), i * LEAF));
      t = performance.now();
      await tree.setLeaves(idx, fresh);
      await tree.root();
      if (r > 0) ms.push(performance.now() - t); // the first update warms the JIT
    }
    const offsets = Uint32Array.from({ length: n + 1 }, (_, i) => i * LEAF);
    t = performance.now();
    const want = toHex(merkleRoot({ data: leaves, offsets }));
    const fullRecomputeMs = performance.now() - t;
    const rootMatchesReference = toHex(await tree.root()) === want;
    return { leaves: n, touched: touchedCount, updateMs: median(ms), updateRunsMs: ms, initialBuildMs, fullRecomputeMs, rootMatchesReference };
  } finally {
    tree.destroy();
  }
}

async function scenario(label: string, n: number, touchedCount: number, runs: number) {
  const r = await incrementalUpdate('cpu', n, touchedCount, runs);
  console.log(`${label}: update ${r.updateMs.toFixed(1)} ms (median of ${runs}), initial build ${r.initialBuildMs.toFixed(0)} ms; reference full recomputation ${r.fullRecomputeMs.toFixed(0)} ms (one thread, createHash); root == reference: ${r.rootMatchesReference ? 'yes' : 'NO'}`);
  if (!r.rootMatchesReference) process.exitCode = 1;
}

async function main() {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const ACCOUNTS = arg('accounts', 1_000_000);
  const TOUCHED = arg('touched', 181_000);
  const SMALL = arg('small', 10_000);
  const RUNS = arg('runs', 5);

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
  await scenario(`${ACCOUNTS} leaves, ${TOUCHED} touched`, ACCOUNTS, TOUCHED, RUNS);
  // 10k random transfers touch 1 − (1 − 2/n)^10k of n = 10k accounts, ~86%.
  await scenario(`${SMALL} leaves, ${Math.round(SMALL * 0.865)} touched`, SMALL, Math.round(SMALL * 0.865), RUNS);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();

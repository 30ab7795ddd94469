// Inputs and one measure shared by the Merkle benchmarks (bench/merkle.ts,
// bench/merkle-incremental.ts, bench/gpu.ts).
import type { GpuContext } from '../src/gpu/device.js';
import { toHex } from '../src/hex.js';
import { createIncrementalMerkleTree } from '../src/merkle/incremental.js';
import { merkleRoot } from '../src/merkle/reference.js';
import { median } from '../src/stats.js';

/** n leaves of `leafBytes` pseudo-random bytes (always the same), columnar. */
export function pseudoRandomLeaves(n: number, leafBytes: number) {
  const data = new Uint8Array(n * leafBytes);
  let s = 12345;
  for (let i = 0; i < data.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = s >>> 24; }
  return { data, offsets: new Uint32Array(n + 1).map((_, i) => i * leafBytes) };
}

let seed = 12345;
const rnd = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed; };
/** Pseudo-random bytes from one sequence shared by every caller in the process. */
export const bytes = (n: number) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = rnd() >>> 24; return b; };
/** Distinct random slots in first-touch order, as the executor's TouchSet gives them. */
function touches(n: number, count: number): Uint32Array {
  const seen = new Uint8Array(n);
  const out = new Uint32Array(count);
  for (let k = 0; k < count;) { const i = rnd() % n; if (!seen[i]) { seen[i] = 1; out[k++] = i; } }
  return out;
}
const allIndices = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

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

/**
 * `runs` updates of `touched` random leaves of an n-leaf incremental tree on
 * `backend` (after one untimed update), the final root checked against the
 * reference.
 */
export async function incrementalUpdate(opts: { backend: 'cpu' | 'webgpu'; leaves: number; touched: number; leafBytes: number; runs: number; device?: GpuContext }): Promise<IncrementalUpdateResult> {
  const { leaves: n, touched: touchedCount, leafBytes: LEAF, runs } = opts;
  const leaves = bytes(n * LEAF);
  const tree = await createIncrementalMerkleTree({ backend: opts.backend, leafSize: LEAF, device: opts.device });
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

// Runs in headless Chromium: RFC 6962 roots on the browser's WebGPU.
import { acquireGpu } from '../../src/gpu/device.js';
import { toHex } from '../../src/hex.js';
import { createGpuMerkleEngine } from '../../src/merkle/gpu.js';
import { createIncrementalMerkleTree } from '../../src/merkle/incremental.js';
import { fixedLeaves } from '../support/merkle-support.js';

export interface MerklePageResult {
  runtime: string;
  adapter: string;
  isSoftware: boolean;
  /** Roots for fixedLeaves(n, seed) per size, and the incremental tree's after two updates. */
  roots: Record<string, string>;
  proof: string[];
  incremental: string;
}

export async function run(arg: { sizes: number[]; seed: number; proofAt: [number, number] }): Promise<MerklePageResult> {
  const ctx = await acquireGpu();
  try {
    const engine = await createGpuMerkleEngine(ctx);
    const roots: Record<string, string> = {};
    for (const n of arg.sizes) roots[n] = toHex(await engine.root(fixedLeaves(n, arg.seed + n, 1 + (n % 70))));
    const [pn, pm] = arg.proofAt;
    const proof = (await engine.proof(fixedLeaves(pn, arg.seed, 33), pm)).map(toHex);
    engine.destroy();
    const tree = await createIncrementalMerkleTree({ backend: 'webgpu', leafSize: 48, device: ctx });
    const a = fixedLeaves(100, arg.seed, 48);
    await tree.setLeaves(new Uint32Array(100).map((_, i) => i), a.data);
    await tree.setLeaves(new Uint32Array([7, 100, 101]), fixedLeaves(3, arg.seed + 1, 48).data);
    const incremental = toHex(await tree.root());
    tree.destroy();
    return { runtime: ctx.report.runtime, adapter: ctx.report.description || ctx.report.device || ctx.report.vendor, isSoftware: ctx.report.isSoftware, roots, proof, incremental };
  } finally {
    ctx.destroy();
  }
}

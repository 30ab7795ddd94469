// The WebGPU Merkle path inside headless Chromium (WebGPU on SwiftShader in
// CI), against the CPU reference in Node.
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../src/hex.js';
import { inclusionProof, merkleRoot } from '../src/merkle/index.js';
import { startBrowserHarness, type BrowserHarness } from './browser/harness.js';
import type { MerklePageResult } from './browser/merkle-page.js';
import { fixedLeaves } from './support/merkle-support.js';

describe('WebGPU Merkle in headless Chromium', () => {
  let harness: BrowserHarness | undefined;
  afterAll(async () => { await harness?.close(); });

  it('computes the same roots, path and incremental root as the CPU', async () => {
    harness = await startBrowserHarness();
    const arg = { sizes: [0, 1, 2, 3, 7, 64, 65, 1000, 4097], seed: 99, proofAt: [37, 21] as [number, number] };
    const got = await harness.evaluateModule<MerklePageResult>('/test/browser/merkle-page.ts', 'run', arg);
    expect(got.runtime).toBe('browser');
    if (!process.env.PREEXEC_HARDWARE_GPU) expect(got.isSoftware).toBe(true);
    for (const n of arg.sizes) expect(got.roots[n], `n = ${n}`).toBe(toHex(merkleRoot(fixedLeaves(n, arg.seed + n, 1 + (n % 70)))));
    expect(got.proof).toEqual(inclusionProof(fixedLeaves(37, arg.seed, 33), 21).map(toHex));
    const a = fixedLeaves(100, arg.seed, 48);
    const b = fixedLeaves(3, arg.seed + 1, 48);
    const leaves = Array.from({ length: 102 }, (_, i) => a.data.slice(48 * i, 48 * (i + 1)));
    leaves[7] = b.data.slice(0, 48);
    leaves[100] = b.data.slice(48, 96);
    leaves[101] = b.data.slice(96, 144);
    expect(got.incremental).toBe(toHex(merkleRoot(leaves)));
  });
});

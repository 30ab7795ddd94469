// The Solana stage on the WebGPU backend (SwiftShader here) gives exactly
// what the CPU backend gives, on a small batch of packets whose signer keys
// are the rule sets' edge cases, plus duplicates and lookups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { RULE_SETS } from '../src/ed25519/batch.js';
import { createSolanaStage } from '../src/solana/stage.js';
import { base58Encode } from '../src/tx/solana/base58.js';
import { signedTransaction, signerKeyEdgePackets, testAddress } from './support/solana-packets.js';

let gpu: GpuContext;
beforeAll(async () => { gpu = await acquireGpu(); });
afterAll(() => { gpu?.destroy(); });

const TABLE = testAddress(31);
const lookupTables = { [base58Encode(TABLE)]: [base58Encode(testAddress(32)), base58Encode(testAddress(33))] };

describe('Solana stage on WebGPU', () => {
  it('equals the CPU backend under every rule set', async () => {
    const edge = signerKeyEdgePackets();
    const v0 = signedTransaction({ signers: [7], others: [new Uint8Array(32)], readonlyUnsigned: 1, version: 0, instructions: [{ programIdIndex: 1, accounts: [0, 2, 3] }], lookups: [{ table: TABLE, writable: [0], readonly: [1] }] });
    const packets = [...edge.slice(0, 14), ...edge.slice(-4), v0, edge[edge.length - 2], v0];
    for (const rules of RULE_SETS) {
      const gpuStage = await createSolanaStage({ rules, backend: 'webgpu', device: gpu, lookupTables, batchSize: 3 });
      const cpuStage = await createSolanaStage({ rules, backend: 'cpu', workers: 2, lookupTables, batchSize: 3 });
      try {
        const g = await gpuStage.process(packets);
        const c = await cpuStage.process(packets);
        expect(g.backend).toBe('webgpu');
        expect(Array.from(g.valid), rules).toEqual(Array.from(c.valid));
        expect(g.reasons).toEqual(c.reasons);
        expect(g.batches).toEqual(c.batches);
        expect(g.signatures).toBe(c.signatures);
        expect(c.reasons.slice(-3)).toEqual(['', 'duplicate', 'duplicate']);
      } finally {
        await gpuStage.close();
        await cpuStage.close();
      }
    }
  });
});

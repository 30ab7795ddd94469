// Shared by the pipeline tests: each rule set's oracle, a from-scratch
// sequential reference, and injected stages (oracle verifier, from-scratch tree).
import { batchItem, type RuleSet, type SignatureBatch } from '../../src/ed25519/batch.js';
import { decodeBlock, validityFromVerdicts } from '../../src/exec/decode.js';
import { executeSequential } from '../../src/exec/executor.js';
import { toHex } from '../../src/hex.js';
import { merkleRoot } from '../../src/merkle/reference.js';
import type { BlockResult, SignatureVerifier, StateTree } from '../../src/pipeline/pipeline.js';
import { stateFromGenesis } from '../../src/state/genesis.js';
import type { BlockRecords } from '../../src/tx/v1/index.js';
import type { Workload, WorkloadSpec } from '../../src/workload/generate.js';
import { oracleVerdicts as supportOracleVerdicts } from './ed25519-cases.js';

// Oracles, independent of the pipeline: each rule set's docs/verification.md oracle
// (test/support); the state root is recomputed from scratch over every account.
export function oracleVerdicts(batch: SignatureBatch, rules: RuleSet = 'ref10'): Uint8Array {
  const n = batch.messageOffsets.length - 1;
  return supportOracleVerdicts(Array.from({ length: n }, (_, i) => batchItem(batch, i)), rules);
}

/** Applies blocks one at a time with the sequential executor; roots recomputed from scratch. */
export function sequentialReference(w: Pick<Workload, 'genesis'>, blocks: readonly BlockRecords[], rules: RuleSet = 'ref10'): { receipts: string[]; validity: string[]; roots: string[] } {
  const state = stateFromGenesis(w.genesis);
  const out = { receipts: [] as string[], validity: [] as string[], roots: [] as string[] };
  for (const records of blocks) {
    const d = decodeBlock(records);
    const validity = validityFromVerdicts(d, oracleVerdicts(d.batch, rules));
    const r = executeSequential(state, d, validity);
    const all = Uint32Array.from({ length: state.count }, (_, i) => i);
    const leaves = state.leaves(all);
    out.receipts.push(toHex(r.receipts));
    out.validity.push(toHex(validity));
    out.roots.push(toHex(merkleRoot(Array.from({ length: state.count }, (_, i) => leaves.subarray(48 * i, 48 * i + 48)))));
  }
  return out;
}

export const injected = (): { verifier: SignatureVerifier; createStateTree: () => Promise<StateTree> } => ({
  verifier: { backend: 'cpu', verify: async (b) => oracleVerdicts(b), destroy() {} },
  createStateTree: async () => {
    const leaves: Uint8Array[] = [];
    return {
      get size() { return leaves.length; },
      backend: 'cpu',
      async setLeaves(indices, data) { indices.forEach((i, k) => { leaves[i] = data.slice(48 * k, 48 * k + 48); }); },
      async root() { return merkleRoot(leaves); },
      destroy() {},
    };
  },
});

export const spec = (over: Partial<WorkloadSpec>): WorkloadSpec => ({ workload: 'uniform', accounts: 24, txsPerBlock: 60, blocks: 6, seed: 11, ...over });
export const collect = (rs: BlockResult[]) => ({ receipts: rs.map((r) => toHex(r.receipts)), validity: rs.map((r) => toHex(r.validity)), roots: rs.map((r) => toHex(r.stateRoot)) });


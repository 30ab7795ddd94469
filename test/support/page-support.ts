// What the bench page tests compare against: the Node pipeline (CPU, one
// thread) on the workload the page generated from the same spec.
import type { RuleSet } from '../../src/ed25519/batch.js';
import { toHex } from '../../src/hex.js';
import { createPipeline } from '../../src/pipeline/pipeline.js';
import { generateWorkload, type WorkloadSpec } from '../../src/workload/generate.js';
import { nodeSigner } from '../../src/workload/signer-node.js';

/** Receipts of every block (hex) and the final state root (hex), as the page reports them. */
export async function nodePipelineRun(spec: WorkloadSpec, rules: RuleSet): Promise<{ blockReceipts: string[]; stateRoot: string }> {
  const w = await generateWorkload(spec, { signer: nodeSigner });
  const node = await createPipeline({ genesis: w.genesis, rules, backend: 'cpu', workers: 1 });
  try {
    const results = await Promise.all(w.blocks.map((b) => node.submit(b)));
    return { blockReceipts: results.map((r) => toHex(r.receipts)), stateRoot: toHex(results[results.length - 1].stateRoot) };
  } finally {
    await node.close();
  }
}

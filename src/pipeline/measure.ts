// Measuring a pipeline run, shared by `preexec bench` (Node) and the Chrome
// page: throughput per stage and end to end, plus the sequential execution
// baseline. Stages overlap across blocks, so a stage's time is the union of
// its intervals (the time at least one block was in it), not their sum.
import { toHex } from '../hex.js';
import { decodeBlock } from '../exec/decode.js';
import { RECEIPT_NAMES } from '../tx/v1/receipt.js';
import { executeSequential } from '../exec/executor.js';
import { stateFromGenesis, type GenesisAccount } from '../state/genesis.js';
import type { BlockRecords } from '../tx/v1/index.js';
import type { Pipeline } from './pipeline.js';
import type { BlockResult, StageSpans } from './schedule.js';

export type Stage = keyof StageSpans;
export const STAGES: readonly Stage[] = ['decode', 'verify', 'execute', 'stateRoot'];

export interface PipelineRunStats {
  transactions: number;
  blocks: number;
  /** First submit to last result. */
  wallMs: number;
  /** Per stage: milliseconds with at least one block in the stage. */
  stageMs: Record<Stage, number>;
  tps: { endToEnd: number } & Record<Stage, number>;
  /** Count of each docs/transactions.md receipt code over the run, by name. */
  receipts: Record<string, number>;
  stateRoot: string;
  /** One validity mask per block (for the sequential baseline). */
  validity: Uint8Array[];
}

/** Length of the union of intervals. */
export function unionMs(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...intervals].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [a, b] of sorted) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) curEnd = b;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

const rate = (n: number, ms: number): number => (ms > 0 ? Math.round((n * 1000) / ms) : 0);

/**
 * Runs `blocks` through `pipeline` with as many in flight as it allows and
 * reports throughput. `onBlock` sees each result as it comes (progress).
 */
export async function measurePipelineRun(
  pipeline: Pipeline, blocks: readonly BlockRecords[], onBlock?: (r: BlockResult, done: number, elapsedMs: number) => void,
): Promise<PipelineRunStats> {
  const t0 = performance.now();
  const results: BlockResult[] = [];
  let transactions = 0;
  for await (const r of pipeline.process(blocks)) {
    results.push(r);
    transactions += r.receipts.length;
    onBlock?.(r, results.length, performance.now() - t0);
  }
  const wallMs = performance.now() - t0;
  const stageMs = {} as Record<Stage, number>;
  const tps = { endToEnd: rate(transactions, wallMs) } as PipelineRunStats['tps'];
  for (const s of STAGES) {
    stageMs[s] = unionMs(results.map((r) => r.spans[s]));
    tps[s] = rate(transactions, stageMs[s]);
  }
  const counts = new Array<number>(256).fill(0);
  for (const r of results) for (const c of r.receipts) counts[c]++;
  const receipts: Record<string, number> = {};
  counts.forEach((n, c) => { if (n > 0) receipts[RECEIPT_NAMES[c] ?? String(c)] = n; });
  return {
    transactions, blocks: results.length, wallMs, stageMs, tps, receipts,
    stateRoot: toHex(results.length ? results[results.length - 1].stateRoot : await pipeline.stateRoot()),
    validity: results.map((r) => r.validity),
  };
}

/** Sequential execution, one thread, of the same blocks and validity masks: decode + execute, tx/s. */
export function measureSequentialExecute(genesis: readonly GenesisAccount[], blocks: readonly BlockRecords[], validity: readonly Uint8Array[]): { tps: number; ms: number } {
  const state = stateFromGenesis(genesis);
  let n = 0;
  const t0 = performance.now();
  blocks.forEach((b, i) => {
    executeSequential(state, decodeBlock(b), validity[i]);
    n += b.count;
  });
  const ms = performance.now() - t0;
  return { tps: rate(n, ms), ms };
}

export { median } from '../stats.js';

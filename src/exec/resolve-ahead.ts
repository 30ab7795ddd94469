// The resolve-ahead schedule of a parallel block: helper threads look the
// block's keys up (key → cell, src/exec/apply.ts resolveCells) chunk by
// chunk, ahead of the coordinating thread, which applies every transaction
// itself, in block order.
//
// Why: over 1M accounts nearly all of a transfer's cost is reaching its two
// records (cache and TLB misses), and almost none is the transfer itself.
// A helper's lookups leave the records in the shared last-level cache and
// their page-table entries cached, so the applying thread finds them there
// instead of in memory. Nothing is applied out of order, so receipts and
// state are the sequential ones by construction: no conflicts to detect, and
// a hot account or a chain of dependent transfers costs nothing extra.
//
// A helper's answers are hints the applying thread can always redo: a cell
// found among the accounts that existed at block start never moves during
// the block, and -1 ("absent then") is looked up again when the block has
// created accounts since (applyRange). A chunk a helper has not finished
// when the applying thread needs it is resolved by that thread itself,
// after a short wait, so a slow or stalled helper costs time, never a hang
// or a wrong result; both then write the same cells, with the same values.
import { applyRange, resolveCells, type TouchSet } from './apply.js';
import type { DecodedBlock } from './decode.js';
import type { AccountState } from '../state/account-state.js';

/** Records per chunk: resolved, then applied while their records are still cached (as the sequential executor's chunks). */
export const RESOLVE_CHUNK = 512;

/**
 * How long the applying thread waits for a chunk a helper has claimed
 * before resolving it itself. A chunk takes a helper about 100 µs to resolve
 * (512 records over 1M accounts), so 2 ms means that helper is descheduled.
 */
const WAIT_MS = 2;
/** With joins = false (tests pin the schedule: helpers resolve every chunk) the wait covers a helper's start. */
const NOT_JOINING_WAIT_MS = 1000;

/** What a resolving thread needs: the state's records, the block's keys, and the shared progress words. */
export interface ResolveColumns {
  records: Int32Array;
  seed: number;
  keys: Int32Array;
  wellFormed: Uint8Array;
  /** 2 int32 per record: from and to cells (see resolveCells). */
  cells: Int32Array;
  /** Int32 words: [NEXT_CHUNK] = the next chunk to claim, [APPLIED] = chunks applied so far. */
  control: Int32Array;
  /** One int32 per chunk: 1 once its cells are written. */
  chunkDone: Int32Array;
  n: number;
  /** Accounts at block start (see findCellBefore). */
  limit: number;
}

/** Indices of the control words this schedule uses (0..2 belong to the executor and the disjoint schedule). */
export const NEXT_CHUNK = 3;
/** Chunks applied so far; helpers wait on it. */
export const APPLIED = 4;

/**
 * How far helpers may resolve ahead of the applying thread, in chunks:
 * 8 × 512 transfers touch about 512 KiB of records, what a core's L2 holds
 * here, so they are still cached when applied. Unbounded lookahead measured
 * slower (blocks of 66 vs 51–53 ms, 1M accounts), and a tight bound of 2
 * about the same as 6.
 */
const AHEAD = 8;

function resolveChunk(c: ResolveColumns, chunk: number): void {
  const start = chunk * RESOLVE_CHUNK;
  resolveCells(c.records, c.seed, c.limit, c.keys, c.wellFormed, c.cells, start, Math.min(c.n, start + RESOLVE_CHUNK));
  Atomics.store(c.chunkDone, chunk, 1);
}

/** A helper's part: claim chunks in order and resolve them until none is left. Returns the chunks it resolved. */
export function resolveChunksAhead(c: ResolveColumns): number {
  const chunks = Math.ceil(c.n / RESOLVE_CHUNK);
  let resolved = 0;
  for (;;) {
    // Stay at most AHEAD chunks ahead of the applying thread.
    for (;;) {
      const applied = Atomics.load(c.control, APPLIED);
      const next = Atomics.load(c.control, NEXT_CHUNK);
      if (next <= applied + AHEAD || next >= chunks) break;
      Atomics.wait(c.control, APPLIED, applied, 1);
    }
    const chunk = Atomics.add(c.control, NEXT_CHUNK, 1);
    if (chunk >= chunks) return resolved;
    resolveChunk(c, chunk);
    resolved++;
  }
}

/**
 * The applying thread's part: every record in block order, resolving
 * unclaimed chunks itself whenever the next chunk is not ready yet.
 * Returns the chunks this thread resolved. joins = false: resolve nothing
 * unless a helper fails to within a second. The caller has started the
 * helpers on the same columns, with control[NEXT_CHUNK] = control[APPLIED]
 * = 0 and chunkDone cleared, and must await them before reusing `cells`.
 */
export function applyResolvedAhead(
  state: AccountState, block: DecodedBlock, validity: Uint8Array, c: ResolveColumns,
  receipts: Uint8Array, touched: TouchSet, joins = true,
): number {
  const chunks = Math.ceil(c.n / RESOLVE_CHUNK);
  let own = 0;
  for (let chunk = 0; chunk < chunks; chunk++) {
    while (Atomics.load(c.chunkDone, chunk) === 0) {
      // Rather than wait, resolve the next unclaimed chunk (this one, if no helper has claimed it yet).
      if (joins) {
        const next = Atomics.add(c.control, NEXT_CHUNK, 1);
        if (next < chunks) { resolveChunk(c, next); own++; continue; }
      }
      // Every chunk is claimed and this one is still being resolved.
      const deadline = performance.now() + (joins ? WAIT_MS : NOT_JOINING_WAIT_MS);
      while (Atomics.load(c.chunkDone, chunk) === 0 && performance.now() < deadline) { /* spin: the wait is short */ }
      if (Atomics.load(c.chunkDone, chunk) === 0) { resolveChunk(c, chunk); own++; }
    }
    const start = chunk * RESOLVE_CHUNK, end = Math.min(c.n, start + RESOLVE_CHUNK);
    applyRange(state, block, validity, c.cells, start, end, receipts, touched, c.limit);
    Atomics.store(c.control, APPLIED, chunk + 1);
    Atomics.notify(c.control, APPLIED);
  }
  return own;
}

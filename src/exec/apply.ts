// SPEC §5 transaction semantics over the shared account state: the one
// definition of what a transaction does, used by the sequential executor and
// by the coordinating thread of the parallel one.
import {
  AccountState, findCell, hashKey, probeFrom, BALANCE_HI, BALANCE_LO, NONCE_HI, NONCE_LO, SLOT_PLUS_ONE, TOUCH_MARK,
} from '../state/account-state.js';
import { KEY_STRIDE, VALUE_STRIDE, type DecodedBlock } from './decode.js';

/** Receipt codes of SPEC §5; checks run in this order. */
export const Receipt = {
  OK: 0,
  MALFORMED: 1,
  BAD_SIGNATURE: 2,
  UNKNOWN_SENDER: 3,
  BAD_NONCE: 4,
  INSUFFICIENT_FUNDS: 5,
  OVERFLOW: 6,
} as const;
export type ReceiptCode = (typeof Receipt)[keyof typeof Receipt];
export const RECEIPT_NAMES = ['OK', 'MALFORMED', 'BAD_SIGNATURE', 'UNKNOWN_SENDER', 'BAD_NONCE', 'INSUFFICIENT_FUNDS', 'OVERFLOW'] as const;

/** Transactions whose home cells are loaded together before any is probed. */
const GROUP = 16;

/**
 * The read-only part of a transaction: key → cell for from and to among the
 * first `limit` accounts (those that existed when the block started), -1
 * otherwise. Any number of threads may run it on disjoint ranges, even while
 * the coordinating thread appends (see findCellBefore); `cells` gets 2 int32
 * per record.
 *
 * Over a large state almost every lookup is a cache miss. Probing one key at
 * a time waits for each miss in turn; here the home cells of GROUP
 * transactions (2·GROUP independent loads) are touched first, so the memory
 * system serves them concurrently, and the probes that follow hit the cache.
 * Returns a value derived from those loads so the engine cannot drop them.
 */
export function resolveCells(
  records: Int32Array, seed: number, limit: number,
  keys: Int32Array, wellFormed: Uint8Array, cells: Int32Array, start: number, end: number,
): number {
  const mask = (records.length >>> 4) - 1;
  let sink = 0;
  for (let g = start; g < end; g += GROUP) {
    const e = Math.min(g + GROUP, end);
    for (let i = g; i < e; i++) {
      if (wellFormed[i] === 0) continue;
      const o = i * KEY_STRIDE;
      const hf = hashKey(keys, o, seed) & mask;
      const ht = hashKey(keys, o + 8, seed) & mask;
      cells[2 * i] = hf;
      cells[2 * i + 1] = ht;
      sink ^= records[(hf << 4) + SLOT_PLUS_ONE] ^ records[(ht << 4) + SLOT_PLUS_ONE];
    }
    for (let i = g; i < e; i++) {
      if (wellFormed[i] === 0) continue;
      const o = i * KEY_STRIDE;
      cells[2 * i] = probeFrom(records, keys, o, cells[2 * i], limit);
      cells[2 * i + 1] = probeFrom(records, keys, o + 8, cells[2 * i + 1], limit);
    }
  }
  return sink;
}

/**
 * Accounts written by a block, each once, in first-write order: slots and
 * their cells. "Already written this block" is the record's TOUCH_MARK word
 * (see account-state.ts), on the cache line the transfer has just used.
 */
export class TouchSet {
  private u: Uint32Array = new Uint32Array(0);
  private epoch = 0;
  list = new Uint32Array(0);
  cells: Int32Array = new Int32Array(0);
  size = 0;

  /**
   * Starts a block over `state` with at most `maxTouches` touches. Call it
   * after any growth of the state (reserve), before the block's first add.
   */
  begin(state: AccountState, maxTouches: number): void {
    this.u = state.u32;
    this.epoch = state.nextTouchEpoch();
    if (this.list.length < maxTouches) {
      this.list = new Uint32Array(maxTouches);
      // Shared, so helpers can gather the touched leaves in parallel.
      this.cells = new Int32Array(new SharedArrayBuffer(4 * maxTouches));
    }
    this.size = 0;
  }

  add(slot: number, cell: number): void {
    const m = (cell << 4) + TOUCH_MARK;
    if (this.u[m] !== this.epoch) {
      this.u[m] = this.epoch;
      this.cells[this.size] = cell;
      this.list[this.size++] = slot;
    }
  }

  slots(): Uint32Array {
    return this.list.slice(0, this.size);
  }
}

/** Where touched accounts are recorded: a TouchSet, or a helper's plain list. */
export interface Toucher {
  add(slot: number, cell: number): void;
}

/**
 * One well-formed, validly signed transaction whose sender exists (cell f),
 * from the nonce check on (SPEC §5, checks in code order). `t` is the
 * recipient's cell, or -1 when absent: then `state` creates it (only the
 * coordinating thread passes a state; helpers defer such transactions).
 */
export function applyTransfer(
  u: Uint32Array, f: number, t: number, values: Uint32Array, vo: number,
  touched: Toucher, state: AccountState | null, keys: Int32Array, toKey: number,
): number {
  const fb = f << 4;
  if (u[fb + NONCE_LO] !== values[vo + 2] || u[fb + NONCE_HI] !== values[vo + 3]) return Receipt.BAD_NONCE;
  // From here on the sender's nonce advances whatever the outcome.
  // A nonce of 2^64 − 1 cannot be reached (it takes 2^64 transactions from
  // genesis' 0), so the increment simply wraps the u64.
  const nlo = u[fb + NONCE_LO] + 1;
  if (nlo === 0x100000000) { u[fb + NONCE_LO] = 0; u[fb + NONCE_HI] = u[fb + NONCE_HI] + 1; } else u[fb + NONCE_LO] = nlo;
  touched.add(u[fb + SLOT_PLUS_ONE] - 1, f);
  const alo = values[vo], ahi = values[vo + 1];
  const blo = u[fb + BALANCE_LO], bhi = u[fb + BALANCE_HI];
  if (bhi < ahi || (bhi === ahi && blo < alo)) return Receipt.INSUFFICIENT_FUNDS;
  // Self-transfer: the balance is unchanged, so it can never overflow (SPEC §5).
  if (t === f) return Receipt.OK;
  if (t >= 0) {
    const tb = t << 4;
    // Sums of u32 halves stay below 2^34: exact in a double.
    const lo = u[tb + BALANCE_LO] + alo;
    const hi = u[tb + BALANCE_HI] + ahi + (lo > 0xffffffff ? 1 : 0);
    if (hi > 0xffffffff) return Receipt.OVERFLOW;
    u[tb + BALANCE_LO] = lo; // a Uint32Array store keeps lo mod 2^32
    u[tb + BALANCE_HI] = hi;
    touched.add(u[tb + SLOT_PLUS_ONE] - 1, t);
  } else {
    if (state === null) throw new Error('applyTransfer: a new recipient needs the coordinating thread');
    // A new recipient starts at 0, so amount ≤ sender balance ≤ 2^64 − 1 cannot overflow.
    const c = state.appendWords(keys, toKey, alo, ahi);
    touched.add(state.count - 1, c);
  }
  // Debit after the credit checks; stores wrap the borrow mod 2^32.
  u[fb + BALANCE_LO] = blo - alo;
  u[fb + BALANCE_HI] = bhi - ahi - (blo < alo ? 1 : 0);
  return Receipt.OK;
}

/**
 * Applies records [start, end) of `block` in order. `resolved` holds cells
 * for these records (see resolveCells) or is null to look keys up here.
 * A cell of -1 means "absent when resolved"; if accounts were created in this
 * block since `countAtBlockStart`, such a key is looked up again, because an
 * earlier transaction of the block may have created it.
 * The state must have room for one new account per record (reserve()).
 */
export function applyRange(
  state: AccountState, block: DecodedBlock, validity: Uint8Array, resolved: Int32Array | null,
  start: number, end: number, receipts: Uint8Array, touched: TouchSet, countAtBlockStart: number,
): void {
  const { keys, values, wellFormed } = block;
  const u = state.u32;
  const records = state.records;
  const seed = state.seed;
  for (let i = start; i < end; i++) {
    if (wellFormed[i] === 0) { receipts[i] = Receipt.MALFORMED; continue; }
    if (validity[i] !== 1) { receipts[i] = Receipt.BAD_SIGNATURE; continue; }
    const ko = i * KEY_STRIDE;
    let f = resolved === null ? findCell(records, seed, keys, ko) : resolved[2 * i];
    if (f < 0 && resolved !== null && state.count > countAtBlockStart) f = findCell(records, seed, keys, ko);
    if (f < 0) { receipts[i] = Receipt.UNKNOWN_SENDER; continue; }
    // The recipient is looked up before the sender's checks; that reads only.
    let t = resolved === null ? findCell(records, seed, keys, ko + 8) : resolved[2 * i + 1];
    if (t < 0 && resolved !== null && state.count > countAtBlockStart) t = findCell(records, seed, keys, ko + 8);
    receipts[i] = applyTransfer(u, f, t, values, i * VALUE_STRIDE, touched, state, keys, ko + 8);
  }
}

/** Records resolved and then applied at a time on one thread: their cells are still cached when applied. */
const CHUNK = 512;

/**
 * Records [start, end) in order on this thread: resolve a chunk (with the
 * grouped loads of resolveCells), apply it, next chunk. `cells` has 2 int32
 * per record of the block. This is the sequential executor.
 */
export function resolveAndApply(
  state: AccountState, block: DecodedBlock, validity: Uint8Array, cells: Int32Array,
  start: number, end: number, receipts: Uint8Array, touched: TouchSet, countAtBlockStart: number,
): void {
  for (let c = start; c < end; c += CHUNK) {
    const e = Math.min(c + CHUNK, end);
    resolveCells(state.records, state.seed, state.count, block.keys, block.wellFormed, cells, c, e);
    applyRange(state, block, validity, cells, c, e, receipts, touched, countAtBlockStart);
  }
}

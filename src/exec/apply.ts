// docs/transactions.md transaction semantics over the shared account state: the one
// definition of what a transaction does, used by the sequential executor and
// by the coordinating thread of the parallel one.
import {
  AccountState, findCell, hashKey, probeFrom, BALANCE_HI, BALANCE_LO, LEAF_WORDS, NONCE_HI, NONCE_LO, SLOT_PLUS_ONE, TOUCH_INDEX, TOUCH_MARK,
} from '../state/account-state.js';
import { KEY_STRIDE, VALUE_STRIDE, type DecodedBlock } from './decode.js';
import { Receipt } from '../tx/v1/receipt.js';


/**
 * Transactions whose home cells are loaded together before any is probed.
 * 16 measured best (bench/execute.ts, 1M accounts): 32 and 64 were slower.
 */
const GROUP = 16;

/**
 * The read-only part of a transaction: key → cell for from and to among the
 * first `limit` accounts (those that existed when the block started), -1
 * otherwise. Any number of threads may run it on disjoint ranges, even while
 * the coordinating thread appends (see findCellBefore); `cells` gets 2 int32
 * per record.
 *
 * Over a large state almost every lookup is a cache and TLB miss. A core
 * overlaps misses only when the loads sit close together in its
 * instruction window, so a group is done in three passes: hash the keys
 * (pure arithmetic), touch every home cell in a tight loop (2·GROUP
 * independent misses in flight together), then probe, which now hits the
 * cache. Interleaving hashing and loading measured 1.6× slower, since the
 * ~40 instructions of a hash between two loads fill the window.
 * Returns a value derived from the loads so the engine cannot drop them.
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
      const o = i * KEY_STRIDE;
      cells[2 * i] = hashKey(keys, o, seed) & mask;
      cells[2 * i + 1] = hashKey(keys, o + 8, seed) & mask;
    }
    for (let j = 2 * g; j < 2 * e; j++) sink ^= records[(cells[j] << 4) + SLOT_PLUS_ONE];
    for (let i = g; i < e; i++) {
      // A malformed record has zero keys: never probed, its cells are unused.
      if (wellFormed[i] === 0) continue;
      const o = i * KEY_STRIDE;
      cells[2 * i] = probeFrom(records, keys, o, cells[2 * i], limit);
      cells[2 * i + 1] = probeFrom(records, keys, o + 8, cells[2 * i + 1], limit);
    }
  }
  return sink;
}

/** Where a transaction reports each account it wrote, once it is done writing it. */
export interface Toucher {
  wrote(slot: number, cell: number): void;
}

/**
 * Accounts written by a block, each once, in first-write order, with their
 * leaves. A leaf is copied when a transaction has finished writing its
 * account, from the cache line it has just written, and refreshed in place
 * by any later write in the block: gathering the leaves after the block
 * instead cost one more cache and TLB miss per account, about 40% of a
 * uniform block over 1M accounts (measured). "Already written this block"
 * is the record's TOUCH_MARK word (see account-state.ts).
 *
 * A record's TOUCH_INDEX word holds a *ticket*, and `ticketIndex` maps
 * tickets to leaf indices. Helper threads of the parallel executor need it:
 * they record first writes in their own lists (ListToucher in disjoint.ts)
 * under tickets reserved for their round, before the merge that gives those
 * writes their indices, and the merge then touches no record (reaching each
 * record again from this thread measured 300 ns per account).
 */
export class TouchSet implements Toucher {
  private u: Uint32Array = new Uint32Array(0);
  /** This block's TOUCH_MARK value. */
  epoch = 0;
  list = new Uint32Array(0);
  /** 12 words per touched account, in the order of `list`. Shared: a helper refreshes leaves an earlier round wrote. */
  leafWords = new Uint32Array(new SharedArrayBuffer(0));
  /** Leaf index of each ticket handed out this block. Shared, for the same reason. */
  ticketIndex = new Int32Array(new SharedArrayBuffer(0));
  size = 0;
  private nextTicket = 0;

  /**
   * Starts a block over `state` with at most `maxTouches` touches and
   * `maxTickets` tickets (touches plus what helper rounds reserve). Call it
   * after any growth of the state (reserve), before the block's first write.
   */
  begin(state: AccountState, maxTouches: number, maxTickets = maxTouches): void {
    this.u = state.u32;
    this.epoch = state.nextTouchEpoch();
    if (this.list.length < maxTouches) {
      this.list = new Uint32Array(maxTouches);
      this.leafWords = new Uint32Array(new SharedArrayBuffer(4 * LEAF_WORDS * maxTouches));
    }
    if (this.ticketIndex.length < maxTickets) this.ticketIndex = new Int32Array(new SharedArrayBuffer(4 * maxTickets));
    this.size = 0;
    this.nextTicket = 0;
  }

  /** Tickets [base, base + count) for a helper round; returns base. */
  reserveTickets(count: number): number {
    const base = this.nextTicket;
    if (base + count > this.ticketIndex.length) throw new Error(`touch set: ${base + count} tickets, room for ${this.ticketIndex.length}`);
    this.nextTicket = base + count;
    return base;
  }

  wrote(slot: number, cell: number): void {
    const u = this.u;
    const b = cell << 4;
    let k: number;
    if (u[b + TOUCH_MARK] === this.epoch) {
      k = this.ticketIndex[u[b + TOUCH_INDEX]];
    } else {
      const ticket = this.reserveTickets(1);
      k = this.size++;
      u[b + TOUCH_MARK] = this.epoch;
      u[b + TOUCH_INDEX] = ticket;
      this.ticketIndex[ticket] = k;
      this.list[k] = slot;
    }
    const o = k * LEAF_WORDS, out = this.leafWords;
    for (let j = 0; j < LEAF_WORDS; j++) out[o + j] = u[b + j];
  }

  /**
   * Takes the first writes a helper recorded at entries [from, to) of its
   * lists (slot, 12-word leaf), whose tickets are ticketBase + entry.
   */
  mergeFirstWrites(slots: Int32Array, leaves: Uint32Array, from: number, to: number, ticketBase: number): void {
    const k = this.size;
    for (let x = from; x < to; x++) {
      this.list[k + x - from] = slots[x];
      this.ticketIndex[ticketBase + x] = k + x - from;
    }
    this.leafWords.set(leaves.subarray(from * LEAF_WORDS, to * LEAF_WORDS), k * LEAF_WORDS);
    this.size = k + to - from;
  }

  slots(): Uint32Array {
    return this.list.slice(0, this.size);
  }

  /** The leaves of slots(), as bytes (a private, unshared copy). */
  leaves(): Uint8Array {
    return new Uint8Array(this.leafWords.slice(0, this.size * LEAF_WORDS).buffer);
  }
}

/**
 * One well-formed, validly signed transaction whose sender exists (cell f),
 * from the nonce check on (docs/transactions.md, checks in code order). `t` is the
 * recipient's cell, or -1 when absent: then `state` creates it (only the
 * coordinating thread passes a state; helpers defer such transactions).
 * Each written account is reported once its writes are done, sender first.
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
  const fromSlot = u[fb + SLOT_PLUS_ONE] - 1;
  const alo = values[vo], ahi = values[vo + 1];
  const blo = u[fb + BALANCE_LO], bhi = u[fb + BALANCE_HI];
  if (bhi < ahi || (bhi === ahi && blo < alo)) { touched.wrote(fromSlot, f); return Receipt.INSUFFICIENT_FUNDS; }
  // Self-transfer: the balance is unchanged, so it can never overflow (docs/transactions.md).
  if (t === f) { touched.wrote(fromSlot, f); return Receipt.OK; }
  let toSlot: number, toCell: number;
  if (t >= 0) {
    const tb = t << 4;
    // Sums of u32 halves stay below 2^34: exact in a double.
    const lo = u[tb + BALANCE_LO] + alo;
    const hi = u[tb + BALANCE_HI] + ahi + (lo > 0xffffffff ? 1 : 0);
    if (hi > 0xffffffff) { touched.wrote(fromSlot, f); return Receipt.OVERFLOW; }
    u[tb + BALANCE_LO] = lo; // a Uint32Array store keeps lo mod 2^32
    u[tb + BALANCE_HI] = hi;
    toSlot = u[tb + SLOT_PLUS_ONE] - 1;
    toCell = t;
  } else {
    if (state === null) throw new Error('applyTransfer: a new recipient needs the coordinating thread');
    // A new recipient starts at 0, so amount ≤ sender balance ≤ 2^64 − 1 cannot overflow.
    toCell = state.appendWords(keys, toKey, alo, ahi);
    toSlot = state.count - 1;
  }
  // Debit after the credit checks; stores wrap the borrow mod 2^32.
  u[fb + BALANCE_LO] = blo - alo;
  u[fb + BALANCE_HI] = bhi - ahi - (blo < alo ? 1 : 0);
  touched.wrote(fromSlot, f);
  touched.wrote(toSlot, toCell);
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

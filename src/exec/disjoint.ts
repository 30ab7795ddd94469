// The parallel phase of a block: every thread (the coordinating one and the
// helpers) claims chunks of records in order and runs, in order, the
// transactions of its chunk that provably commute with everything before
// them; the rest are deferred to an ordered pass on the coordinating thread.
//
// Why this schedule: over a large state the cost of a transfer is touching
// its two accounts (cache and TLB misses), so every account should be
// touched by one thread once — splitting "look up" from "apply" across
// threads pays the misses twice. Here each thread looks up and applies its
// own transactions. A transaction of chunk [start, end) is *clean* when
// neither of its keys appears in any earlier transaction of the block that
// can have an effect (every record before `start`, and the deferred records
// of its chunk before it), it creates no account, and both its accounts
// existed at block start. A clean transaction shares no account with any
// earlier transaction, and any later transaction sharing one of its accounts
// is either in the same chunk after it (same thread, in order) or in a later
// chunk, where that key is in the prefix, so deferred: running it now gives
// the state sequential order gives. Deferred (*dirty*) transactions run
// afterwards on the coordinating thread, in block order, after every clean
// one; a later transaction of the chunk sharing a key with a dirty one is
// dirty itself. New accounts are only ever created in that ordered pass, so
// slots follow block order (docs/transactions.md).
import { hashKey, probeFrom, LEAF_WORDS, SLOT_PLUS_ONE, TOUCH_INDEX, TOUCH_MARK } from '../state/account-state.js';
import { applyTransfer, type Toucher } from './apply.js';
import { Receipt } from '../tx/v1/receipt.js';
import { KEY_STRIDE, VALUE_STRIDE } from './decode.js';

/**
 * A set of 32-bit key hashes. Conservative by design: two keys with the
 * same hash only make a transaction dirty (slower, never wrong), so the
 * keys themselves need not be stored.
 */
export class KeyHashSet {
  private readonly table: Int32Array;
  private readonly mask: number;
  constructor(entries: number) {
    let size = 64;
    while (size < 2 * entries) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
  }
  add(h: number): void {
    const v = h === 0 ? 1 : h; // 0 marks an empty cell; 1 merely shares a hash with 0
    let i = (Math.imul(v, 0x2545f491) >>> 7) & this.mask;
    for (;;) {
      const e = this.table[i];
      if (e === v) return;
      if (e === 0) { this.table[i] = v; return; }
      i = (i + 1) & this.mask;
    }
  }
  has(h: number): boolean {
    const v = h === 0 ? 1 : h;
    let i = (Math.imul(v, 0x2545f491) >>> 7) & this.mask;
    for (;;) {
      const e = this.table[i];
      if (e === v) return true;
      if (e === 0) return false;
      i = (i + 1) & this.mask;
    }
  }
}

/**
 * A helper's side of the TouchSet (apply.ts): it owns the records its clean
 * transactions write during a round, so it marks them itself. A first write
 * of the block appends (slot, leaf) at entry k of its lists under ticket
 * ticketBase + k; a later write refreshes that entry, or, for an account an
 * earlier round wrote (its ticket is below ticketBase, already merged), the
 * block's leaf itself.
 */
class ListToucher implements Toucher {
  count = 0;
  constructor(private readonly c: HelperColumns, private readonly base: number) {}
  wrote(slot: number, cell: number): void {
    const { u32, touchEpoch, ticketBase } = this.c;
    const b = cell << 4;
    let dst: Uint32Array, o: number;
    if (u32[b + TOUCH_MARK] !== touchEpoch) {
      const k = this.base + this.count++;
      u32[b + TOUCH_MARK] = touchEpoch;
      u32[b + TOUCH_INDEX] = ticketBase + k;
      this.c.touchedSlots[k] = slot;
      dst = this.c.touchedLeaves;
      o = k * LEAF_WORDS;
    } else {
      const ticket = u32[b + TOUCH_INDEX];
      if (ticket >= ticketBase) {
        dst = this.c.touchedLeaves;
        o = (ticket - ticketBase) * LEAF_WORDS;
      } else {
        dst = this.c.blockLeaves;
        o = this.c.ticketIndex[ticket] * LEAF_WORDS;
      }
    }
    for (let j = 0; j < LEAF_WORDS; j++) dst[o + j] = u32[b + j];
  }
}

export interface HelperColumns {
  records: Int32Array;
  u32: Uint32Array;
  seed: number;
  keys: Int32Array;
  values: Uint32Array;
  wellFormed: Uint8Array;
  validity: Uint8Array;
  receipts: Uint8Array;
  /** Deferred record indices; this range writes from index `start`. */
  dirty: Int32Array;
  /** First writes as (slot, 12-word leaf); this range writes from entry 2·start. */
  touchedSlots: Int32Array;
  touchedLeaves: Uint32Array;
  /** The block's TouchSet: its epoch, this round's first ticket, its ticket → index map and its leaves. */
  touchEpoch: number;
  ticketBase: number;
  ticketIndex: Int32Array;
  blockLeaves: Uint32Array;
}

/** As in resolveCells (apply.ts): hash a group, touch its home cells in a tight loop, then probe. */
const GROUP = 16;

export interface ChunkPlan {
  /** Positions to run: records [0, n) of the block, or the records order[0..n) when `order` is given. */
  n: number;
  /** A second round runs the records the first deferred, in block order (see executor.ts). */
  order?: Int32Array;
  /** Positions per chunk; chunk c is [c·chunk, min(n, (c+1)·chunk)). */
  chunk: number;
  /** Accounts at block start (see findCellBefore). */
  limit: number;
  /** Int32 words: [2] = next chunk to claim (shared by every thread of the block). */
  control: Int32Array;
  /** Per chunk: deferred records and touches recorded (the lists sit at the chunk's start, 2·start). */
  chunkDirty: Int32Array;
  chunkTouched: Int32Array;
}

/**
 * The parallel phase of a block, run by every thread (coordinator and
 * helpers) at once: claim the next chunk, run its clean transactions, until
 * none is left. Chunks are claimed in increasing order, so each thread
 * extends its set of earlier keys incrementally (every record before the
 * chunk it claims); a thread slowed down by the machine holds up one chunk,
 * never a fixed share of the block. Returns the chunks this thread ran.
 */
export function runCleanChunks(c: HelperColumns, plan: ChunkPlan): number {
  const { keys, wellFormed, validity, seed } = c;
  const seen = new KeyHashSet(2 * plan.n);
  let scanned = 0;
  let ran = 0;
  for (;;) {
    const chunk = Atomics.add(plan.control, 2, 1);
    const start = chunk * plan.chunk;
    if (start >= plan.n) return ran;
    const end = Math.min(plan.n, start + plan.chunk);
    const order = plan.order;
    for (let p = scanned; p < start; p++) {
      const i = order === undefined ? p : order[p];
      if (wellFormed[i] === 0 || validity[i] !== 1) continue;
      seen.add(hashKey(keys, i * KEY_STRIDE, seed));
      seen.add(hashKey(keys, i * KEY_STRIDE + 8, seed));
    }
    scanned = start;
    const r = runCleanRange(c, start, end, plan.limit, seen, order);
    plan.chunkDirty[chunk] = r.dirty;
    plan.chunkTouched[chunk] = r.touched;
    ran++;
  }
}

/**
 * Runs the clean transactions at positions [start, end) (records p, or
 * order[p]), writes their receipts, and returns how many it deferred and how
 * many touches it recorded (lists at positions start and 2·start). `seen`
 * holds the keys of every earlier position that can have an effect;
 * deferred records add theirs. `limit` is the account count at block start.
 */
export function runCleanRange(
  c: HelperColumns, start: number, end: number, limit: number, seen: KeyHashSet, order?: Int32Array,
): { dirty: number; touched: number } {
  const { records, u32, seed, keys, values, wellFormed, validity, receipts, dirty } = c;
  const mask = (records.length >>> 4) - 1;
  const touched = new ListToucher(c, 2 * start);
  const homes = new Int32Array(2 * GROUP);
  let deferred = 0;
  let sink = 0;
  for (let g = start; g < end; g += GROUP) {
    const e = Math.min(g + GROUP, end);
    for (let p = g; p < e; p++) {
      const o = (order === undefined ? p : order[p]) * KEY_STRIDE;
      homes[2 * (p - g)] = hashKey(keys, o, seed);
      homes[2 * (p - g) + 1] = hashKey(keys, o + 8, seed);
    }
    // A malformed record's (zero) keys are touched too: harmless, and the loop stays tight.
    for (let j = 0; j < 2 * (e - g); j++) sink ^= records[((homes[j] & mask) << 4) + SLOT_PLUS_ONE];
    for (let p = g; p < e; p++) {
      const i = order === undefined ? p : order[p];
      if (wellFormed[i] === 0) { receipts[i] = Receipt.MALFORMED; continue; }
      if (validity[i] !== 1) { receipts[i] = Receipt.BAD_SIGNATURE; continue; }
      const o = i * KEY_STRIDE;
      const hf = homes[2 * (p - g)], ht = homes[2 * (p - g) + 1];
      if (seen.has(hf) || seen.has(ht)) {
        dirty[start + deferred++] = i;
        seen.add(hf);
        seen.add(ht);
        continue;
      }
      const f = probeFrom(records, keys, o, hf & mask, limit);
      // No earlier transaction names this key, so it is absent now exactly when it was at block start.
      if (f < 0) { receipts[i] = Receipt.UNKNOWN_SENDER; continue; }
      const t = probeFrom(records, keys, o + 8, ht & mask, limit);
      if (t < 0) {
        // Creating an account assigns a slot: only the coordinator does that, in block order.
        dirty[start + deferred++] = i;
        seen.add(hf);
        seen.add(ht);
        continue;
      }
      receipts[i] = applyTransfer(u32, f, t, values, i * VALUE_STRIDE, touched, null, keys, o + 8);
    }
  }
  if (sink === 0x7fffffff) c.dirty[start] = c.dirty[start]; // keeps the touching loads observable
  return { dirty: deferred, touched: touched.count };
}

// Accounts of docs/transactions.md in creation order (slot), in a SharedArrayBuffer that
// worker_threads (Node) and Web Workers (a cross-origin isolated page) read
// without copying.
//
// Layout: the key → account hash table IS the account store. Each table cell
// is one 64-byte record (one cache line):
//   words 0..7  key            words 8, 9  balance lo, hi (u64 as two u32)
//   words 10,11 nonce lo, hi   word 12     slot + 1 (0 = empty cell)
//   word 13     touch mark, 14 touch index (the executor's TouchSet)   15 unused
// so looking a key up and reading or updating its balance touch one cache
// line, not a table entry plus a record elsewhere: over 1M accounts these
// misses are most of the cost of a transfer (bench/execute.ts). Words 0..11
// are exactly the state-root leaf `key || balance LE || nonce LE`.
// Open addressing, linear probing, at most half full; `posOf[slot]` gives a
// slot's cell. The table grows by doubling in `reserve`, which the executor
// calls between blocks with the block's record count (an upper bound of the
// accounts it can create), so nothing moves while workers read.
// A u64 is always two u32 halves: never a float, never a BigInt on the hot path.

export const ACCOUNT_BYTES = 48;
export const LEAF_WORDS = 12;
export const RECORD_WORDS = 16;
export const KEY_WORDS = 8;
export const BALANCE_LO = 8;
export const BALANCE_HI = 9;
export const NONCE_LO = 10;
export const NONCE_HI = 11;
export const SLOT_PLUS_ONE = 12;
/**
 * The block epoch that last touched the account (0 = never). Kept in the
 * record, whose cache line a transfer has just read, because a separate
 * per-slot mark array over 1M accounts cost another cache and TLB miss per
 * touch (≈ a quarter of a sequential transfer, measured). Not part of a leaf.
 */
export const TOUCH_MARK = 13;
/**
 * Where the block's TouchSet keeps this account's leaf (valid while
 * TOUCH_MARK is the current epoch), so a later write in the same block
 * refreshes that leaf in place. Not part of a leaf.
 */
export const TOUCH_INDEX = 14;

const U64_MAX = (1n << 64n) - 1n;

// Words are read in the platform's byte order; every engine this runs on
// (x86-64, arm64) is little-endian, and a big-endian one would silently
// produce wrong leaves, so refuse it.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('webgpu-preexec state needs a little-endian platform');
}

/** What a worker needs to look keys up: the table and the hash seed. */
export interface StateBuffers {
  records: SharedArrayBuffer;
  seed: number;
}

export interface Account {
  key: Uint8Array;
  balance: bigint;
  nonce: bigint;
}

/**
 * Hash of a 32-byte key given as 8 int32 words at `keys[o..o+8)`. Keys in
 * `to` fields are chosen by anyone, so the mix starts from a random per-state
 * seed: a colliding set cannot be precomputed offline. A collision only costs
 * probe time; slots and results never depend on the hash.
 */
export function hashKey(keys: Int32Array, o: number, seed: number): number {
  let h = seed;
  for (let j = 0; j < KEY_WORDS; j++) {
    h = Math.imul(h ^ keys[o + j], 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * Cell of the key at `keys[o..o+8)` (int32 words), or -1. Reads only, so any
 * number of threads may call it while nobody appends.
 */
export function findCell(records: Int32Array, seed: number, keys: Int32Array, o: number): number {
  const mask = (records.length >>> 4) - 1;
  const k0 = keys[o], k1 = keys[o + 1], k2 = keys[o + 2], k3 = keys[o + 3];
  const k4 = keys[o + 4], k5 = keys[o + 5], k6 = keys[o + 6], k7 = keys[o + 7];
  let c = hashKey(keys, o, seed) & mask;
  for (;;) {
    const b = c << 4;
    if (records[b + SLOT_PLUS_ONE] === 0) return -1;
    if (records[b] === k0 && records[b + 1] === k1 && records[b + 2] === k2 && records[b + 3] === k3
      && records[b + 4] === k4 && records[b + 5] === k5 && records[b + 6] === k6 && records[b + 7] === k7) {
      return c;
    }
    c = (c + 1) & mask;
  }
}

/**
 * findCell for a reader that runs while another thread appends: only
 * accounts with slot < `limit` (those that existed when the reader started)
 * are compared. Appends only fill empty cells and never move one, so an
 * existing key's probe chain is stable; a newer cell is skipped without
 * reading its key (whose words may not be visible yet), and the caller
 * treats -1 as "look again after the appends", never as "absent".
 */
export function findCellBefore(records: Int32Array, seed: number, keys: Int32Array, o: number, limit: number): number {
  return probeFrom(records, keys, o, hashKey(keys, o, seed) & ((records.length >>> 4) - 1), limit);
}

/** findCellBefore's probe, from cell `c` (the key's home cell, or any cell before its own on its probe path). */
export function probeFrom(records: Int32Array, keys: Int32Array, o: number, c: number, limit: number): number {
  const mask = (records.length >>> 4) - 1;
  const k0 = keys[o], k1 = keys[o + 1], k2 = keys[o + 2], k3 = keys[o + 3];
  const k4 = keys[o + 4], k5 = keys[o + 5], k6 = keys[o + 6], k7 = keys[o + 7];
  for (;;) {
    const b = c << 4;
    const s = records[b + SLOT_PLUS_ONE];
    if (s === 0) return -1;
    if (s <= limit && records[b] === k0 && records[b + 1] === k1 && records[b + 2] === k2 && records[b + 3] === k3
      && records[b + 4] === k4 && records[b + 5] === k5 && records[b + 6] === k6 && records[b + 7] === k7) {
      return c;
    }
    c = (c + 1) & mask;
  }
}

/** Copies the leaf words of cells[start..end) to out[k·12..] for k = start..end − 1. */
function gatherLeaves(u32: Uint32Array, cells: Uint32Array | Int32Array, start: number, end: number, out: Uint32Array): void {
  for (let k = start; k < end; k++) {
    const b = cells[k] << 4;
    const o = k * LEAF_WORDS;
    for (let j = 0; j < LEAF_WORDS; j++) out[o + j] = u32[b + j];
  }
}

/** Cells for `capacity` accounts at load ≤ 1/2: a power of two ≥ 2·capacity (and ≥ 32). */
function cellsFor(capacity: number): number {
  let cells = 32;
  while (cells < 2 * capacity) cells *= 2;
  return cells;
}

function randomSeed(): number {
  const a = new Int32Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0];
}

export class AccountState {
  /** Accounts created so far; slots are [0, count). */
  count = 0;
  /** Bumped whenever the buffers are replaced (growth), so holders re-attach. */
  generation = 0;
  /** The last epoch handed out by nextTouchEpoch (records' TOUCH_MARK words are ≤ it). */
  private touchEpoch = 0;
  readonly seed: number;
  /** The cells as int32 words (keys, hashing) and as uint32 words (balances, nonces): the same memory. */
  records!: Int32Array;
  u32!: Uint32Array;
  /** Cell of each slot. */
  posOf = new Int32Array(0);
  private buffer!: SharedArrayBuffer;

  constructor(capacity = 1024, seed = randomSeed()) {
    this.seed = seed | 0;
    this.allocate(cellsFor(Math.max(16, capacity)));
  }

  /** Accounts the table holds before it must grow. */
  get capacity(): number {
    return this.u32.length >>> 5; // cells / 2
  }

  buffers(): StateBuffers {
    return { records: this.buffer, seed: this.seed };
  }

  /**
   * Makes room for `extra` more accounts, doubling as needed. Call it between
   * blocks only: it replaces the buffer (returns true when it did).
   */
  reserve(extra: number): boolean {
    const need = this.count + extra;
    if (need > this.posOf.length) {
      const p = new Int32Array(Math.max(need, 2 * this.posOf.length, 16));
      p.set(this.posOf.subarray(0, this.count));
      this.posOf = p;
    }
    if (need <= this.capacity) return false;
    const old = this.u32;
    const oldPos = this.posOf.slice(0, this.count);
    this.allocate(cellsFor(need));
    for (let s = 0; s < this.count; s++) {
      const c = this.emptyCellFor(old, oldPos[s] << 4);
      this.u32.set(old.subarray(oldPos[s] << 4, (oldPos[s] << 4) + RECORD_WORDS), c << 4);
      this.posOf[s] = c;
    }
    this.generation++;
    return true;
  }

  /**
   * A touch-mark value no record carries yet: one per block, so starting a
   * block clears nothing. At wrap-around every mark is cleared once.
   */
  nextTouchEpoch(): number {
    if (++this.touchEpoch === 0x100000000) {
      for (let b = TOUCH_MARK; b < this.u32.length; b += RECORD_WORDS) this.u32[b] = 0;
      this.touchEpoch = 1;
    }
    return this.touchEpoch;
  }

  /** Slot of a 32-byte key, or -1. */
  slotOf(key: Uint8Array): number {
    if (key.length !== 32) throw new RangeError(`an account key has 32 bytes, got ${key.length}`);
    const w = new Int32Array(KEY_WORDS);
    new Uint8Array(w.buffer).set(key);
    const c = findCell(this.records, this.seed, w, 0);
    return c < 0 ? -1 : this.records[(c << 4) + SLOT_PLUS_ONE] - 1;
  }

  /**
   * Creates an account (nonce 0) in the next slot and returns its cell. The
   * caller has checked that the key is absent and reserved room; a full
   * state is a bug, not input.
   */
  appendWords(keys: Int32Array, o: number, balanceLo: number, balanceHi: number): number {
    const s = this.count;
    if (s >= this.capacity || s >= this.posOf.length) throw new Error(`account state is full (${s} accounts): reserve() before the block`);
    const c = this.emptyCellFor(keys, o);
    const b = c << 4;
    const r = this.records;
    for (let j = 0; j < KEY_WORDS; j++) r[b + j] = keys[o + j];
    this.u32[b + BALANCE_LO] = balanceLo;
    this.u32[b + BALANCE_HI] = balanceHi;
    r[b + NONCE_LO] = 0;
    r[b + NONCE_HI] = 0;
    // Last: a concurrent reader (findCellBefore) treats the cell as taken from here on.
    r[b + SLOT_PLUS_ONE] = s + 1;
    this.posOf[s] = c;
    this.count = s + 1;
    return c;
  }

  /** Creates an account from a key and a u64 balance (genesis, tests); returns its slot. */
  append(key: Uint8Array, balance: bigint): number {
    if (key.length !== 32) throw new RangeError(`an account key has 32 bytes, got ${key.length}`);
    if (balance < 0n || balance > U64_MAX) throw new RangeError(`balance ${balance} is outside u64`);
    const w = new Int32Array(KEY_WORDS);
    new Uint8Array(w.buffer).set(key);
    if (findCell(this.records, this.seed, w, 0) >= 0) throw new RangeError('account key already exists');
    this.reserve(1);
    this.appendWords(w, 0, Number(balance & 0xffffffffn), Number(balance >> 32n));
    return this.count - 1;
  }

  account(slot: number): Account {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.count) throw new RangeError(`no account in slot ${slot} (${this.count} accounts)`);
    const b = this.posOf[slot] << 4;
    const u = this.u32;
    return {
      key: new Uint8Array(this.buffer.slice(b * 4, b * 4 + 32)),
      balance: (BigInt(u[b + BALANCE_HI]) << 32n) | BigInt(u[b + BALANCE_LO]),
      nonce: (BigInt(u[b + NONCE_HI]) << 32n) | BigInt(u[b + NONCE_LO]),
    };
  }

  /** The 48-byte leaves of the accounts in `cells`, in that order. */
  leavesOfCells(cells: Uint32Array | Int32Array, count = cells.length): Uint8Array {
    const out = new Uint32Array(count * LEAF_WORDS);
    gatherLeaves(this.u32, cells, 0, count, out);
    return new Uint8Array(out.buffer);
  }

  /** The 48-byte leaves of `slots`, in that order. */
  leaves(slots: Uint32Array): Uint8Array {
    const cells = new Int32Array(slots.length);
    for (let k = 0; k < slots.length; k++) {
      if (slots[k] >= this.count) throw new RangeError(`no account in slot ${slots[k]} (${this.count} accounts)`);
      cells[k] = this.posOf[slots[k]];
    }
    return this.leavesOfCells(cells);
  }

  /** Every leaf in slot order (a copy): the input of a from-scratch state root. */
  allLeaves(): Uint8Array {
    return this.leavesOfCells(this.posOf, this.count);
  }

  /** An independent copy (new buffer, same seed), e.g. to run a block two ways. */
  clone(): AccountState {
    const c = new AccountState(1, this.seed);
    c.buffer = this.buffer.slice(0);
    c.records = new Int32Array(c.buffer);
    c.u32 = new Uint32Array(c.buffer);
    c.posOf = this.posOf.slice();
    c.count = this.count;
    c.touchEpoch = this.touchEpoch; // the copied records carry marks up to it
    return c;
  }

  private allocate(cells: number): void {
    this.buffer = new SharedArrayBuffer(cells * RECORD_WORDS * 4);
    this.records = new Int32Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
  }

  /** The first empty cell on the probe path of the key at `words[o..o+8)`. */
  private emptyCellFor(words: Int32Array | Uint32Array, o: number): number {
    const r = this.records;
    const mask = (r.length >>> 4) - 1;
    let c = hashKey(words as Int32Array, o, this.seed) & mask;
    while (r[(c << 4) + SLOT_PLUS_ONE] !== 0) c = (c + 1) & mask;
    return c;
  }
}

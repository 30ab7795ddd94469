// Accounts of SPEC §5 in creation order (slot), in SharedArrayBuffers that
// worker_threads (Node) and Web Workers (a cross-origin isolated page) read
// without copying.
//
// Layout: one 48-byte record per slot, which is exactly the state-root leaf
// `key (32) || balance (u64 LE) || nonce (u64 LE)`, so a touched account's
// leaf is a plain copy of its record. As 32-bit words: key = words [0, 8),
// balance = lo, hi at 8, 9; nonce = lo, hi at 10, 11. A u64 is always kept as
// two u32 halves (never a float, never a BigInt on the hot path; bench/execute.ts
// measures the alternative).
//
// key → slot is an open-addressing hash table (linear probing, load ≤ 1/2)
// in another SharedArrayBuffer: entry = slot + 1, 0 = empty. It grows by
// doubling in `reserve`, which the executor calls between blocks with the
// block's transaction count (an upper bound of the accounts it can create),
// so nothing reallocates while workers read.

export const ACCOUNT_BYTES = 48;
export const ACCOUNT_WORDS = 12;
export const KEY_WORDS = 8;
export const BALANCE_LO = 8;
export const BALANCE_HI = 9;
export const NONCE_LO = 10;
export const NONCE_HI = 11;

const U64_MAX = (1n << 64n) - 1n;

// Words are read through the platform's byte order; every engine this runs on
// (x86-64, arm64, wasm-style browsers) is little-endian, and a big-endian one
// would silently produce wrong leaves, so refuse it.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('webgpu-preexec state needs a little-endian platform');
}

/** What a worker needs to look keys up: the buffers and the hash seed. */
export interface StateBuffers {
  accounts: SharedArrayBuffer;
  table: SharedArrayBuffer;
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
 * Slot of the key at `keys[o..o+8)` (int32 words), or -1. Reads only, so any
 * number of threads may call it while nobody appends.
 */
export function findSlot(table: Int32Array, accounts: Int32Array, seed: number, keys: Int32Array, o: number): number {
  const mask = table.length - 1;
  const k0 = keys[o], k1 = keys[o + 1], k2 = keys[o + 2], k3 = keys[o + 3];
  const k4 = keys[o + 4], k5 = keys[o + 5], k6 = keys[o + 6], k7 = keys[o + 7];
  let i = hashKey(keys, o, seed) & mask;
  for (;;) {
    const e = table[i];
    if (e === 0) return -1;
    const b = (e - 1) * ACCOUNT_WORDS;
    if (accounts[b] === k0 && accounts[b + 1] === k1 && accounts[b + 2] === k2 && accounts[b + 3] === k3
      && accounts[b + 4] === k4 && accounts[b + 5] === k5 && accounts[b + 6] === k6 && accounts[b + 7] === k7) {
      return e - 1;
    }
    i = (i + 1) & mask;
  }
}

/**
 * findSlot for a reader that runs while another thread appends: only slots
 * below `limit` (the count when the reader started) are compared. Appends
 * only fill empty cells and never move an entry, so an existing key's probe
 * chain is stable; a newer entry is skipped without reading its record
 * (whose words may not be visible yet), and the caller treats -1 as "look
 * again after the appends", never as "absent".
 */
export function findSlotBefore(table: Int32Array, accounts: Int32Array, seed: number, keys: Int32Array, o: number, limit: number): number {
  const mask = table.length - 1;
  const k0 = keys[o], k1 = keys[o + 1], k2 = keys[o + 2], k3 = keys[o + 3];
  const k4 = keys[o + 4], k5 = keys[o + 5], k6 = keys[o + 6], k7 = keys[o + 7];
  let i = hashKey(keys, o, seed) & mask;
  for (;;) {
    const e = table[i];
    if (e === 0) return -1;
    if (e <= limit) {
      const b = (e - 1) * ACCOUNT_WORDS;
      if (accounts[b] === k0 && accounts[b + 1] === k1 && accounts[b + 2] === k2 && accounts[b + 3] === k3
        && accounts[b + 4] === k4 && accounts[b + 5] === k5 && accounts[b + 6] === k6 && accounts[b + 7] === k7) {
        return e - 1;
      }
    }
    i = (i + 1) & mask;
  }
}

/** Smallest power of two ≥ 2·n (and ≥ 16): the table for n accounts at load ≤ 1/2. */
function tableSizeFor(n: number): number {
  let size = 16;
  while (size < 2 * n) size *= 2;
  return size;
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
  readonly seed: number;
  /** Records as int32 words (keys, hashing) and as uint32 words (balances, nonces): the same memory. */
  words!: Int32Array;
  u32!: Uint32Array;
  bytes!: Uint8Array;
  table!: Int32Array;
  private accountsBuffer!: SharedArrayBuffer;
  private tableBuffer!: SharedArrayBuffer;

  constructor(capacity = 1024, seed = randomSeed()) {
    this.seed = seed | 0;
    this.allocate(Math.max(16, capacity));
  }

  /** Accounts the buffers hold before they must grow. */
  get capacity(): number {
    return this.u32.length / ACCOUNT_WORDS;
  }

  buffers(): StateBuffers {
    return { accounts: this.accountsBuffer, table: this.tableBuffer, seed: this.seed };
  }

  /**
   * Makes room for `extra` more accounts, doubling as needed. Call it between
   * blocks only: it replaces the buffers (returns true when it did).
   */
  reserve(extra: number): boolean {
    const need = this.count + extra;
    if (need <= this.capacity) return false;
    let cap = this.capacity;
    while (cap < need) cap *= 2;
    const oldBytes = this.bytes.subarray(0, this.count * ACCOUNT_BYTES);
    this.allocate(cap);
    this.bytes.set(oldBytes);
    for (let s = 0; s < this.count; s++) this.insertIntoTable(s);
    this.generation++;
    return true;
  }

  /** Slot of a 32-byte key, or -1. */
  slotOf(key: Uint8Array): number {
    if (key.length !== 32) throw new RangeError(`an account key has 32 bytes, got ${key.length}`);
    const w = new Int32Array(KEY_WORDS);
    new Uint8Array(w.buffer).set(key);
    return findSlot(this.table, this.words, this.seed, w, 0);
  }

  /** Slot of the key at `keys[o..o+8)` (int32 words), or -1. */
  slotOfWords(keys: Int32Array, o: number): number {
    return findSlot(this.table, this.words, this.seed, keys, o);
  }

  /**
   * Creates an account (nonce 0) in the next slot. The caller has checked
   * that the key is absent and reserved room; a full state is a bug, not input.
   */
  appendWords(keys: Int32Array, o: number, balanceLo: number, balanceHi: number): number {
    const s = this.count;
    if (s >= this.capacity) throw new Error(`account state is full (${s} accounts): reserve() before the block`);
    const b = s * ACCOUNT_WORDS;
    for (let j = 0; j < KEY_WORDS; j++) this.words[b + j] = keys[o + j];
    this.u32[b + BALANCE_LO] = balanceLo;
    this.u32[b + BALANCE_HI] = balanceHi;
    this.u32[b + NONCE_LO] = 0;
    this.u32[b + NONCE_HI] = 0;
    this.count = s + 1;
    this.insertIntoTable(s);
    return s;
  }

  /** Creates an account from a key and a u64 balance (genesis, tests). */
  append(key: Uint8Array, balance: bigint): number {
    if (key.length !== 32) throw new RangeError(`an account key has 32 bytes, got ${key.length}`);
    if (balance < 0n || balance > U64_MAX) throw new RangeError(`balance ${balance} is outside u64`);
    const w = new Int32Array(KEY_WORDS);
    new Uint8Array(w.buffer).set(key);
    if (findSlot(this.table, this.words, this.seed, w, 0) >= 0) throw new RangeError('account key already exists');
    this.reserve(1);
    return this.appendWords(w, 0, Number(balance & 0xffffffffn), Number(balance >> 32n));
  }

  account(slot: number): Account {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.count) throw new RangeError(`no account in slot ${slot} (${this.count} accounts)`);
    const b = slot * ACCOUNT_WORDS;
    const u = this.u32;
    return {
      key: this.bytes.slice(slot * ACCOUNT_BYTES, slot * ACCOUNT_BYTES + 32),
      balance: (BigInt(u[b + BALANCE_HI]) << 32n) | BigInt(u[b + BALANCE_LO]),
      nonce: (BigInt(u[b + NONCE_HI]) << 32n) | BigInt(u[b + NONCE_LO]),
    };
  }

  /** The 48-byte leaves of `slots`, in that order. */
  leaves(slots: Uint32Array): Uint8Array {
    const out = new Uint8Array(slots.length * ACCOUNT_BYTES);
    const ow = new Uint32Array(out.buffer);
    const u = this.u32;
    for (let k = 0; k < slots.length; k++) {
      const b = slots[k] * ACCOUNT_WORDS;
      const o = k * ACCOUNT_WORDS;
      for (let j = 0; j < ACCOUNT_WORDS; j++) ow[o + j] = u[b + j];
    }
    return out;
  }

  /** Every leaf in slot order (a copy): the input of a from-scratch state root. */
  allLeaves(): Uint8Array {
    return this.bytes.slice(0, this.count * ACCOUNT_BYTES);
  }

  /** An independent copy (new buffers, same seed), e.g. to run a block two ways. */
  clone(): AccountState {
    const c = new AccountState(this.capacity, this.seed);
    c.bytes.set(this.bytes.subarray(0, this.count * ACCOUNT_BYTES));
    c.table.set(this.table);
    c.count = this.count;
    return c;
  }

  private allocate(capacity: number): void {
    this.accountsBuffer = new SharedArrayBuffer(capacity * ACCOUNT_BYTES);
    this.tableBuffer = new SharedArrayBuffer(tableSizeFor(capacity) * 4);
    this.words = new Int32Array(this.accountsBuffer);
    this.u32 = new Uint32Array(this.accountsBuffer);
    this.bytes = new Uint8Array(this.accountsBuffer);
    this.table = new Int32Array(this.tableBuffer);
  }

  private insertIntoTable(slot: number): void {
    const mask = this.table.length - 1;
    let i = hashKey(this.words, slot * ACCOUNT_WORDS, this.seed) & mask;
    while (this.table[i] !== 0) i = (i + 1) & mask;
    this.table[i] = slot + 1;
  }
}

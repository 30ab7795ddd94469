// Interning of 32-byte account keys: each distinct key gets a small integer id
// (0, 1, 2, ... in first-seen order), so per-account state elsewhere lives in
// typed arrays indexed by id. Open addressing over a tabulation hash of all
// 32 bytes; the keys are compared on a hash hit, as eight 32-bit words
// gathered while hashing. Nothing is allocated per key except when the table
// grows.
//
// Keys come from packets nobody has verified yet, so the hash must not let
// anyone build keys that collide: simple tabulation (one random 32-bit word
// per position and byte value, XORed) has no collisions that hold for every
// table, unlike a fixed mixing function with a seed. Whole packets (dedup)
// use seeded MurmurHash3 mixing instead; see hashPacket.

/** One 32-bit word into the running hash (MurmurHash3's body). */
function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The last `end − from` (< 4) bytes, the length, and the final avalanche. */
function finishHash(h: number, bytes: Uint8Array, from: number, end: number, length: number): number {
  if (from < end) {
    let k = 0;
    for (let i = from, s = 0; i < end; i++, s += 8) k |= bytes[i] << s;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A seeded 32-bit hash (MurmurHash3's mixing) of `length` bytes at `offset`. */
export function hashBytes(bytes: Uint8Array, offset: number, length: number, seed: number): number {
  let h = seed | 0;
  const end = offset + (length & ~3);
  for (let i = offset; i < end; i += 4) h = mixWord(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  return finishHash(h, bytes, end, offset + length, length);
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** A buffer below this many bytes holds one packet: a word view of it would cost more than it saves. */
const MIN_VIEWED_BUFFER = 4096;
let lastBuffer: ArrayBufferLike | undefined;
let lastWords: Uint32Array = new Uint32Array(0);

/**
 * A Uint32Array over the whole buffer of `bytes` when whole words can be read
 * from it (little-endian, `bytes` on a 4-byte boundary, a buffer shared by
 * many packets); one view per buffer, so packets cut from one buffer share it.
 */
function wordsOf(bytes: Uint8Array): Uint32Array | undefined {
  if (!LITTLE_ENDIAN || (bytes.byteOffset & 3) !== 0) return undefined;
  const buffer = bytes.buffer;
  if (buffer !== lastBuffer) {
    if (buffer.byteLength < MIN_VIEWED_BUFFER) return undefined;
    lastBuffer = buffer;
    lastWords = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  return lastWords;
}

/** hashBytes(bytes, 0, bytes.length, seed), reading whole words where it can. */
export function hashPacket(bytes: Uint8Array, seed: number): number {
  const length = bytes.length;
  const words = length < 64 ? undefined : wordsOf(bytes);
  if (words === undefined) return hashBytes(bytes, 0, length, seed);
  let h = seed | 0;
  const first = bytes.byteOffset >>> 2;
  const end = first + (length >>> 2);
  for (let w = first; w < end; w++) h = mixWord(h, words[w] | 0);
  return finishHash(h, bytes, length & ~3, length, length);
}

/** Bytes of a packet's head, the part hashPacketHead hashes: its signature count and most of its first signature. */
export const HEAD_BYTES = 64;

/**
 * A seeded hash of a packet's first HEAD_BYTES bytes and its length (of all
 * its bytes when it has no more): equal packets have equal head hashes.
 */
export function hashPacketHead(bytes: Uint8Array, seed: number): number {
  const length = bytes.length;
  if (length <= HEAD_BYTES) return hashBytes(bytes, 0, length, seed);
  let h = seed | 0;
  const words = wordsOf(bytes);
  if (words === undefined) {
    for (let i = 0; i < HEAD_BYTES; i += 4) h = mixWord(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  } else {
    const first = bytes.byteOffset >>> 2;
    for (let w = first; w < first + HEAD_BYTES / 4; w++) h = mixWord(h, words[w] | 0);
  }
  return finishHash(h, bytes, 0, 0, length);
}

/** Random words for tabulation hashing of 32-byte keys: 32 positions × 256 byte values. */
export function randomKeyHashTable(): Int32Array {
  const table = new Int32Array(32 * 256);
  globalThis.crypto.getRandomValues(table);
  return table;
}

/** A random per-process seed, so no fixed set of keys collides everywhere. */
export function randomSeed(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0] | 0;
}

export class KeyTable {
  /** Key words by id, 8 each: bytes 4j .. 4j + 3 of a key, little-endian, in word j. */
  private words: Int32Array;
  private hashes: Int32Array;
  /** Slot of each id, so the newest ids can be removed. */
  private slotOf: Int32Array;
  /** id + 1 per slot; 0 = empty. */
  private slots: Int32Array;
  private mask: number;
  private readonly hashTable: Int32Array;
  /** The words of the key last hashed. */
  private readonly scratch = new Int32Array(8);
  /** Ids in use: 0 .. count − 1. */
  count = 0;

  constructor(capacity = 1024, hashTable: Int32Array = randomKeyHashTable()) {
    const cap = Math.max(16, capacity);
    this.hashTable = hashTable;
    this.words = new Int32Array(8 * cap);
    this.hashes = new Int32Array(cap);
    this.slotOf = new Int32Array(cap);
    let size = 32;
    while (size < 2 * cap) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The id of the 32-byte key at `bytes[offset..]`, or −1. */
  find(bytes: Uint8Array, offset: number): number {
    const h = this.load(bytes, offset);
    const { slots, mask, hashes } = this;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[s];
      if (e === 0) return -1;
      const id = e - 1;
      if (hashes[id] === h && this.isLoaded(id)) return id;
    }
  }

  /** The id of the 32-byte key at `bytes[offset..]`, adding it if new. */
  intern(bytes: Uint8Array, offset: number): number {
    const h = this.load(bytes, offset);
    const { slots, mask, hashes } = this;
    let s = h & mask;
    for (; ; s = (s + 1) & mask) {
      const e = slots[s];
      if (e === 0) break;
      const id = e - 1;
      if (hashes[id] === h && this.isLoaded(id)) return id;
    }
    const id = this.count;
    if (id === this.hashes.length) return this.growAndAdd(h);
    this.words.set(this.scratch, 8 * id);
    hashes[id] = h;
    slots[s] = id + 1;
    this.slotOf[id] = s;
    this.count = id + 1;
    return id;
  }

  /** A copy of key `id`'s bytes. */
  key(id: number): Uint8Array {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = this.words[8 * id + (i >>> 2)] >>> (8 * (i & 3));
    return out;
  }

  /**
   * Removes every id ≥ `count`. Removing the newest entries first undoes
   * their insertions exactly, so the probe chains of older ids stay intact.
   */
  truncate(count: number): void {
    for (let id = this.count - 1; id >= count; id--) this.slots[this.slotOf[id]] = 0;
    this.count = Math.min(this.count, count);
  }

  /** The tabulation hash of the 32 bytes at `offset`; leaves their words in `scratch`. */
  private load(bytes: Uint8Array, offset: number): number {
    const table = this.hashTable;
    const w = this.scratch;
    let h = 0;
    for (let j = 0, o = offset, t = 0; j < 8; j++, o += 4, t += 1024) {
      const b0 = bytes[o];
      const b1 = bytes[o + 1];
      const b2 = bytes[o + 2];
      const b3 = bytes[o + 3];
      h ^= table[t | b0] ^ table[(t + 256) | b1] ^ table[(t + 512) | b2] ^ table[(t + 768) | b3];
      w[j] = b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
    }
    return h;
  }

  /** Whether key `id` is the one last loaded. */
  private isLoaded(id: number): boolean {
    const k = this.words;
    const w = this.scratch;
    const at = 8 * id;
    return k[at] === w[0] && k[at + 1] === w[1] && k[at + 2] === w[2] && k[at + 3] === w[3]
      && k[at + 4] === w[4] && k[at + 5] === w[5] && k[at + 6] === w[6] && k[at + 7] === w[7];
  }

  private growAndAdd(h: number): number {
    const cap = 2 * this.hashes.length;
    const words = new Int32Array(8 * cap);
    words.set(this.words);
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.words = words;
    this.hashes = hashes;
    this.slotOf = new Int32Array(cap);
    this.slots = new Int32Array(2 * this.slots.length);
    this.mask = this.slots.length - 1;
    // Re-insert in id order, so truncate() still undoes the newest first.
    for (let id = 0; id < this.count; id++) this.place(id);
    const id = this.count;
    words.set(this.scratch, 8 * id);
    hashes[id] = h;
    this.place(id);
    this.count = id + 1;
    return id;
  }

  private place(id: number): void {
    let s = this.hashes[id] & this.mask;
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = id + 1;
    this.slotOf[id] = s;
  }
}

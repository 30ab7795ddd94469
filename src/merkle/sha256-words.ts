// SHA-256 (FIPS 180-4) in plain JavaScript over 32-bit words, for the
// incremental state tree's fixed shapes: a leaf 0x00 ‖ data and a node
// 0x01 ‖ left ‖ right. Digests stay as eight big-endian word values
// (Int32Array, 8 words per node) so a parent reads its children's words and
// writes its own straight into the level array: no object, view or copy per
// hash. Measured in bench/merkle-incremental.ts (2-core EPYC, node 20, one
// other 2-thread job running): leaf 0x00‖48 ~0.6 µs, node 0x01‖32‖32
// ~0.73 µs here; createHash 2.4–3.7 µs for either; the one-shot crypto.hash
// ~1.0 µs before its Buffer is copied into a level. For 49- and 65-byte
// inputs the per-call binding cost outweighs OpenSSL's faster compression.
//
// Everything here is synchronous, single-threaded scratch: W and S are module
// state, used only between the start and the end of one call.

/** Integer square (k = 2) or cube (k = 3) root, floored: exact, unlike Math.cbrt. */
function iroot(x: bigint, k: 2n | 3n): bigint {
  // Newton from above converges to the floor for integer roots.
  let r = 1n << (BigInt(x.toString(2).length) / k + 1n);
  for (;;) {
    const next = ((k - 1n) * r + x / r ** (k - 1n)) / k;
    if (next >= r) return r;
    r = next;
  }
}

function firstPrimes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

// FIPS 180-4 §4.2.2 / §5.3.3: the first 32 fractional bits of the cube roots
// (round constants) and square roots (initial hash) of the first primes,
// derived exactly here instead of transcribed.
const fractionBits = (p: number, k: 2n | 3n) => Number(iroot(BigInt(p) << (32n * k), k) & 0xffffffffn) | 0;
const K = Int32Array.from(firstPrimes(64), (p) => fractionBits(p, 3n));
/** The initial hash value H(0). */
export const IV = Int32Array.from(firstPrimes(8), (p) => fractionBits(p, 2n));

/** The message schedule; callers fill W[0..15] before compress(). */
const W = new Int32Array(64);
/** Chaining value between the blocks of a two-block message. */
const S = new Int32Array(8);

/**
 * One compression of the block in W[0..15] onto the chaining value
 * h[ho..ho+8), result to out[oo..oo+8) (may be the same place).
 */
function compress(h: Int32Array, ho: number, out: Int32Array, oo: number): void {
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15];
    const y = W[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = (s1 + W[t - 7] + s0 + W[t - 16]) | 0;
  }
  let a = h[ho], b = h[ho + 1], c = h[ho + 2], d = h[ho + 3];
  let e = h[ho + 4], f = h[ho + 5], g = h[ho + 6], k = h[ho + 7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + S1 + (g ^ (e & (f ^ g))) + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
    k = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  out[oo] = (h[ho] + a) | 0; out[oo + 1] = (h[ho + 1] + b) | 0;
  out[oo + 2] = (h[ho + 2] + c) | 0; out[oo + 3] = (h[ho + 3] + d) | 0;
  out[oo + 4] = (h[ho + 4] + e) | 0; out[oo + 5] = (h[ho + 5] + f) | 0;
  out[oo + 6] = (h[ho + 6] + g) | 0; out[oo + 7] = (h[ho + 7] + k) | 0;
}

/**
 * RFC 6962 node hash SHA-256(0x01 ‖ left ‖ right) where left and right are
 * the 8-word digests at lv[l..l+8) and lv[r..r+8); the digest goes to
 * out[o..o+8). 65 bytes: the prefix shifts every child word by one byte, and
 * the second block holds only the last byte of right and the padding.
 */
export function nodeHashWords(lv: Int32Array, l: number, r: number, out: Int32Array, o: number): void {
  let prev = lv[l];
  W[0] = 0x01000000 | (prev >>> 8);
  for (let i = 1; i < 8; i++) { const w = lv[l + i]; W[i] = (prev << 24) | (w >>> 8); prev = w; }
  for (let i = 0; i < 8; i++) { const w = lv[r + i]; W[8 + i] = (prev << 24) | (w >>> 8); prev = w; }
  compress(IV, 0, S, 0);
  // prev is right's last word: its low byte is message byte 64.
  W[0] = (prev << 24) | 0x00800000;
  for (let i = 1; i < 15; i++) W[i] = 0;
  W[15] = 65 * 8;
  compress(S, 0, out, o);
}

/**
 * RFC 6962 leaf hash SHA-256(0x00 ‖ data[at..at+48)) to out[o..o+8): the
 * state tree's 48-byte account leaf, 49 bytes, one block, read straight from
 * the caller's bytes.
 */
export function leafHash48Words(data: Uint8Array, at: number, out: Int32Array, o: number): void {
  // Message byte i is data[at + i − 1]: word t covers data[at+4t−1 .. at+4t+3).
  W[0] = (data[at] << 16) | (data[at + 1] << 8) | data[at + 2];
  for (let t = 1, b = at + 3; t < 12; t++, b += 4) W[t] = (data[b] << 24) | (data[b + 1] << 16) | (data[b + 2] << 8) | data[b + 3];
  W[12] = (data[at + 47] << 24) | 0x00800000;
  W[13] = 0; W[14] = 0;
  W[15] = 49 * 8;
  compress(IV, 0, out, o);
}

/**
 * SHA-256 of prefix ‖ data[at..at+len) to out[o..o+8), any length: the
 * message is laid out padded in `pad` (from paddedScratch(len + 1), reused
 * across calls of the same length) and compressed block by block.
 */
export function prefixedHashWords(prefix: number, data: Uint8Array, at: number, len: number, pad: Uint8Array, out: Int32Array, o: number): void {
  pad[0] = prefix;
  pad.set(data.subarray(at, at + len), 1);
  const blocks = pad.length >>> 6;
  let h = IV;
  for (let b = 0; b < blocks; b++) {
    for (let t = 0, i = b * 64; t < 16; t++, i += 4) W[t] = (pad[i] << 24) | (pad[i + 1] << 16) | (pad[i + 2] << 8) | pad[i + 3];
    const last = b === blocks - 1;
    compress(h, 0, last ? out : S, last ? o : 0);
    h = S;
  }
}

/**
 * A zeroed buffer for a `messageBytes`-byte message with its padding already
 * in place (0x80 after the message, the bit length in the last 8 bytes):
 * only the message bytes change between calls.
 */
export function paddedScratch(messageBytes: number): Uint8Array {
  const blocks = Math.floor((messageBytes + 8) / 64) + 1;
  const pad = new Uint8Array(blocks * 64);
  pad[messageBytes] = 0x80;
  // The bit length as a big-endian u64; beyond 2^53 bits is beyond any array.
  const bits = messageBytes * 8;
  const v = new DataView(pad.buffer);
  v.setUint32(pad.length - 8, Math.floor(bits / 0x100000000));
  v.setUint32(pad.length - 4, bits >>> 0);
  return pad;
}

/** SHA-256 of `data` (any length) through the same compression: for tests. */
export function sha256Words(data: Uint8Array): Uint8Array {
  const pad = paddedScratch(data.length);
  pad.set(data, 0);
  const out = new Int32Array(8);
  const blocks = pad.length >>> 6;
  const h = IV.slice();
  for (let b = 0; b < blocks; b++) {
    for (let t = 0, i = b * 64; t < 16; t++, i += 4) W[t] = (pad[i] << 24) | (pad[i + 1] << 16) | (pad[i + 2] << 8) | pad[i + 3];
    compress(h, 0, b === blocks - 1 ? out : h, 0);
  }
  return wordsToBytes(out, 0);
}

/** The 32-byte digest at words[o..o+8). */
export function wordsToBytes(words: Int32Array, o: number): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const w = words[o + i];
    bytes[4 * i] = w >>> 24; bytes[4 * i + 1] = w >>> 16; bytes[4 * i + 2] = w >>> 8; bytes[4 * i + 3] = w;
  }
  return bytes;
}

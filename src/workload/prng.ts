// A seeded PRNG for workloads: the same seed gives the same bytes in Node and
// in a browser. xoshiro128** (Blackman & Vigna) on 32-bit integers, seeded
// from SHA-256 so any seed string spreads over the whole state.
import { sha256 } from '@noble/hashes/sha2.js';

export interface Prng {
  /** A uniform u32. */
  nextU32(): number;
  /** A uniform integer in [0, n); n must be a positive integer ≤ 2^32. */
  below(n: number): number;
  /** A uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number;
}

const utf8 = new TextEncoder();

export function createPrng(seedText: string): Prng {
  const h = sha256(utf8.encode(seedText));
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  let s0 = v.getUint32(0, true);
  let s1 = v.getUint32(4, true);
  let s2 = v.getUint32(8, true);
  let s3 = v.getUint32(12, true);
  // Edge case: xoshiro's all-zero state is a fixed point; SHA-256 reaching it
  // is not going to happen, but naming it costs one line.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const below = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) throw new RangeError(`prng.below: bound must be an integer in [1, 2^32], got ${n}`);
    // Rejection sampling keeps every value equally likely (no modulo bias).
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = nextU32();
      if (x < limit) return x % n;
    }
  };
  return { nextU32, below, between: (lo, hi) => lo + below(hi - lo + 1) };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// The three ed25519 rule sets of docs/verification.md, written out step by step on top of
// @noble/curves' field and point arithmetic. This is the readable statement
// of what every backend must compute; it is exact, not fast (~1 ms a verify).
//
// Deliberately NOT used from noble: `ed25519.verify` and `Point.fromBytes`,
// whose decoding rules differ from the contract's "decompress" (noble's strict mode
// rejects y >= p and x = -0; its zip215 mode is what the contract's zip215 oracle is,
// so using it here would make the differential test prove nothing).
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import type { RuleSet, SignatureItem } from './batch.js';

export const Point = ed25519.Point;
export type EdPoint = InstanceType<typeof ed25519.Point>;
const Fp = Point.Fp;

/** p = 2^255 − 19. */
export const P = Fp.ORDER;
/** L = 2^252 + 27742317777372353535851937790883648493, the prime subgroup order. */
export const L = Point.Fn.ORDER;
/** Edwards d = −121665/121666 mod p. */
const D = Point.CURVE().d;

export function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

export function numberToBytesLE(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) { out[i] = Number(n & 0xffn); n >>= 8n; }
  if (n !== 0n) throw new RangeError(`number does not fit in ${length} bytes`);
  return out;
}

/**
 * docs/verification.md "decompress": y is the low 255 bits, reduced mod p when y >= p
 * (non-canonical encodings accepted); x is the square root of
 * (y² − 1)/(d·y² + 1) whose parity is the top bit, where a set sign bit on
 * x = 0 is accepted and x stays 0 ("−0 = 0"). Returns undefined only when
 * no such x exists, i.e. the point is not on the curve.
 */
export function decompress(bytes: Uint8Array): EdPoint | undefined {
  if (bytes.length !== 32) throw new RangeError(`a point encoding has 32 bytes, got ${bytes.length}`);
  const signBit = (bytes[31] & 0x80) !== 0;
  const low = bytes.slice();
  low[31] &= 0x7f;
  // Edge case y >= p (19 values, only reachable as y ∈ [p, 2^255)): reduced, not refused.
  const y = Fp.create(bytesToNumberLE(low));
  const y2 = Fp.sqr(y);
  const u = Fp.sub(y2, Fp.ONE);
  // d·y² + 1 is never 0 mod p: −1/d is not a square, so no y makes it vanish.
  const v = Fp.add(Fp.mul(D, y2), Fp.ONE);
  const x2 = Fp.div(u, v);
  let x: bigint;
  try {
    x = Fp.sqrt(x2);
  } catch {
    return undefined; // Edge case: no square root, the point is off the curve.
  }
  // Edge case x = 0 with the sign bit set: accepted; negating 0 leaves 0.
  if ((x & 1n) === 1n !== signBit) x = Fp.neg(x);
  return Point.fromAffine({ x, y });
}

/** Canonical encoding: y < p, top bit = parity of x. */
export function compress(point: EdPoint): Uint8Array {
  const { x, y } = point.toAffine();
  const out = numberToBytesLE(y, 32);
  if ((x & 1n) === 1n) out[31] |= 0x80;
  return out;
}

/** the contract's "small order": [8]P is the identity. */
export function isSmallOrder(point: EdPoint): boolean {
  return point.double().double().double().is0();
}

/** k = SHA-512(R_bytes ‖ A_bytes ‖ M) mod L, over the bytes exactly as given. */
export function challenge(rBytes: Uint8Array, aBytes: Uint8Array, message: Uint8Array): bigint {
  const h = sha512.create().update(rBytes).update(aBytes).update(message).digest();
  return bytesToNumberLE(h) % L;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One signature under one rule set, exactly as docs/verification.md states it. Never
 * throws on bad signature content (that is a 0 verdict); throws RangeError
 * only on wrong key/signature lengths, which a validated batch cannot have.
 */
export function verifyReference(item: SignatureItem, rules: RuleSet): boolean {
  const { publicKey, signature, message } = item;
  if (publicKey.length !== 32) throw new RangeError(`public key has ${publicKey.length} bytes, expected 32`);
  if (signature.length !== 64) throw new RangeError(`signature has ${signature.length} bytes, expected 64`);
  const rBytes = signature.subarray(0, 32);
  const S = bytesToNumberLE(signature.subarray(32, 64));
  // Edge case S >= L (including S = L and anything with the top 3 bits set): every rule set refuses.
  if (S >= L) return false;
  const A = decompress(publicKey);
  if (A === undefined) return false;
  const k = challenge(rBytes, publicKey, message);
  // [S]B − [k]A; S = 0 or k = 0 give the identity term, which multiplyUnsafe allows.
  const SB = Point.BASE.multiplyUnsafe(S);
  const kA = A.multiplyUnsafe(k);
  const rCheck = SB.subtract(kA);
  switch (rules) {
    case 'ref10':
      // Byte equality: a non-canonical R_bytes can never match, and R need not decompress.
      return bytesEqual(compress(rCheck), rBytes);
    case 'solana': {
      const R = decompress(rBytes);
      if (R === undefined) return false;
      if (isSmallOrder(A) || isSmallOrder(R)) return false;
      return bytesEqual(compress(rCheck), rBytes);
    }
    case 'zip215': {
      const R = decompress(rBytes);
      if (R === undefined) return false;
      // Cofactored: torsion components of A and R (and a non-canonical R) are forgiven.
      return isSmallOrder(rCheck.subtract(R));
    }
    default:
      throw new RangeError(`unknown rule set ${JSON.stringify(rules)}`);
  }
}

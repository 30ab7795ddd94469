// The CPU verifier's inner loop: verifies items [start, end) of columnar
// batch arrays into a result array. It runs inside the pool's workers (and
// inline for the single-thread baselines). Two engines:
//  - 'node':  OpenSSL through node:crypto, which is exactly `ref10` (SPEC §1),
//             plus provably equivalent fast paths for `zip215` and `solana`;
//  - 'noble': the SPEC §1 reference on @noble/curves, for browsers (no node:crypto).
import type { RuleSet } from '../batch.js';
import { Point, L, decompress, numberToBytesLE, verifyReference } from '../reference.js';

export type CpuEngine = 'node' | 'noble';

/** The columnar arrays of a batch (SPEC §2), possibly views into a SharedArrayBuffer. */
export interface BatchColumns {
  publicKeys: Uint8Array;
  signatures: Uint8Array;
  messages: Uint8Array;
  messageOffsets: Uint32Array;
}

// ---------------------------------------------------------------- small-order encodings

/**
 * Every 32-byte string that decompresses (SPEC §1 rules) to a point of small
 * order. Derived at load, not typed in: the 8 torsion points are the
 * multiples of one order-8 point; each point's y has its canonical bytes and,
 * when y + p < 2^255, the non-canonical y + p; each y-encoding comes with
 * both sign bits. A sign bit that disagrees with x's parity decodes to −P,
 * which is in the torsion subgroup too, and on x = 0 it decodes to P itself;
 * so this set is closed, and a string outside it never decodes to a
 * small-order point. (14 strings: 8 canonical, y = p and y = p + 1 twice
 * each counting signs, and the sign bit on (0, 1) and (0, −1).)
 */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = (() => {
  let T: InstanceType<typeof Point> | undefined;
  for (let y = 2n; !T; y++) {
    const p = decompress(numberToBytesLE(y, 32));
    if (!p) continue;
    // [L]P lies in the torsion subgroup; keep it if its order is exactly 8.
    const t = p.multiplyUnsafe(L - 1n).add(p);
    if (!t.double().double().is0()) T = t;
  }
  const p = Point.Fp.ORDER;
  const out = new Map<string, Uint8Array>();
  let Q = Point.ZERO;
  for (let i = 0; i < 8; i++, Q = Q.add(T)) {
    const y = Q.toAffine().y;
    for (const yy of y + p < 2n ** 255n ? [y, y + p] : [y]) {
      for (const sign of [0, 0x80]) {
        const enc = numberToBytesLE(yy, 32);
        enc[31] |= sign;
        out.set(enc.join(','), enc);
      }
    }
  }
  return [...out.values()];
})();

/** Whether `bytes[at .. at+32)` decompresses to a point of small order (see SMALL_ORDER_ENCODINGS). */
export function isSmallOrderEncoding(bytes: Uint8Array, at: number): boolean {
  next: for (const enc of SMALL_ORDER_ENCODINGS) {
    for (let i = 0; i < 32; i++) if (bytes[at + i] !== enc[i]) continue next;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- node:crypto engine

type NodeCrypto = typeof import('node:crypto');
let nodeCrypto: NodeCrypto | undefined;

/** Loads node:crypto once; the 'noble' engine never calls this. */
export async function loadNodeCrypto(): Promise<NodeCrypto> {
  nodeCrypto ??= await import('node:crypto');
  return nodeCrypto;
}

const SPKI_ED25519_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const spki = new Uint8Array(44);
spki.set(SPKI_ED25519_PREFIX);

/**
 * Imports the 32-byte ed25519 public key at `bytes[at]` (SPEC §1's A, any 32
 * bytes). JWK first: on Node 20 / OpenSSL 3 it costs ~10 µs where SPKI DER
 * costs ~110 µs (OpenSSL's DER decoder framework), about as much as a verify.
 * Both end in the same OpenSSL raw-key setter, which stores the 32 bytes
 * without decompressing them: off-curve keys, non-canonical y ≥ p, small-order
 * keys and the x = −0 sign bit all import unchanged either way, and verify
 * decides on them exactly as with a DER-imported key (the test
 * `ed25519-key-import.test.ts` pins this on every crafted edge case). Should
 * JWK import ever throw for some key (it does not for any 32 bytes on the
 * versions tested), the DER import, which defines ref10 here, decides: its
 * key, or its exception, exactly as before.
 */
export function importEd25519PublicKey(c: NodeCrypto, bytes: Uint8Array, at: number, x = jwkX(bytes, at)): import('node:crypto').KeyObject {
  try {
    return c.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch {
    return importEd25519PublicKeyDer(c, bytes, at);
  }
}

/** The SPKI DER import: the oracles' path (test/support), and the fallback above. */
export function importEd25519PublicKeyDer(c: NodeCrypto, bytes: Uint8Array, at: number): import('node:crypto').KeyObject {
  spki.set(bytes.subarray(at, at + 32), 12);
  return c.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

/** JWK's `x` for `bytes[at .. at+32)`: unpadded base64url (RFC 7517/8037). */
function jwkX(bytes: Uint8Array, at: number): string {
  return asBuffer(bytes).toString('base64url', at, at + 32);
}

/** A Buffer over the same memory (shared or not), for Buffer's native encoders; no copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Imported KeyObjects by key bytes, keyed by JWK's `x` string, which a miss
 * needs anyway and which Buffer's native encoder builds faster (~0.25 µs)
 * than a JS-built key. At ~10 µs an import is still ~7% of a verify, and a block's
 * senders repeat across blocks, so each worker keeps its own cache. Bounded:
 * cleared when full (a flood of fresh keys costs imports, never memory).
 */
const KEY_CACHE_LIMIT = 1 << 16;
const keyCache = new Map<string, import('node:crypto').KeyObject>();

/** `publicKeys` is a Buffer view of the batch's key column (see asBuffer). */
function nodeKey(c: NodeCrypto, publicKeys: Buffer, at: number): import('node:crypto').KeyObject {
  const id = publicKeys.toString('base64url', at, at + 32);
  let key = keyCache.get(id);
  if (key === undefined) {
    key = importEd25519PublicKey(c, publicKeys, at, id);
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

function verifyRangeNode(c: NodeCrypto, batch: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): void {
  const { publicKeys, signatures, messages, messageOffsets } = batch;
  const keyColumn = asBuffer(publicKeys);
  for (let i = start; i < end; i++) {
    const signature = signatures.subarray(64 * i, 64 * i + 64);
    const message = messages.subarray(messageOffsets[i], messageOffsets[i + 1]);
    const ref10 = c.verify(null, message, nodeKey(c, keyColumn, 32 * i), signature);
    let ok: boolean;
    switch (rules) {
      case 'ref10':
        // OpenSSL's Ed25519 verify is SPEC's ref10 oracle itself.
        ok = ref10;
        break;
      case 'solana':
        // solana = ref10 ∧ R decompresses ∧ A, R not small order (SPEC §1).
        // ref10-reject ⇒ solana-reject: solana's conditions include all of ref10's.
        // On ref10-accept, R_bytes = encode([S]B − [k]A) is the canonical encoding
        // of a curve point, so R decompresses; A decompresses (ref10 requires it).
        // What remains is the two small-order tests, exact on the bytes.
        ok = ref10 && !isSmallOrderEncoding(signatures, 64 * i) && !isSmallOrderEncoding(publicKeys, 32 * i);
        break;
      case 'zip215':
        // ref10-accept ⇒ zip215-accept: if encode([S]B − [k]A) == R_bytes then
        // R_bytes is the canonical encoding of X = [S]B − [k]A, so R decompresses
        // to X, and [8]([S]B − R − [k]A) = [8]·identity = identity; S < L and A
        // decompressing hold in both. Only a ref10-reject needs the exact
        // cofactored check (torsion components, non-canonical R), in the reference.
        ok = ref10 || verifyReference({ publicKey: publicKeys.subarray(32 * i, 32 * i + 32), signature, message }, 'zip215');
        break;
      default:
        throw new RangeError(`unknown rule set ${JSON.stringify(rules)}`);
    }
    out[i] = ok ? 1 : 0;
  }
}

// ---------------------------------------------------------------- noble engine

function verifyRangeNoble(batch: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): void {
  const { publicKeys, signatures, messages, messageOffsets } = batch;
  for (let i = start; i < end; i++) {
    out[i] = verifyReference({
      publicKey: publicKeys.subarray(32 * i, 32 * i + 32),
      signature: signatures.subarray(64 * i, 64 * i + 64),
      message: messages.subarray(messageOffsets[i], messageOffsets[i + 1]),
    }, rules) ? 1 : 0;
  }
}

/**
 * Verifies items [start, end) of `batch` into `out[start .. end)`. `crypto`
 * is required for the 'node' engine (see loadNodeCrypto).
 */
export function verifyRange(engine: CpuEngine, crypto: NodeCrypto | undefined, batch: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): void {
  if (engine === 'node') {
    if (!crypto) throw new Error('the node engine needs node:crypto (call loadNodeCrypto first)');
    verifyRangeNode(crypto, batch, rules, start, end, out);
  } else {
    verifyRangeNoble(batch, rules, start, end, out);
  }
}

/** The engine for this runtime: node:crypto where it exists. */
export function defaultEngine(): CpuEngine {
  return typeof process !== 'undefined' && !!process.versions?.node ? 'node' : 'noble';
}

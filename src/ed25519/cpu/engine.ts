// The CPU verifier's inner loop: verifies items [start, end) of columnar
// batch arrays into a result array. It runs inside the pool's workers (and
// inline for the single-thread baselines). Three engines:
//  - 'node':      OpenSSL through node:crypto, which is exactly `ref10` (docs/verification.md),
//                 plus provably equivalent fast paths for `zip215` and `solana`;
//  - 'webcrypto': the same fast paths on WebCrypto's Ed25519 (browsers), asynchronous;
//  - 'noble':     the docs/verification.md reference on @noble/curves, where neither exists.
import { ed25519 } from '@noble/curves/ed25519.js';
import type { RuleSet } from '../batch.js';
import { Point, L, bytesToNumberLE, decompress, numberToBytesLE, verifyReference } from '../reference.js';

export type CpuEngine = 'node' | 'webcrypto' | 'noble';
export const CPU_ENGINES: readonly CpuEngine[] = ['node', 'webcrypto', 'noble'];

/** The columnar arrays of a batch (docs/verification.md), possibly views into a SharedArrayBuffer. */
export interface BatchColumns {
  publicKeys: Uint8Array;
  signatures: Uint8Array;
  messages: Uint8Array;
  messageOffsets: Uint32Array;
}

// ---------------------------------------------------------------- small-order encodings

/**
 * Every 32-byte string that decompresses (docs/verification.md rules) to a point of small
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
 * Imports the 32-byte ed25519 public key at `bytes[at]` (docs/verification.md's A, any 32
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

/** Item i of a batch, as views (no copy). */
function item(batch: BatchColumns, i: number) {
  const { publicKeys, signatures, messages, messageOffsets } = batch;
  return {
    publicKey: publicKeys.subarray(32 * i, 32 * i + 32),
    signature: signatures.subarray(64 * i, 64 * i + 64),
    message: messages.subarray(messageOffsets[i], messageOffsets[i + 1]),
  };
}

/** The verdict on item i under `rules`, given its exact ref10 verdict (from OpenSSL, or WebCrypto where it decides). */
function fromRef10(ref10: boolean, rules: RuleSet, batch: BatchColumns, i: number): boolean {
  switch (rules) {
    case 'ref10':
      return ref10;
    case 'solana':
      // solana = ref10 ∧ R decompresses ∧ A, R not small order (docs/verification.md).
      // ref10-reject ⇒ solana-reject: solana's conditions include all of ref10's.
      // On ref10-accept, R_bytes = encode([S]B − [k]A) is the canonical encoding
      // of a curve point, so R decompresses; A decompresses (ref10 requires it).
      // What remains is the two small-order tests, exact on the bytes.
      return ref10 && !isSmallOrderEncoding(batch.signatures, 64 * i) && !isSmallOrderEncoding(batch.publicKeys, 32 * i);
    case 'zip215':
      // ref10-accept ⇒ zip215-accept: if encode([S]B − [k]A) == R_bytes then
      // R_bytes is the canonical encoding of X = [S]B − [k]A, so R decompresses
      // to X, and [8]([S]B − R − [k]A) = [8]·identity = identity; S < L and A
      // decompressing hold in both. Only a ref10-reject needs the exact
      // cofactored check (torsion components, non-canonical R), in the reference.
      return ref10 || verifyReference(item(batch, i), 'zip215');
    default:
      throw new RangeError(`unknown rule set ${JSON.stringify(rules)}`);
  }
}

function verifyRangeNode(c: NodeCrypto, batch: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): void {
  const { publicKeys, signatures, messages, messageOffsets } = batch;
  const keyColumn = asBuffer(publicKeys);
  for (let i = start; i < end; i++) {
    const signature = signatures.subarray(64 * i, 64 * i + 64);
    const message = messages.subarray(messageOffsets[i], messageOffsets[i + 1]);
    // OpenSSL's Ed25519 verify is the contract's ref10 oracle itself.
    const ref10 = c.verify(null, message, nodeKey(c, keyColumn, 32 * i), signature);
    out[i] = fromRef10(ref10, rules, batch, i) ? 1 : 0;
  }
}

// ---------------------------------------------------------------- WebCrypto engine

/**
 * Whether WebCrypto's Ed25519 verdict on item i is taken as its ref10
 * verdict. Browsers verify with BoringSSL (Chrome), NSS (Firefox) or their
 * own code (Safari), and the WebCrypto specification adds a rule of its own
 * (a key or R of small order verifies false), so on the inputs where
 * implementations are known to part, its answer is not used: A or R among the
 * 14 small-order encodings, or A with a non-canonical y (y ≥ p). Those go to
 * the reference (they are never honest traffic); everywhere else the answer is
 * ref10's, which test/browser-webcrypto.test.ts checks on every vector and
 * crafted case in headless Chromium.
 */
export function webCryptoDecides(batch: BatchColumns, i: number): boolean {
  return !isSmallOrderEncoding(batch.publicKeys, 32 * i)
    && !isSmallOrderEncoding(batch.signatures, 64 * i)
    && !hasNonCanonicalY(batch.publicKeys, 32 * i);
}

/** Whether the 255-bit y of the encoding at `bytes[at]` is ≥ p = 2^255 − 19. */
function hasNonCanonicalY(bytes: Uint8Array, at: number): boolean {
  if ((bytes[at + 31] & 0x7f) !== 0x7f || bytes[at] < 0xed) return false;
  for (let j = 1; j < 31; j++) if (bytes[at + j] !== 0xff) return false;
  return true;
}

const ED25519 = { name: 'Ed25519' } as const;

/**
 * Imported keys by key bytes, per worker, bounded like the node engine's
 * cache. A key WebCrypto refuses to import maps to undefined: its items go to
 * the reference.
 */
const webKeyCache = new Map<string, Promise<CryptoKey | undefined>>();

function webKey(subtle: SubtleCrypto, publicKeys: Uint8Array, at: number): Promise<CryptoKey | undefined> {
  const id = String.fromCharCode(...publicKeys.subarray(at, at + 32));
  let key = webKeyCache.get(id);
  if (key === undefined) {
    key = subtle.importKey('raw', publicKeys.slice(at, at + 32), ED25519, false, ['verify']).catch(() => undefined);
    if (webKeyCache.size >= KEY_CACHE_LIMIT) webKeyCache.clear();
    webKeyCache.set(id, key);
  }
  return key;
}

/**
 * Verifies items [start, end) with WebCrypto: every item's verify is started
 * before the first is awaited, so the browser's crypto threads see the whole
 * range at once. `batch` may live in a SharedArrayBuffer, which WebCrypto
 * does not read: each signature and message is copied (slice) on the way.
 */
export async function verifyRangeWebCrypto(subtle: SubtleCrypto, batch: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): Promise<void> {
  const { publicKeys, signatures, messages, messageOffsets } = batch;
  const reference = (i: number): void => { out[i] = verifyReference(item(batch, i), rules) ? 1 : 0; };
  const pending: Promise<void>[] = [];
  for (let i = start; i < end; i++) {
    if (!webCryptoDecides(batch, i)) {
      reference(i);
      continue;
    }
    const signature = signatures.slice(64 * i, 64 * i + 64);
    const message = messages.slice(messageOffsets[i], messageOffsets[i + 1]);
    pending.push(webKey(subtle, publicKeys, 32 * i)
      .then((key) => (key ? subtle.verify(ED25519, key, signature, message) : undefined))
      .then(
        (ref10) => { if (ref10 === undefined) reference(i); else out[i] = fromRef10(ref10, rules, batch, i) ? 1 : 0; },
        () => reference(i),
      ));
  }
  await Promise.all(pending);
}

let webCryptoProbe: Promise<boolean> | undefined;

/**
 * Whether this runtime's WebCrypto verifies Ed25519 (Chrome 137+, Firefox
 * 129+, Safari 17+, Node), decided once at start-up on a signature made here
 * with noble: it must verify, and fail with a flipped message bit and with
 * S + L in place of S (ref10 refuses S ≥ L; an implementation that does not
 * is not used).
 */
export function webCryptoEd25519Available(): Promise<boolean> {
  webCryptoProbe ??= (async () => {
    const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
    if (!subtle) return false;
    try {
      const secret = new Uint8Array(32).fill(7);
      const message = new TextEncoder().encode('webgpu-preexec WebCrypto Ed25519 probe');
      const signature = ed25519.sign(message, secret);
      const key = await subtle.importKey('raw', ed25519.getPublicKey(secret), ED25519, false, ['verify']);
      const flipped = message.slice();
      flipped[0] ^= 1;
      const sPlusL = signature.slice();
      sPlusL.set(numberToBytesLE(bytesToNumberLE(signature.subarray(32)) + L, 32), 32);
      const [good, badMessage, badS] = await Promise.all([
        subtle.verify(ED25519, key, signature, message),
        subtle.verify(ED25519, key, signature, flipped),
        subtle.verify(ED25519, key, sPlusL, message),
      ]);
      return good && !badMessage && !badS;
    } catch {
      return false;
    }
  })();
  return webCryptoProbe;
}

// ---------------------------------------------------------------- noble engine

function verifyRangeNoble(batch: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): void {
  for (let i = start; i < end; i++) out[i] = verifyReference(item(batch, i), rules) ? 1 : 0;
}

/**
 * Verifies items [start, end) of `batch` into `out[start .. end)` with a
 * synchronous engine ('webcrypto' is verifyRangeWebCrypto). `crypto` is
 * required for the 'node' engine (see loadNodeCrypto).
 */
export function verifyRange(engine: CpuEngine, crypto: NodeCrypto | undefined, batch: BatchColumns, rules: RuleSet, start: number, end: number, out: Uint8Array): void {
  if (engine === 'node') {
    if (!crypto) throw new Error('the node engine needs node:crypto (call loadNodeCrypto first)');
    verifyRangeNode(crypto, batch, rules, start, end, out);
  } else if (engine === 'noble') {
    verifyRangeNoble(batch, rules, start, end, out);
  } else {
    throw new Error(`the ${engine} engine is asynchronous (verifyRangeWebCrypto)`);
  }
}

/** Whether node:crypto exists here (Node, its worker threads). */
export const hasNodeCrypto = typeof process !== 'undefined' && !!process.versions?.node;

/** The engine for this runtime: node:crypto where it exists, else WebCrypto where it verifies Ed25519, else noble. */
export async function defaultEngine(): Promise<CpuEngine> {
  if (hasNodeCrypto) return 'node';
  return await webCryptoEd25519Available() ? 'webcrypto' : 'noble';
}

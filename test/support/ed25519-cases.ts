// Deterministic ed25519 test cases for every backend (CPU, WebGPU): valid
// signatures, crafted edge cases and bit flips, plus the docs/verification.md oracles that
// give each case's expected verdict under each rule set. Node only (the
// oracles and fast signing use node:crypto).
//
// Usage:
//   const cases = [...validCases(500, 1), ...edgeCases(2), ...bitFlipCases(validCases(20, 3), 4, 3)];
//   const batch = casesToBatch(cases);
//   const expected = oracleVerdicts(cases, 'zip215');   // Uint8Array, one byte per case
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { packSignatureBatch, type RuleSet, type SignatureBatch, type SignatureItem } from '../../src/ed25519/batch.js';
import {
  Point, P, L, type EdPoint, challenge, compress, decompress, isSmallOrder, numberToBytesLE, bytesToNumberLE,
} from '../../src/ed25519/reference.js';
import { fromHex } from '../../src/hex.js';

export interface Ed25519Case extends SignatureItem {
  /** What the case exercises, for failure messages. */
  label: string;
}

/** Message lengths around SHA-512 block boundaries (111/112, 239/240) and sizes a node sees. */
export const MESSAGE_LENGTHS: readonly number[] = [0, 1, 111, 112, 127, 128, 239, 240, 1232, 4096];

// ---------------------------------------------------------------- randomness

/** A seeded xoshiro128** generator: the same seed gives the same cases everywhere. */
export function createRng(seed: number) {
  // splitmix32 spreads a small seed over the 128-bit state.
  let z = seed >>> 0;
  const next32 = () => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x21f0aaad) >>> 0;
    t = Math.imul(t ^ (t >>> 15), 0x735a2d97) >>> 0;
    return (t ^ (t >>> 15)) >>> 0;
  };
  const s = new Uint32Array([next32(), next32(), next32(), next32()]);
  const u32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 11);
    return result;
  };
  return {
    u32,
    /** Uniform integer in [0, n). */
    int: (n: number): number => Math.floor((u32() / 2 ** 32) * n),
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
    /** A nonzero scalar mod L. */
    scalar(): bigint {
      return (bytesToNumberLE(this.bytes(64)) % (L - 1n)) + 1n;
    },
  };
}
export type Rng = ReturnType<typeof createRng>;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// ---------------------------------------------------------------- valid signatures

const PKCS8_ED25519_PREFIX = fromHex('302e020100300506032b657004220420');
const SPKI_ED25519_PREFIX = fromHex('302a300506032b6570032100');

interface Signer { publicKey: Uint8Array; sign(message: Uint8Array): Uint8Array }

/** An RFC 8032 key from a 32-byte seed; signs through node:crypto (fast, deterministic). */
function signerFromSeed(seed: Uint8Array): Signer {
  const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' });
  return {
    publicKey: new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length)),
    sign: (message) => new Uint8Array(crypto.sign(null, message, key)),
  };
}

/**
 * `count` valid RFC 8032 signatures from `keys` distinct keys (default: up to
 * 64, reused round robin as a block's senders are). Message lengths cycle
 * through `messageLengths` (default: MESSAGE_LENGTHS plus random ones).
 */
export function validCases(count: number, seed = 1, opts: { keys?: number; messageLengths?: readonly number[] } = {}): Ed25519Case[] {
  const rng = createRng(seed);
  const signers = Array.from({ length: Math.max(1, Math.min(opts.keys ?? 64, count)) }, () => signerFromSeed(rng.bytes(32)));
  const lengths = opts.messageLengths ?? [...MESSAGE_LENGTHS, 81, 32, 5, 200];
  const out: Ed25519Case[] = [];
  for (let i = 0; i < count; i++) {
    const signer = signers[i % signers.length];
    const len = lengths[i % lengths.length];
    const message = rng.bytes(len);
    out.push({ label: `valid #${i} (message ${len} bytes)`, publicKey: signer.publicKey, signature: signer.sign(message), message });
  }
  return out;
}

// ---------------------------------------------------------------- special encodings

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The 8 points of the torsion subgroup, as the multiples [0..7]T of an order-8 point T. */
export const TORSION_POINTS: readonly EdPoint[] = (() => {
  // Any curve point times L lies in the torsion subgroup; search for one of order exactly 8.
  for (let y = 2n; ; y++) {
    const p = decompress(numberToBytesLE(y, 32));
    if (!p) continue;
    const t = p.multiplyUnsafe(L - 1n).add(p);
    if (t.double().double().is0()) continue;
    const pts: EdPoint[] = [Point.ZERO];
    for (let i = 1; i < 8; i++) pts.push(pts[i - 1].add(t));
    return pts;
  }
})();

/**
 * Every 32-byte string that decompresses to a point of small order: the 8
 * canonical encodings, y + p where y + p < 2^255 (y = 0 and y = 1), and the
 * sign bit set on x = 0 (y = 1 and y = p − 1, also on y = p + 1). 14 in all.
 */
export const LOW_ORDER_ENCODINGS: readonly Uint8Array[] = (() => {
  const seen = new Map<string, Uint8Array>();
  for (const t of TORSION_POINTS) {
    const { x, y } = t.toAffine();
    const ys = [y];
    if (y + P < 2n ** 255n) ys.push(y + P); // non-canonical y
    for (const yy of ys) {
      const signs = x === 0n ? [false, true] : [(x & 1n) === 1n]; // x = −0
      for (const sign of signs) {
        const enc = numberToBytesLE(yy, 32);
        if (sign) enc[31] |= 0x80;
        seen.set(hex(enc), enc);
      }
    }
  }
  return [...seen.values()];
})();

/** Every encoding with y in [p, 2^255) that decompresses (both sign bits): non-canonical y. */
export const NON_CANONICAL_ENCODINGS: readonly Uint8Array[] = (() => {
  const out: Uint8Array[] = [];
  for (let t = 0n; t < 19n; t++) {
    for (const sign of [false, true]) {
      const enc = numberToBytesLE(P + t, 32);
      if (sign) enc[31] |= 0x80;
      if (decompress(enc)) out.push(enc);
    }
  }
  return out;
})();

/** A few encodings that are not on the curve (decompress fails), canonical and not. */
export const OFF_CURVE_ENCODINGS: readonly Uint8Array[] = (() => {
  const out: Uint8Array[] = [];
  for (let y = 2n; out.length < 4; y++) {
    const enc = numberToBytesLE(y, 32);
    if (!decompress(enc)) { out.push(enc); const neg = enc.slice(); neg[31] |= 0x80; out.push(neg); }
  }
  for (let t = 0n; t < 19n && out.length < 8; t++) {
    const enc = numberToBytesLE(P + t, 32);
    if (!decompress(enc)) out.push(enc);
  }
  const allOnes = new Uint8Array(32).fill(0xff);
  if (!decompress(allOnes)) out.push(allOnes);
  return out;
})();

// ---------------------------------------------------------------- crafted signatures

/** Signs with a raw scalar a (public key [a]B + torsion, if any), nonce r: S = r + k·a mod L. */
function rawSign(a: bigint, publicKey: Uint8Array, rBytes: Uint8Array, r: bigint, message: Uint8Array): Uint8Array {
  const k = challenge(rBytes, publicKey, message);
  const S = (r + k * a) % L;
  const sig = new Uint8Array(64);
  sig.set(rBytes, 0);
  sig.set(numberToBytesLE(S, 32), 32);
  return sig;
}

function sigFrom(rBytes: Uint8Array, S: bigint): Uint8Array {
  const sig = new Uint8Array(64);
  sig.set(rBytes, 0);
  sig.set(numberToBytesLE(S, 32), 32);
  return sig;
}

/**
 * Crafted edge cases (~450), each labelled. Many are accepted by some rule
 * sets and refused by others: that is their point.
 */
export function edgeCases(seed = 2): Ed25519Case[] {
  const rng = createRng(seed);
  const out: Ed25519Case[] = [];
  const push = (label: string, publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) =>
    out.push({ label, publicKey, signature, message });
  const lo = LOW_ORDER_ENCODINGS;

  // Small-order A and small-order R with S = 0: [S]B − [k]A is small order, so
  // zip215 always accepts; ref10 accepts iff encode(−[k]A) is R's bytes.
  lo.forEach((a, i) => lo.forEach((r, j) => {
    push(`low-order A#${i} R#${j} S=0`, a, sigFrom(r, 0n), rng.bytes(1 + rng.int(40)));
  }));

  // Small-order A, R = [r]B, S = r: the equation holds up to torsion.
  lo.forEach((a, i) => {
    for (let m = 0; m < 2; m++) {
      const r = rng.scalar();
      const rBytes = compress(Point.BASE.multiply(r));
      push(`low-order A#${i}, R=[r]B, S=r`, a, sigFrom(rBytes, r), rng.bytes(16 * m));
    }
  });

  // A real key with R = each small-order encoding and S = k·a: [S]B − [k]A is the identity.
  lo.forEach((rBytes, j) => {
    const a = rng.scalar();
    const A = compress(Point.BASE.multiply(a));
    push(`real A, low-order R#${j}, S=k·a`, A, rawSign(a, A, rBytes, 0n, rng.bytes(32)), rng.bytes(0));
    const message = rng.bytes(32);
    push(`real A, low-order R#${j}, S=k·a (msg)`, A, rawSign(a, A, rBytes, 0n, message), message);
  });

  // A with a torsion component: a valid signature for A' = [a]B + T over A' bytes.
  TORSION_POINTS.forEach((T, i) => {
    for (let m = 0; m < 4; m++) {
      const a = rng.scalar();
      const A = compress(Point.BASE.multiply(a).add(T));
      const r = rng.scalar();
      const rBytes = compress(Point.BASE.multiply(r));
      const message = rng.bytes(m * 20);
      push(`A + torsion[${i}]`, A, rawSign(a, A, rBytes, r, message), message);
    }
  });

  // R with a torsion component: R' = [r]B + T, S = r + k·a.
  TORSION_POINTS.forEach((T, i) => {
    for (let m = 0; m < 2; m++) {
      const a = rng.scalar();
      const A = compress(Point.BASE.multiply(a));
      const r = rng.scalar();
      const rBytes = compress(Point.BASE.multiply(r).add(T));
      const message = rng.bytes(8 + m);
      push(`R + torsion[${i}]`, A, rawSign(a, A, rBytes, r, message), message);
    }
  });

  // Non-canonical y (y >= p) and off-curve encodings, as A and as R.
  const good = validCases(4, seed + 1000);
  NON_CANONICAL_ENCODINGS.forEach((enc, i) => {
    const g = good[i % good.length];
    push(`non-canonical A#${i}, real signature`, enc, g.signature, g.message);
    const sig = g.signature.slice(); sig.set(enc, 0);
    push(`non-canonical R#${i}`, g.publicKey, sig, g.message);
    // R non-canonical, S = k·a: if R is small order, zip215 accepts.
    const a = rng.scalar();
    const A = compress(Point.BASE.multiply(a));
    push(`non-canonical R#${i}, S=k·a`, A, rawSign(a, A, enc, 0n, g.message), g.message);
  });
  OFF_CURVE_ENCODINGS.forEach((enc, i) => {
    const g = good[i % good.length];
    push(`off-curve A#${i}`, enc, g.signature, g.message);
    const sig = g.signature.slice(); sig.set(enc, 0);
    push(`off-curve R#${i}`, g.publicKey, sig, g.message);
  });

  // S at and around L. With A the identity, [S]B − [k]A = [S]B for any k,
  // so R = encode([S]B) makes a ref10-valid signature for any S < L.
  const identity = compress(Point.ZERO);
  const sEdges: Array<[string, bigint]> = [
    ['S=0', 0n], ['S=1', 1n], ['S=L-1', L - 1n], ['S=L', L], ['S=L+1', L + 1n],
    ['S=2^252', 2n ** 252n], ['S=2^253', 2n ** 253n], ['S=2^255+1', 2n ** 255n + 1n], ['S=2^256-1', 2n ** 256n - 1n],
  ];
  for (const [name, S] of sEdges) {
    const rBytes = compress(Point.BASE.multiplyUnsafe(S % L));
    push(`identity A, R=[S]B, ${name}`, identity, sigFrom(rBytes, S), rng.bytes(3));
  }
  // Valid signatures made malleable: S + L, S + 2L... (all < 2^256), and S with high bits set.
  good.forEach((g, i) => {
    const S = bytesToNumberLE(g.signature.subarray(32));
    for (const [name, s2] of [['S+L', S + L], ['S+2L', S + 2n * L], ['S+8L', S + 8n * L], ['S|2^255', S | (2n ** 255n)]] as const) {
      if (s2 < 2n ** 256n) push(`valid #${i} with ${name}`, g.publicKey, sigFrom(g.signature.subarray(0, 32), s2), g.message);
    }
  });

  // Valid signatures over every edge message length.
  for (const len of MESSAGE_LENGTHS) {
    for (const g of validCases(2, seed * 31 + len, { messageLengths: [len] })) out.push({ ...g, label: `valid, message ${len} bytes` });
  }
  return out;
}

/**
 * Each base case with `flipsPerRegion` single-bit flips in each of key, R, S
 * and (when non-empty) message. A flip never touches the base case's arrays.
 */
export function bitFlipCases(base: readonly Ed25519Case[], seed = 3, flipsPerRegion = 2): Ed25519Case[] {
  const rng = createRng(seed);
  const out: Ed25519Case[] = [];
  for (const c of base) {
    for (let f = 0; f < flipsPerRegion; f++) {
      const kb = rng.int(256);
      const key = c.publicKey.slice(); key[kb >> 3] ^= 1 << (kb & 7);
      out.push({ ...c, label: `${c.label}, key bit ${kb} flipped`, publicKey: key });
      const rb = rng.int(256);
      const sigR = c.signature.slice(); sigR[rb >> 3] ^= 1 << (rb & 7);
      out.push({ ...c, label: `${c.label}, R bit ${rb} flipped`, signature: sigR });
      const sb = rng.int(256);
      const sigS = c.signature.slice(); sigS[32 + (sb >> 3)] ^= 1 << (sb & 7);
      out.push({ ...c, label: `${c.label}, S bit ${sb} flipped`, signature: sigS });
      if (c.message.length > 0) {
        const mb = rng.int(8 * c.message.length);
        const msg = c.message.slice(); msg[mb >> 3] ^= 1 << (mb & 7);
        out.push({ ...c, label: `${c.label}, message bit ${mb} flipped`, message: msg });
      }
    }
  }
  return out;
}

/** Deterministic Fisher–Yates shuffle (copies). */
export function shuffled<T>(items: readonly T[], seed = 5): T[] {
  const rng = createRng(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The standard mix for differential tests: every edge case, bit flips of
 * valid and edge cases, and valid signatures up to `total` items, shuffled.
 */
export function mixedCases(total: number, seed = 11): Ed25519Case[] {
  const edges = edgeCases(seed);
  const flips = bitFlipCases([...validCases(24, seed + 1), ...edges.filter((_, i) => i % 9 === 0)], seed + 2, 1);
  const crafted = [...edges, ...flips];
  const valid = validCases(Math.max(0, total - crafted.length), seed + 3);
  return shuffled([...crafted, ...valid], seed + 4).slice(0, Math.max(total, 0));
}

export function casesToBatch(cases: readonly SignatureItem[]): SignatureBatch {
  return packSignatureBatch(cases);
}

// ---------------------------------------------------------------- oracles (docs/verification.md)

const keyCache = new Map<string, crypto.KeyObject>();
function nodeKey(publicKey: Uint8Array): crypto.KeyObject {
  const id = hex(publicKey);
  let key = keyCache.get(id);
  if (!key) {
    key = crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyCache.size > 50_000) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

/** `ref10`: node's crypto.verify (OpenSSL 3). */
export function oracleRef10(item: SignatureItem): boolean {
  return crypto.verify(null, item.message, nodeKey(item.publicKey), item.signature);
}

/** `zip215`: @noble/curves ed25519.verify with zip215: true. */
export function oracleZip215(item: SignatureItem): boolean {
  try {
    return ed25519.verify(item.signature, item.message, item.publicKey, { zip215: true });
  } catch {
    return false;
  }
}

/** `solana`: ref10 AND R decompresses AND neither A nor R is of small order. */
export function oracleSolana(item: SignatureItem): boolean {
  if (!oracleRef10(item)) return false;
  const R = decompress(item.signature.subarray(0, 32));
  const A = decompress(item.publicKey);
  return R !== undefined && A !== undefined && !isSmallOrder(R) && !isSmallOrder(A);
}

export function oracleVerdict(item: SignatureItem, rules: RuleSet): boolean {
  switch (rules) {
    case 'ref10': return oracleRef10(item);
    case 'zip215': return oracleZip215(item);
    case 'solana': return oracleSolana(item);
    default: throw new RangeError(`unknown rule set ${JSON.stringify(rules)}`);
  }
}

/** Expected result bytes for a batch of cases under `rules`. */
export function oracleVerdicts(items: readonly SignatureItem[], rules: RuleSet): Uint8Array {
  return Uint8Array.from(items, (item) => (oracleVerdict(item, rules) ? 1 : 0));
}

// ---------------------------------------------------------------- published vectors (test/vectors)

export interface VectorCase extends Ed25519Case {
  /** Published expected verdicts, for the rule sets the source speaks about. */
  expected: Partial<Record<RuleSet, boolean>>;
}

function readVectors(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8'));
}

/** docs/verification.md's expected rows on speccheck cases 0..11. */
export const SPECCHECK_ROWS: Record<RuleSet, string> = {
  zip215: 'VVVVVVXXXVVV',
  ref10: 'VVVVXXXXXXXV',
  solana: 'XXXVXXXXXXXX',
};

export function speccheckCases(): VectorCase[] {
  const rows = readVectors('speccheck-cases.json') as Array<{ message: string; pub_key: string; signature: string }>;
  return rows.map((r, i) => ({
    label: `speccheck case ${i}`,
    publicKey: fromHex(r.pub_key), signature: fromHex(r.signature), message: fromHex(r.message),
    expected: { zip215: SPECCHECK_ROWS.zip215[i] === 'V', ref10: SPECCHECK_ROWS.ref10[i] === 'V', solana: SPECCHECK_ROWS.solana[i] === 'V' },
  }));
}

/**
 * Wycheproof ed25519 (151 tests, ref10 verdicts). Tests whose key or
 * signature has the wrong length cannot form a batch item; they are returned
 * separately (their verdict is "invalid" by construction of docs/verification.md's codec).
 */
export function wycheproofCases(): { cases: VectorCase[]; wrongLength: Array<{ tcId: number; expected: boolean }> } {
  const w = readVectors('wycheproof-ed25519.json') as {
    testGroups: Array<{ publicKey: { pk: string }; tests: Array<{ tcId: number; comment: string; msg: string; sig: string; result: string }> }>;
  };
  const cases: VectorCase[] = [];
  const wrongLength: Array<{ tcId: number; expected: boolean }> = [];
  for (const g of w.testGroups) {
    const publicKey = fromHex(g.publicKey.pk);
    for (const t of g.tests) {
      const signature = fromHex(t.sig);
      const expected = t.result === 'valid';
      if (publicKey.length !== 32 || signature.length !== 64) { wrongLength.push({ tcId: t.tcId, expected }); continue; }
      cases.push({ label: `wycheproof tcId ${t.tcId} ${t.comment}`, publicKey, signature, message: fromHex(t.msg), expected: { ref10: expected } });
    }
  }
  return { cases, wrongLength };
}

/** C2SP CCTV ed25519 (914 vectors) with verdicts for all three rule sets; messages are UTF-8 text. */
export function cctvCases(): VectorCase[] {
  const rows = readVectors('cctv-ed25519.json') as Array<{ number: number; key: string; sig: string; msg: string; flags: string[] | null; expected: Record<RuleSet, boolean> }>;
  return rows.map((r) => ({
    label: `cctv #${r.number} [${(r.flags ?? []).join(',')}]`,
    publicKey: fromHex(r.key), signature: fromHex(r.sig), message: new TextEncoder().encode(r.msg),
    expected: r.expected,
  }));
}

/** Firedancer's Wycheproof cases with the Agave verdict (`solana`). */
export function firedancerSolanaCases(): VectorCase[] {
  const rows = readVectors('firedancer-wycheproof-solana.json') as Array<{ tcId: number; comment: string; publicKey: string; signature: string; message: string; solana: boolean }>;
  return rows.map((r) => ({
    label: `firedancer wycheproof tcId ${r.tcId} ${r.comment}`,
    publicKey: fromHex(r.publicKey), signature: fromHex(r.signature), message: fromHex(r.message),
    expected: { solana: r.solana },
  }));
}

/** RFC 8032 §7.1 TEST 1, 2, 3 and SHA(abc): valid under every rule set. */
export const RFC8032_TESTS: ReadonlyArray<{ name: string; secretKey: string; publicKey: string; message: string; signature: string }> = [
  {
    name: 'TEST 1',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'TEST SHA(abc)',
    secretKey: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    message: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    signature: 'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  },
];

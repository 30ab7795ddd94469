// Raw Solana packets for tests: a builder that writes exactly the bytes it is
// given (no checks), so adversarial packets are as easy to make as good ones,
// and signing with @noble/curves.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { encodeCompactU16 } from '../../src/tx/solana/compact-u16.js';
import { LOW_ORDER_ENCODINGS, NON_CANONICAL_ENCODINGS } from './ed25519-cases.js';

export interface RawInstruction {
  programIdIndex: number;
  accounts: number[];
  data?: Uint8Array;
}

export interface RawLookup {
  table: Uint8Array;
  writable: number[];
  readonly: number[];
}

export interface RawMessage {
  version?: 'legacy' | number;
  header: [number, number, number];
  keys: Uint8Array[];
  blockhash?: Uint8Array;
  instructions: RawInstruction[];
  lookups?: RawLookup[];
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
let u16 = encodeCompactU16;

/**
 * Encodes with the `index`-th compact-u16 written over-long (one more byte
 * than needed, the last one zero): `run` builds the packet.
 */
export function withOverlongCompactU16<T>(index: number, run: () => T): { value: T; count: number } {
  let seen = 0;
  u16 = (v: number) => {
    const canonical = encodeCompactU16(v);
    if (seen++ !== index) return canonical;
    const longer = new Uint8Array(canonical.length + 1);
    longer.set(canonical);
    longer[canonical.length - 1] |= 0x80;
    return longer;
  };
  try {
    return { value: run(), count: seen };
  } finally {
    u16 = encodeCompactU16;
  }
}

export function encodeRawMessage(m: RawMessage): Uint8Array {
  const parts: Uint8Array[] = [];
  if (m.version !== undefined && m.version !== 'legacy') parts.push(Uint8Array.of(0x80 | m.version));
  parts.push(Uint8Array.from(m.header), u16(m.keys.length), ...m.keys, m.blockhash ?? new Uint8Array(32).fill(7));
  parts.push(u16(m.instructions.length));
  for (const ix of m.instructions) {
    const data = ix.data ?? new Uint8Array(0);
    parts.push(Uint8Array.of(ix.programIdIndex), u16(ix.accounts.length), Uint8Array.from(ix.accounts), u16(data.length), data);
  }
  if (m.version !== undefined && m.version !== 'legacy') {
    const lookups = m.lookups ?? [];
    parts.push(u16(lookups.length));
    for (const l of lookups) parts.push(l.table, u16(l.writable.length), Uint8Array.from(l.writable), u16(l.readonly.length), Uint8Array.from(l.readonly));
  }
  return concat(parts);
}

export function encodeRawTransaction(signatures: Uint8Array[], message: Uint8Array): Uint8Array {
  return concat([u16(signatures.length), ...signatures, message]);
}

/** A deterministic key pair from a small seed number. */
export function testSigner(seed: number): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = new Uint8Array(32);
  new DataView(secretKey.buffer).setUint32(0, seed + 1, true);
  secretKey[31] = 0x5a;
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/** A deterministic 32-byte non-signer address. */
export function testAddress(seed: number): Uint8Array {
  const a = new Uint8Array(32);
  new DataView(a.buffer).setUint32(0, seed, true);
  a[31] = 0xa5;
  a[30] = 0x3c;
  return a;
}

/**
 * A signed transaction: `signers` are the first static keys (their count is
 * numRequiredSignatures), followed by `others`.
 */
export function signedTransaction(opts: {
  signers: number[];
  readonlySigned?: number;
  others: Uint8Array[];
  readonlyUnsigned?: number;
  instructions: RawInstruction[];
  version?: 'legacy' | 0;
  lookups?: RawLookup[];
}): Uint8Array {
  const pairs = opts.signers.map(testSigner);
  const message = encodeRawMessage({
    version: opts.version ?? 'legacy',
    header: [pairs.length, opts.readonlySigned ?? 0, opts.readonlyUnsigned ?? 0],
    keys: [...pairs.map((p) => p.publicKey), ...opts.others],
    instructions: opts.instructions,
    lookups: opts.lookups,
  });
  return encodeRawTransaction(pairs.map((p) => ed25519.sign(message, p.secretKey)), message);
}

/** The System Program's address (32 zero bytes). */
export const SYSTEM_PROGRAM = new Uint8Array(32);

/** A legacy System transfer of `lamports` (< 256) from test signer `from` to address `to`. */
export function systemTransfer(from: number, to: Uint8Array, lamports: number): Uint8Array {
  return signedTransaction({
    signers: [from], others: [to, SYSTEM_PROGRAM], readonlyUnsigned: 1,
    instructions: [{ programIdIndex: 2, accounts: [0, 1], data: Uint8Array.of(2, 0, 0, 0, lamports, 0, 0, 0, 0, 0, 0, 0) }],
  });
}

/**
 * A legacy transaction whose only signer is `key` (any 32 bytes that
 * decompress, e.g. a small-order encoding), signed with R = [r]B, S = r for
 * the first nonce r > `seed` that makes [k]A the identity: then
 * [S]B − [k]A = R, which ref10 and zip215 accept. A key of large order gets
 * an all-zero signature (no nonce would do).
 */
export function lowOrderSignedTransaction(key: Uint8Array, seed: number): Uint8Array {
  const message = encodeRawMessage({
    header: [1, 0, 1], keys: [key, testAddress(4242)],
    instructions: [{ programIdIndex: 1, accounts: [0], data: Uint8Array.of(seed & 0xff) }],
  });
  let A: InstanceType<typeof ed25519.Point> | undefined;
  try { A = ed25519.Point.fromBytes(key, true); } catch { A = undefined; }
  if (A && !A.isSmallOrder()) A = undefined;
  let signature: Uint8Array = new Uint8Array(64);
  for (let r = BigInt(seed) + 1n; A; r++) {
    const R = ed25519.Point.BASE.multiply(r).toBytes();
    const k = leToBig(sha512(concat([R, key, message]))) % ED25519_L;
    if (k !== 0n && !A.multiplyUnsafe(k).is0()) continue;
    signature = concat([R, Uint8Array.from({ length: 32 }, (_, i) => Number((r >> BigInt(8 * i)) & 0xffn))]);
    break;
  }
  return encodeRawTransaction([signature], message);
}

const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
const leToBig = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) + BigInt(x), 0n);

/**
 * Packets whose signer keys are the edge cases of the rule sets: every
 * small-order encoding (canonical or not) with a signature ref10 accepts,
 * every non-canonical encoding, and a few ordinary signed transfers, one of
 * them with a broken signature.
 */
export function signerKeyEdgePackets(): Uint8Array[] {
  const out = [...LOW_ORDER_ENCODINGS, ...NON_CANONICAL_ENCODINGS].map((key, i) => lowOrderSignedTransaction(key, 1000 * i));
  for (let i = 0; i < 3; i++) {
    out.push(signedTransaction({ signers: [300 + i, 400 + i], others: [testAddress(i), new Uint8Array(32)], readonlyUnsigned: 1, instructions: [{ programIdIndex: 3, accounts: [0, 2] }] }));
  }
  const broken = out[out.length - 1].slice();
  broken[1 + 64 + 40] ^= 0x10; // the second signature's S
  out.push(broken);
  return out;
}

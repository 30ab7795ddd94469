// Raw Solana packets for tests: a builder that writes exactly the bytes it is
// given (no checks), so adversarial packets are as easy to make as good ones,
// and signing with @noble/curves.
import { ed25519 } from '@noble/curves/ed25519.js';
import { encodeCompactU16 } from '../../src/tx/solana/compact-u16.js';

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
const u16 = encodeCompactU16;

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

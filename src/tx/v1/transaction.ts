// The project's own version-1 transfer (docs/transactions.md): this module owns its byte
// layout; everything else reads the offsets from here.

export const TX_SIZE = 145;
export const TX_VERSION = 1;
/** The signed message is bytes [64, 145): version, from, to, amount, nonce. */
export const TX_SIGNED_OFFSET = 64;
export const TX_SIGNED_LENGTH = TX_SIZE - TX_SIGNED_OFFSET; // 81
/** Field offsets within a transaction. */
export const TX_SIGNATURE_OFFSET = 0;
export const TX_VERSION_OFFSET = TX_SIGNED_OFFSET; // 64
export const TX_FROM_OFFSET = 65;
export const TX_TO_OFFSET = 97;
export const TX_AMOUNT_OFFSET = 129;
export const TX_NONCE_OFFSET = 137;
export const U64_MAX = (1n << 64n) - 1n;

export interface Transaction {
  signature: Uint8Array; // 64
  from: Uint8Array; // 32
  to: Uint8Array; // 32
  amount: bigint; // u64
  nonce: bigint; // u64
}

/** The 81 bytes the sender signs (everything after the signature). */
export function encodeSignedPart(tx: Omit<Transaction, 'signature'>): Uint8Array {
  checkU64('amount', tx.amount);
  checkU64('nonce', tx.nonce);
  if (tx.from.length !== 32 || tx.to.length !== 32) throw new RangeError('from and to must be 32-byte public keys');
  const out = new Uint8Array(TX_SIZE);
  writeTransfer(out, 0, tx.from, tx.to, tx.amount, tx.nonce);
  return out.slice(TX_SIGNED_OFFSET);
}

/** Writes the signed part of one transaction whose record starts at `out[at]` (the signature bytes are left as they are). */
export function writeTransfer(out: Uint8Array, at: number, from: Uint8Array, to: Uint8Array, amount: bigint, nonce: bigint): void {
  out[at + TX_VERSION_OFFSET] = TX_VERSION;
  out.set(from, at + TX_FROM_OFFSET);
  out.set(to, at + TX_TO_OFFSET);
  const view = new DataView(out.buffer, out.byteOffset + at + TX_AMOUNT_OFFSET, 16);
  view.setBigUint64(0, amount, true);
  view.setBigUint64(TX_NONCE_OFFSET - TX_AMOUNT_OFFSET, nonce, true);
}

export function encodeTransaction(tx: Transaction): Uint8Array {
  if (tx.signature.length !== 64) throw new RangeError('signature must be 64 bytes');
  const out = new Uint8Array(TX_SIZE);
  out.set(tx.signature, TX_SIGNATURE_OFFSET);
  out.set(encodeSignedPart(tx), TX_SIGNED_OFFSET);
  return out;
}

/** Whether a record is a well-formed version-1 transaction (docs/transactions.md): right length and version byte. */
export function isWellFormed(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  return end - start === TX_SIZE && bytes[start + TX_VERSION_OFFSET] === TX_VERSION;
}

/** Decodes a record's bytes; null when malformed (wrong length or version), per docs/transactions.md. */
export function decodeTransaction(bytes: Uint8Array): Transaction | null {
  if (!isWellFormed(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    signature: bytes.subarray(TX_SIGNATURE_OFFSET, TX_SIGNATURE_OFFSET + 64),
    from: bytes.subarray(TX_FROM_OFFSET, TX_FROM_OFFSET + 32),
    to: bytes.subarray(TX_TO_OFFSET, TX_TO_OFFSET + 32),
    amount: view.getBigUint64(TX_AMOUNT_OFFSET, true),
    nonce: view.getBigUint64(TX_NONCE_OFFSET, true),
  };
}

function checkU64(name: string, v: bigint): void {
  if (v < 0n || v > U64_MAX) throw new RangeError(`${name} ${v} is outside u64`);
}

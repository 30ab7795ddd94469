// The version-1 transaction of SPEC §4 and the block file that carries it.
import { InvalidArgumentError, ResourceLimitError } from '../errors.js';
import { LIMITS } from '../limits.js';

export const TX_SIZE = 145;
export const TX_VERSION = 1;
/** The signed message is bytes [64, 145): version, from, to, amount, nonce. */
export const TX_SIGNED_OFFSET = 64;
export const TX_SIGNED_LENGTH = TX_SIZE - TX_SIGNED_OFFSET; // 81
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
  const out = new Uint8Array(TX_SIGNED_LENGTH);
  const view = new DataView(out.buffer);
  out[0] = TX_VERSION;
  out.set(tx.from, 1);
  out.set(tx.to, 33);
  view.setBigUint64(65, tx.amount, true);
  view.setBigUint64(73, tx.nonce, true);
  return out;
}

export function encodeTransaction(tx: Transaction): Uint8Array {
  if (tx.signature.length !== 64) throw new RangeError('signature must be 64 bytes');
  const out = new Uint8Array(TX_SIZE);
  out.set(tx.signature, 0);
  out.set(encodeSignedPart(tx), TX_SIGNED_OFFSET);
  return out;
}

/** Decodes a record's bytes; null when malformed (wrong length or version), per SPEC §4. */
export function decodeTransaction(bytes: Uint8Array): Transaction | null {
  if (bytes.length !== TX_SIZE || bytes[TX_SIGNED_OFFSET] !== TX_VERSION) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    signature: bytes.subarray(0, 64),
    from: bytes.subarray(65, 97),
    to: bytes.subarray(97, 129),
    amount: view.getBigUint64(129, true),
    nonce: view.getBigUint64(137, true),
  };
}

/** A block as the records of its file: each record's bytes, malformed ones included. */
export interface BlockRecords {
  /** All record payloads back to back. */
  bytes: Uint8Array;
  /** n + 1 offsets into `bytes`: record i is bytes[offsets[i], offsets[i+1]). */
  offsets: Uint32Array;
  readonly count: number;
}

export class BlockFormatError extends Error {
  override name = 'BlockFormatError';
}

/**
 * Parses `u32 length (LE) || bytes` records. A file that ends inside a record
 * is an error (named with the byte offset); a record of the wrong length or
 * version is kept as a record and becomes a MALFORMED receipt later. More
 * than LIMITS.recordsPerBlock records is a ResourceLimitError, found before
 * anything is allocated per record (a file of zero-length records is 4 bytes
 * a record).
 */
export function parseBlock(file: Uint8Array, name = 'block'): BlockRecords {
  if (!(file instanceof Uint8Array)) throw new InvalidArgumentError(`parseBlock: the block must be a Uint8Array, got ${file === null ? 'null' : typeof file}`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  // Pass 1: structure and counts only.
  let count = 0;
  let total = 0;
  let pos = 0;
  while (pos < file.length) {
    if (pos + 4 > file.length) {
      throw new BlockFormatError(`${name}: truncated record header at byte ${pos} (record ${count})`);
    }
    const len = view.getUint32(pos, true);
    if (pos + 4 + len > file.length) {
      throw new BlockFormatError(`${name}: record ${count} at byte ${pos} declares ${len} bytes but the file ends after ${file.length - pos - 4}`);
    }
    if (count === LIMITS.recordsPerBlock) {
      throw new ResourceLimitError(`${name}: more than ${LIMITS.recordsPerBlock} records (the cap on records per block), record ${count} at byte ${pos}`);
    }
    count++;
    total += len;
    pos += 4 + len;
  }
  // Pass 2: the payloads back to back.
  const bytes = new Uint8Array(total);
  const offsets = new Uint32Array(count + 1);
  let at = 0;
  pos = 0;
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(pos, true);
    bytes.set(file.subarray(pos + 4, pos + 4 + len), at);
    at += len;
    offsets[i + 1] = at;
    pos += 4 + len;
  }
  return { bytes, offsets, count };
}

/** Writes records as a block file. */
export function serializeBlock(records: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const r of records) size += 4 + r.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const r of records) {
    view.setUint32(pos, r.length, true);
    out.set(r, pos + 4);
    pos += 4 + r.length;
  }
  return out;
}

function checkU64(name: string, v: bigint): void {
  if (v < 0n || v > U64_MAX) throw new RangeError(`${name} ${v} is outside u64`);
}

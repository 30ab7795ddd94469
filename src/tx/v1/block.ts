// The block file of docs/transactions.md: records `u32 length (LE) || transaction bytes`.
// A record's bytes are kept whatever they hold; the format decides later
// whether each is well formed.
import { InvalidArgumentError, ResourceLimitError } from '../../errors.js';
import { LIMITS } from '../../limits.js';

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

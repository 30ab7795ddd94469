// The block file of SPEC §4: records `u32 length (LE) || transaction bytes`.
// A record's bytes are kept whatever they hold; the format decides later
// whether each is well formed.

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
 * version is kept as a record and becomes a MALFORMED receipt later.
 */
export function parseBlock(file: Uint8Array, name = 'block'): BlockRecords {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const starts: number[] = [];
  const ends: number[] = [];
  let total = 0;
  let pos = 0;
  while (pos < file.length) {
    if (pos + 4 > file.length) {
      throw new BlockFormatError(`${name}: truncated record header at byte ${pos} (record ${starts.length})`);
    }
    const len = view.getUint32(pos, true);
    if (pos + 4 + len > file.length) {
      throw new BlockFormatError(`${name}: record ${starts.length} at byte ${pos} declares ${len} bytes but the file ends after ${file.length - pos - 4}`);
    }
    starts.push(pos + 4);
    ends.push(pos + 4 + len);
    total += len;
    pos += 4 + len;
  }
  const bytes = new Uint8Array(total);
  const offsets = new Uint32Array(starts.length + 1);
  let at = 0;
  for (let i = 0; i < starts.length; i++) {
    bytes.set(file.subarray(starts[i], ends[i]), at);
    at += ends[i] - starts[i];
    offsets[i + 1] = at;
  }
  return { bytes, offsets, count: starts.length };
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

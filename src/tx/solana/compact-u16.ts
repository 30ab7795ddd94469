// Solana's compact-u16 ("short_vec" length prefix): 1 to 3 bytes of 7 bits,
// least significant group first, high bit = another byte follows. Only the
// shortest encoding of a value is accepted, and nothing above 65535.

/** The bytes end before the encoding does. */
export const COMPACT_U16_TRUNCATED = -1;
/** An over-long encoding (a zero group after the first byte). */
export const COMPACT_U16_NON_CANONICAL = -2;
/** A value above 65535, or a third byte that says "more follows". */
export const COMPACT_U16_OVERFLOW = -3;

/**
 * Reads a compact-u16 at `offset` (bytes up to `end`). Never throws and never
 * allocates: a value v read from n bytes comes back as `v | (n << 16)` (so
 * `r & 0xffff` is the value and `r >>> 16` the length); a failure is one of the
 * negative COMPACT_U16_* codes.
 */
export function readCompactU16(bytes: Uint8Array, offset: number, end: number = bytes.length): number {
  if (offset >= end) return COMPACT_U16_TRUNCATED;
  const b0 = bytes[offset];
  if (b0 < 0x80) return b0 | 0x10000;
  if (offset + 1 >= end) return COMPACT_U16_TRUNCATED;
  const b1 = bytes[offset + 1];
  if (b1 < 0x80) {
    // A last byte of zero adds nothing: the value had a shorter encoding.
    if (b1 === 0) return COMPACT_U16_NON_CANONICAL;
    return (b0 & 0x7f) | (b1 << 7) | 0x20000;
  }
  if (offset + 2 >= end) return COMPACT_U16_TRUNCATED;
  const b2 = bytes[offset + 2];
  if (b2 === 0) return COMPACT_U16_NON_CANONICAL;
  // Bits 14.. of a u16 are only two: a third byte above 3 (or continuing) overflows.
  if (b2 > 3) return COMPACT_U16_OVERFLOW;
  return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14) | 0x30000;
}

/** Number of bytes the compact-u16 encoding of `value` takes. */
export function compactU16Length(value: number): number {
  checkU16(value);
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : 3;
}

/** Writes the canonical encoding of `value` at `offset`; returns the offset after it. */
export function writeCompactU16(value: number, out: Uint8Array, offset: number): number {
  checkU16(value);
  let v = value;
  let at = offset;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

/** The canonical encoding of `value`, as a new array. */
export function encodeCompactU16(value: number): Uint8Array {
  const out = new Uint8Array(compactU16Length(value));
  writeCompactU16(value, out, 0);
  return out;
}

function checkU16(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`compact-u16 value must be a whole number 0..65535, got ${value}`);
}

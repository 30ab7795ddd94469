// Hex conversions with errors that say what was wrong.

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

/** Parses hex (either case). Throws naming `what` on odd length or a non-hex character. */
export function fromHex(hex: string, what = 'hex string'): Uint8Array {
  if (hex.length % 2 !== 0) throw new SyntaxError(`${what}: odd number of hex digits (${hex.length})`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(hex.charCodeAt(2 * i));
    const lo = hexDigit(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const bad = hi < 0 ? 2 * i : 2 * i + 1;
      throw new SyntaxError(`${what}: not a hex digit ${JSON.stringify(hex[bad])} at position ${bad}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

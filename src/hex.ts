// Hex conversions with errors that say what was wrong.

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

/**
 * Parses hex (either case). Throws SyntaxError naming `what`: the first
 * character that is not a hex digit (said by name when it is whitespace or
 * not ASCII), else an odd number of digits.
 */
export function fromHex(hex: string, what = 'hex string'): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`${what}: expected a hex string, got ${hex === null ? 'null' : typeof hex}`);
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < hex.length; i++) {
    const d = hexDigit(hex.charCodeAt(i));
    if (d < 0) throw new SyntaxError(`${what}: not a hex digit ${describeNonHex(hex, i)} at position ${i}`);
    if (i & 1) out[i >>> 1] |= d; else if (i < 2 * out.length) out[i >>> 1] = d << 4;
  }
  if (hex.length % 2 !== 0) throw new SyntaxError(`${what}: odd number of hex digits (${hex.length})`);
  return out;
}

const NAMED: Record<number, string> = { 0x20: 'a space', 0x09: 'a tab', 0x0d: 'a carriage return', 0x0a: 'a line feed', 0x00: 'a NUL byte', 0xfeff: 'a byte order mark, U+FEFF', 0xfffd: 'invalid UTF-8, U+FFFD' };

/** The character at `i` as a message names it. */
function describeNonHex(s: string, i: number): string {
  const c = s.codePointAt(i)!;
  const named = NAMED[c];
  if (named) return `(${named})`;
  const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c < 0x20 || c === 0x7f) return `(a control character, ${code})`;
  if (c > 0x7f) return `${JSON.stringify(String.fromCodePoint(c))} (${code}, not ASCII)`;
  return JSON.stringify(String.fromCodePoint(c));
}

/** The value of a hex digit's character code, or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

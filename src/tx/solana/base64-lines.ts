// The input file of `preexec solana` (docs/solana.md): one packet per line as
// standard padded base64. A line that is not base64 is a bad transaction
// (null here, `malformed` later), not a bad file; an empty line (other than
// the final newline) is a bad file. Every packet is decoded into one shared
// buffer, 8-byte aligned, with no string made per line.

export class SolanaInputFormatError extends Error {
  override name = 'SolanaInputFormatError';
}

const SIXTET = new Int16Array(256).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < 64; i++) SIXTET[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d; // '='

/**
 * Decoded length of the canonical padded base64 in `text[start, end)`, or −1
 * when it is not that: length a multiple of 4, the alphabet, at most two '='
 * and only at the end, and zero bits where padding leaves bits unused (the
 * rule of Rust's `base64` STANDARD engine that Solana's RPC decodes with).
 */
export function base64DecodedLength(text: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n % 4 !== 0) return -1;
  if (n === 0) return 0;
  let pad = 0;
  if (text[end - 1] === PAD) pad = text[end - 2] === PAD ? 2 : 1;
  for (let i = start; i < end - pad; i++) if (SIXTET[text[i]] < 0) return -1;
  if (pad === 2 && (SIXTET[text[end - 3]] & 0x0f) !== 0) return -1;
  if (pad === 1 && (SIXTET[text[end - 2]] & 0x03) !== 0) return -1;
  return (n / 4) * 3 - pad;
}

/** Decodes checked base64 (see base64DecodedLength) into `out` at `at`. */
export function decodeBase64Into(text: Uint8Array, start: number, end: number, out: Uint8Array, at: number): void {
  let o = at;
  let i = start;
  const whole = end - start >= 4 && text[end - 1] === PAD ? end - 4 : end;
  for (; i < whole; i += 4) {
    const v = (SIXTET[text[i]] << 18) | (SIXTET[text[i + 1]] << 12) | (SIXTET[text[i + 2]] << 6) | SIXTET[text[i + 3]];
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (i < end) {
    const c = text[i + 2] === PAD ? 0 : SIXTET[text[i + 2]];
    const v = (SIXTET[text[i]] << 18) | (SIXTET[text[i + 1]] << 12) | (c << 6);
    out[o++] = v >>> 16;
    if (text[i + 2] !== PAD) out[o++] = (v >>> 8) & 0xff;
  }
}

/**
 * Splits and decodes the file: one entry per line, the packet's bytes or null
 * for a line that is not base64. A final newline ends the file; CR before LF
 * is dropped. `source` names the file in errors.
 */
export function parseSolanaPacketLines(text: Uint8Array, source: string): (Uint8Array | null)[] {
  const starts: number[] = [];
  const ends: number[] = [];
  let lineStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== 0x0a) continue;
    if (i === text.length && lineStart === text.length) break; // final newline, or an empty file
    let end = i;
    if (end > lineStart && text[end - 1] === 0x0d) end--;
    if (end === lineStart) throw new SolanaInputFormatError(`${source} line ${starts.length + 1}: empty line`);
    starts.push(lineStart);
    ends.push(end);
    lineStart = i + 1;
  }
  const lengths = starts.map((s, k) => base64DecodedLength(text, s, ends[k]));
  let total = 0;
  for (const len of lengths) if (len > 0) total += (len + 7) & ~7;
  const buffer = new Uint8Array(total);
  let at = 0;
  return lengths.map((len, k) => {
    if (len < 0) return null;
    decodeBase64Into(text, starts[k], ends[k], buffer, at);
    const packet = buffer.subarray(at, at + len);
    at += (len + 7) & ~7;
    return packet;
  });
}

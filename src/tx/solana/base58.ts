// Base58 (Bitcoin alphabet), the way Solana writes addresses. Used for
// configuration (lookup tables, reserved keys) and output, never per packet.
import { quoteForMessage } from '../../errors.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Base-58 digits, least significant first, by repeated multiply-add of each byte.
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] * 256;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '1'.repeat(zeros);
  for (let j = digits.length - 1; j >= 0; j--) out += ALPHABET[digits[j]];
  return out;
}

/** Decodes base58; throws SyntaxError naming `what` on a character outside the alphabet. */
export function base58Decode(text: string, what = 'base58 string'): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const bytes: number[] = []; // least significant first
  for (let i = zeros; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? DIGIT[c] : -1;
    if (d < 0) throw new SyntaxError(`${what}: ${JSON.stringify(text[i])} at position ${i} is not a base58 digit`);
    let carry = d;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let j = 0; j < bytes.length; j++) out[out.length - 1 - j] = bytes[j];
  return out;
}

/** Decodes a base58 address that must be exactly 32 bytes. */
export function base58DecodeAddress(text: string, what = 'address'): Uint8Array {
  const bytes = base58Decode(text, what);
  if (bytes.length !== 32) throw new SyntaxError(`${what}: ${quoteForMessage(text)} decodes to ${bytes.length} bytes, expected 32`);
  return bytes;
}

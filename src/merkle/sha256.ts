// SHA-256 on the CPU: node's OpenSSL binding in Node (several times faster
// than JavaScript), @noble/hashes in a browser. Same bytes either way.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

type CreateHash = (algorithm: string) => { update(data: Uint8Array): { update(data: Uint8Array): unknown; digest(): Uint8Array } & unknown; digest(): Uint8Array };

const inNode = typeof process !== 'undefined' && !!process.versions?.node;
// A variable specifier keeps bundlers from trying to ship node:crypto to a browser.
const nodeCryptoName = 'node:crypto';
const createHash: CreateHash | undefined = inNode
  ? ((await import(/* @vite-ignore */ nodeCryptoName)) as { createHash: CreateHash }).createHash
  : undefined;

/** SHA-256 of the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  if (createHash) {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    const d = h.digest();
    return new Uint8Array(d.buffer, d.byteOffset, 32);
  }
  if (parts.length === 1) return nobleSha256(parts[0]);
  let total = 0;
  for (const p of parts) total += p.length;
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return nobleSha256(all);
}

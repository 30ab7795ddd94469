// Dedup of byte-identical packets (docs/solana.md), before any signature work: a
// replay flood costs one hash of each copy. Open addressing over a seeded
// hash of all the bytes; a hash hit is confirmed by comparing the bytes.
import { hashPacket, randomSeed } from './key-table.js';

// A module-level copy (see decode.ts).
const hash = hashPacket;

/**
 * Among the lines whose `reasons` entry is 0, marks every line whose bytes
 * equal an earlier such line's with `duplicate`. Returns how many it marked.
 */
export function markDuplicatePackets(packets: readonly (Uint8Array | null)[], reasons: Uint8Array, duplicate: number, seed = randomSeed()): number {
  const n = packets.length;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size); // line + 1; 0 = empty
  const hashes = new Int32Array(n);
  let marked = 0;
  for (let line = 0; line < n; line++) {
    if (reasons[line] !== 0) continue;
    const p = packets[line]!;
    const h = hash(p, seed);
    hashes[line] = h;
    let s = h & mask;
    for (; ; s = (s + 1) & mask) {
      const e = slots[s];
      if (e === 0) break;
      const other = e - 1;
      if (hashes[other] === h && sameBytes(packets[other]!, p)) break;
    }
    if (slots[s] !== 0) {
      reasons[line] = duplicate;
      marked++;
    } else {
      slots[s] = line + 1;
    }
  }
  return marked;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

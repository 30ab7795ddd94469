// Dedup of byte-identical packets (docs/solana.md), before any signature work: a
// replay flood costs one hash of each copy.
//
// Two open-addressing tables over seeded hashes; every hash hit is confirmed
// by comparing the bytes. The first table is keyed by a hash of a packet's
// first HEAD_BYTES (64) bytes and its length: they hold the signature count
// and 63 bytes of the first signature, random bytes that distinct packets
// almost never share, so hashing them alone saves hashing the rest of every
// packet. The first table keeps one line per head hash; a packet whose head
// hash is taken by different bytes (an accidental collision, or packets built
// to share a head) goes with that line to the second table, keyed by a hash
// of all its bytes. So packets that share a head cost what whole-packet
// hashing costs, never a long probe chain.
import { hashPacket, hashPacketHead, randomSeed } from './key-table.js';

// Module-level copies (see decode.ts).
const hashAll = hashPacket;
const hashHead = hashPacketHead;

/**
 * Among the lines whose `reasons` entry is 0, marks every line whose bytes
 * equal an earlier such line's with `duplicate`. Returns how many it marked.
 * `heads`, when given, holds hashPacketHead(packet, seed) of each such line,
 * computed by a caller that had the packet in cache (the decoder).
 */
export function markDuplicatePackets(
  packets: readonly (Uint8Array | null)[], reasons: Uint8Array, duplicate: number, seed = randomSeed(), heads?: Int32Array,
): number {
  const n = packets.length;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size); // line + 1; 0 = empty
  const hashed = heads !== undefined;
  const headOf = heads ?? new Int32Array(n);
  // The second table, made on the first shared head hash.
  let fullSlots: Int32Array | undefined;
  let fullHashes: Int32Array | undefined;
  let joined: Uint8Array | undefined;
  let marked = 0;
  for (let line = 0; line < n; line++) {
    if (reasons[line] !== 0) continue;
    const p = packets[line]!;
    const h = hashed ? headOf[line] : (headOf[line] = hashHead(p, seed));
    let s = h & mask;
    let e = slots[s];
    for (; e !== 0; s = (s + 1) & mask, e = slots[s]) if (headOf[e - 1] === h) break;
    if (e === 0) {
      slots[s] = line + 1;
      continue;
    }
    const other = e - 1;
    if (sameBytes(packets[other]!, p)) {
      reasons[line] = duplicate;
      marked++;
      continue;
    }
    if (fullSlots === undefined || fullHashes === undefined || joined === undefined) {
      fullSlots = new Int32Array(size);
      fullHashes = new Int32Array(n);
      joined = new Uint8Array(n);
    }
    // The first table's line joins the second the first time its head is shared.
    if (joined[other] === 0) {
      joined[other] = 1;
      addFull(fullSlots, fullHashes, mask, other, hashAll(packets[other]!, seed));
    }
    const f = hashAll(p, seed);
    let t = f & mask;
    let g = fullSlots[t];
    for (; g !== 0; t = (t + 1) & mask, g = fullSlots[t]) if (fullHashes[g - 1] === f && sameBytes(packets[g - 1]!, p)) break;
    if (g !== 0) {
      reasons[line] = duplicate;
      marked++;
    } else {
      fullHashes[line] = f;
      fullSlots[t] = line + 1;
    }
  }
  return marked;
}

function addFull(slots: Int32Array, hashes: Int32Array, mask: number, line: number, f: number): void {
  hashes[line] = f;
  let t = f & mask;
  while (slots[t] !== 0) t = (t + 1) & mask;
  slots[t] = line + 1;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

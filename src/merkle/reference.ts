// RFC 6962 §2.1 Merkle Tree Hash on the CPU: the reference every backend is
// tested against, and the CPU backend's building blocks.
//
// The tree is built level by level: parents pair children 2p and 2p+1, and a
// last odd node is promoted unchanged to the next level. That is the same
// tree as the RFC's recursive split at the largest power of two k < n (node
// p of level j covers leaves [p·2^j, min((p+1)·2^j, n)), and its hash is the
// MTH of exactly those leaves), and it is not a padded tree: nothing is
// duplicated or filled in.
import { sha256 } from './sha256.js';
import type { Columnar } from '../gpu/staging.js';

export type { Columnar };
/** Leaves either as separate byte strings or columnar (data + n + 1 offsets). */
export type Leaves = readonly Uint8Array[] | Columnar;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** SHA-256(""), the MTH of an empty list. */
export const EMPTY_ROOT = sha256();

export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

export class MerkleInputError extends RangeError {
  override name = 'MerkleInputError';
}

/** Leaves in columnar form (a view when they already are; one copy otherwise). */
export function toColumnar(leaves: Leaves): Columnar {
  if (!Array.isArray(leaves)) {
    const col = leaves as Columnar;
    const { data, offsets } = col;
    if (!(data instanceof Uint8Array) || !(offsets instanceof Uint32Array)) throw new MerkleInputError('columnar leaves need data: Uint8Array and offsets: Uint32Array');
    if (offsets.length < 1 || offsets[0] !== 0) throw new MerkleInputError('leaf offsets must start with 0 (n + 1 entries)');
    for (let i = 1; i < offsets.length; i++) {
      if (offsets[i] < offsets[i - 1]) throw new MerkleInputError(`leaf offsets decrease at leaf ${i - 1}`);
    }
    if (offsets[offsets.length - 1] !== data.length) throw new MerkleInputError(`last leaf offset is ${offsets[offsets.length - 1]}, expected data.length = ${data.length}`);
    return col;
  }
  const list = leaves as readonly Uint8Array[];
  let total = 0;
  list.forEach((l, i) => {
    if (!(l instanceof Uint8Array)) throw new MerkleInputError(`leaf ${i} is not a Uint8Array`);
    total += l.length;
  });
  if (total > 0xffffffff) throw new MerkleInputError(`leaves total ${total} bytes, more than u32 offsets address`);
  const data = new Uint8Array(total);
  const offsets = new Uint32Array(list.length + 1);
  let at = 0;
  list.forEach((l, i) => { data.set(l, at); at += l.length; offsets[i + 1] = at; });
  return { data, offsets };
}

export function leafCount(leaves: Leaves): number {
  return Array.isArray(leaves) ? leaves.length : (leaves as Columnar).offsets.length - 1;
}

/** Leaf hashes of leaves [start, end) of a columnar set. */
export function hashLeaves(col: Columnar, start = 0, end = col.offsets.length - 1): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = start; i < end; i++) out.push(leafHash(col.data.subarray(col.offsets[i], col.offsets[i + 1])));
  return out;
}

/** The next level up: pairs hashed, a last odd node promoted. */
export function parentLevel(level: readonly Uint8Array[]): Uint8Array[] {
  const up: Uint8Array[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
  if (level.length % 2 === 1) up.push(level[level.length - 1]);
  return up;
}

/** The root over already-hashed nodes of one level (leaf hashes, or roots of aligned power-of-two subtrees). */
export function rootOfLevel(level: readonly Uint8Array[]): Uint8Array {
  if (level.length === 0) return EMPTY_ROOT.slice(); // a copy: callers may write to it
  let cur = level as Uint8Array[];
  while (cur.length > 1) cur = parentLevel(cur);
  return cur[0];
}

/** MTH(D[n]) of RFC 6962 §2.1. */
export function merkleRoot(leaves: Leaves): Uint8Array {
  return rootOfLevel(hashLeaves(toColumnar(leaves)));
}

/** Every level, leaf hashes first, root last (just [] for no leaves). */
export function merkleLevels(leafHashes: readonly Uint8Array[]): Uint8Array[][] {
  if (leafHashes.length === 0) return [];
  const levels = [leafHashes as Uint8Array[]];
  while (levels[levels.length - 1].length > 1) levels.push(parentLevel(levels[levels.length - 1]));
  return levels;
}

/**
 * Sibling positions of leaf `index` in a tree of `size` leaves, bottom up:
 * [level, node] per proof entry. A node promoted at a level has no sibling
 * there and contributes nothing (RFC 6962 PATH(m, D[n]) has no entry for it).
 */
export function proofPositions(index: number, size: number): Array<[level: number, node: number]> {
  checkIndex(index, size);
  const out: Array<[number, number]> = [];
  let i = index;
  let n = size;
  for (let level = 0; n > 1; level++) {
    const sib = i ^ 1;
    if (sib < n) out.push([level, sib]);
    i = Math.floor(i / 2);
    n = Math.ceil(n / 2);
  }
  return out;
}

function checkIndex(index: number, size: number) {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new MerkleInputError(`leaf index ${index} is out of range for ${size} leaves`);
  }
}

/** The audit path PATH(index, D[n]) of RFC 6962 §2.1.1, bottom up. */
export function inclusionProof(leaves: Leaves, index: number): Uint8Array[] {
  const levels = merkleLevels(hashLeaves(toColumnar(leaves)));
  return proofPositions(index, levels[0]?.length ?? 0).map(([l, p]) => levels[l][p]);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/**
 * Checks an audit path (RFC 9162 §2.1.3.2, the verification of RFC 6962
 * paths): true iff `proof` proves `leaf` (the leaf's data, not its hash) at
 * `index` in a tree of `size` leaves with root `root`. Any malformed input
 * (index ≥ size, a path of the wrong length, entries that are not 32 bytes)
 * is false, never an exception.
 */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(leaf);
  for (const p of proof) {
    if (!(p instanceof Uint8Array) || p.length !== 32) return false;
    // sn = 0 with path left over: the path is too long.
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // A right-edge node promoted through levels without siblings: skip those levels.
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

// Test oracles shared by test/exec*.test.ts and test/run*.test.ts: docs/transactions.md
// read literally (BigInt, a Map) and an RFC 6962 root over node:crypto.
import { closableFromDestroy } from '../../src/lifecycle.js';
import { createHash } from 'node:crypto';
import type { GenesisAccount } from '../../src/state/genesis.js';
import type { IncrementalMerkleTree } from '../../src/merkle/incremental.js';
import { toHex } from '../../src/hex.js';

export const U64_MAX = (1n << 64n) - 1n;

// ---- the model: docs/transactions.md read literally ----
export interface ModelAccount { key: Uint8Array; balance: bigint; nonce: bigint }
export class Model {
  accounts: ModelAccount[] = [];
  bySlot = new Map<string, number>();
  constructor(genesis: readonly GenesisAccount[]) {
    for (const g of genesis) this.create(g.key, g.balance);
  }
  create(key: Uint8Array, balance: bigint): void {
    this.bySlot.set(toHex(key), this.accounts.length);
    this.accounts.push({ key: key.slice(), balance, nonce: 0n });
  }
  find(key: Uint8Array): ModelAccount | undefined {
    const s = this.bySlot.get(toHex(key));
    return s === undefined ? undefined : this.accounts[s];
  }
  apply(record: Uint8Array, valid: boolean): number {
    if (record.length !== 145 || record[64] !== 1) return 1;
    if (!valid) return 2;
    const view = new DataView(record.buffer, record.byteOffset, 145);
    const from = this.find(record.subarray(65, 97));
    if (!from) return 3;
    const amount = view.getBigUint64(129, true);
    if (view.getBigUint64(137, true) !== from.nonce) return 4;
    if (from.balance < amount) { from.nonce += 1n; return 5; }
    const toKey = record.subarray(97, 129);
    const to = this.find(toKey);
    if (to === from) { from.nonce += 1n; return 0; }
    if (to && to.balance + amount > U64_MAX) { from.nonce += 1n; return 6; }
    from.balance -= amount;
    from.nonce += 1n;
    if (to) to.balance += amount; else this.create(toKey, amount);
    return 0;
  }
  leaves(): Uint8Array {
    const out = new Uint8Array(48 * this.accounts.length);
    const view = new DataView(out.buffer);
    this.accounts.forEach((a, s) => {
      out.set(a.key, 48 * s);
      view.setBigUint64(48 * s + 32, a.balance, true);
      view.setBigUint64(48 * s + 40, a.nonce, true);
    });
    return out;
  }
}

// ---- an RFC 6962 root, used only as an oracle ----
const sha = (...parts: Uint8Array[]) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return new Uint8Array(h.digest()); };
export function oracleRoot(leaves: Uint8Array, leafSize: number): Uint8Array {
  const n = leaves.length / leafSize;
  if (n === 0) return sha();
  let level: Uint8Array[] = [];
  for (let i = 0; i < n; i++) level.push(sha(new Uint8Array([0]), leaves.subarray(i * leafSize, (i + 1) * leafSize)));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(sha(new Uint8Array([1]), level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}
/** A deliberately naive incremental tree (keeps leaves, recomputes the root): checks the state-root wiring. */
export function naiveTree(leafSize: number): IncrementalMerkleTree {
  let leaves = new Uint8Array(0);
  const tree = closableFromDestroy({
    get size() { return leaves.length / leafSize; },
    backend: 'cpu' as const,
    async setLeaves(indices: Uint32Array, data: Uint8Array) {
      let size = leaves.length / leafSize;
      for (const i of indices) size = Math.max(size, i + 1);
      if (size * leafSize > leaves.length) { const g = new Uint8Array(size * leafSize); g.set(leaves); leaves = g; }
      indices.forEach((i, k) => leaves.set(data.subarray(k * leafSize, (k + 1) * leafSize), i * leafSize));
    },
    async root() { return oracleRoot(leaves, leafSize); },
    destroy() { leaves = new Uint8Array(0); },
  });
  return tree;
}


// Synthetic blocks for measuring and testing execution alone: transactions
// with correct nonces but no real signatures (the validity mask is given
// directly, as the verifier would give it). Seeded and deterministic.
// Signed workloads for the whole pipeline live in src/workload.
import { TX_SIZE, writeTransfer, type BlockRecords } from '../tx/v1/index.js';
import type { GenesisAccount } from '../state/genesis.js';

/** A small seeded PRNG (splitmix32): enough for workloads, not for keys that must be secret. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 0x100000000;
  };
}

/** A 32-byte key for account number `i` of a seeded universe (not a curve point; execution never needs one). */
export function syntheticKey(seed: number, i: number): Uint8Array {
  const rnd = seededRandom((seed * 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b));
  const key = new Uint8Array(32);
  for (let j = 0; j < 32; j++) key[j] = (rnd() * 256) | 0;
  return key;
}

export function syntheticGenesis(accounts: number, seed: number, balance = 1_000_000_000_000n): GenesisAccount[] {
  const out: GenesisAccount[] = [];
  for (let i = 0; i < accounts; i++) out.push({ key: syntheticKey(seed, i), balance });
  return out;
}

export type SyntheticPattern = 'uniform' | 'hot' | 'chains';

export interface SyntheticBlockSpec {
  pattern: SyntheticPattern;
  /** Genesis accounts (keys from syntheticKey(seed, i)). */
  accounts: number;
  transactions: number;
  seed: number;
  /** For 'chains': the share of transactions that spend what the previous one received (default 0.1). */
  chainShare?: number;
}

/**
 * A block over the synthetic genesis. `nonces` carries each sender's next
 * nonce between blocks so later blocks stay valid; pass the same map to
 * every block of a run.
 * - uniform: random sender and recipient.
 * - hot: every transaction touches account 0 (as sender or recipient, alternating).
 * - chains: like uniform, but a `chainShare` of transactions is sent by the
 *   previous transaction's recipient, so it depends on it.
 */
export function syntheticBlock(spec: SyntheticBlockSpec, nonces: Map<number, bigint>, blockIndex = 0): BlockRecords {
  const n = spec.transactions;
  const rnd = seededRandom(spec.seed * 7919 + blockIndex * 104729 + 1);
  const keys = new Map<number, Uint8Array>();
  const keyOf = (i: number): Uint8Array => {
    let k = keys.get(i);
    if (!k) { k = syntheticKey(spec.seed, i); keys.set(i, k); }
    return k;
  };
  const bytes = new Uint8Array(n * TX_SIZE);
  const offsets = new Uint32Array(n + 1);
  const pick = () => Math.floor(rnd() * spec.accounts);
  let prevTo = -1;
  for (let t = 0; t < n; t++) {
    let from = pick();
    let to = pick();
    if (spec.pattern === 'hot') {
      if (t % 2 === 0) from = 0; else to = 0;
      if (from === to) to = (to + 1) % spec.accounts;
    } else if (spec.pattern === 'chains' && prevTo >= 0 && rnd() < (spec.chainShare ?? 0.1)) {
      from = prevTo;
    }
    const nonce = nonces.get(from) ?? 0n;
    nonces.set(from, nonce + 1n);
    writeTransfer(bytes, t * TX_SIZE, keyOf(from), keyOf(to), BigInt(1 + Math.floor(rnd() * 1000)), nonce);
    offsets[t + 1] = (t + 1) * TX_SIZE;
    prevTo = to;
  }
  return { bytes, offsets, count: n };
}

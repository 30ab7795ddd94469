// Deterministic workloads of signed transfers (docs/transactions.md) for `preexec gen`,
// `preexec bench` and the Chrome page. Same spec and seed → same bytes, in
// Node and in a browser. The generator tracks nonces and balances as it goes,
// so every transaction it means to be valid is OK when applied in order; it
// records what it intended, which tests use as an oracle built from the other
// direction (construction, not execution).
import { sha256 } from '@noble/hashes/sha2.js';
import { TX_SIGNED_OFFSET, TX_SIZE, encodeSignedPart, type BlockRecords } from '../tx/v1/index.js';
import { createPrng, type Prng } from './prng.js';
import type { Ed25519Signer, SigningKey } from './signer.js';
import { Receipt } from '../tx/v1/receipt.js';
import type { GenesisAccount } from '../state/genesis.js';

export type WorkloadName = 'uniform' | 'hot' | 'bad-sigs' | 'new-accounts';
export const WORKLOADS: readonly WorkloadName[] = ['uniform', 'hot', 'bad-sigs', 'new-accounts'];

export interface WorkloadSpec {
  /**
   * uniform: transfers between random existing accounts;
   * hot: one account (slot 0) is the sender or the recipient of every transfer;
   * bad-sigs: uniform, with `badSigPercent`% of signatures corrupted;
   * new-accounts: transfers from random existing accounts to fresh keys.
   */
  workload: WorkloadName;
  /** Accounts in genesis (≥ 2). */
  accounts: number;
  txsPerBlock: number;
  blocks: number;
  /** Non-negative safe integer. */
  seed: number;
  /** bad-sigs only: percentage of transactions per block with a corrupted signature, 0..100. Default 10. */
  badSigPercent?: number;
}

export type { GenesisAccount };

export interface Workload {
  spec: Required<WorkloadSpec>;
  genesis: GenesisAccount[];
  blocks: BlockRecords[];
  /** Per block, the receipt code the generator meant for each transaction: 0 OK or 2 BAD_SIGNATURE. */
  intended: Uint8Array[];
}

export interface GenerateOptions {
  signer: Ed25519Signer;
  /** Called now and then with transactions signed so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Every genesis account starts with this much: far above what any workload spends. */
export const GENESIS_BALANCE = 1_000_000_000_000n;
const MAX_AMOUNT = 1000;
export const DEFAULT_BAD_SIG_PERCENT = 10;
/** Hard caps so a typo cannot ask for a terabyte. */
export const MAX_ACCOUNTS = 1 << 22;
export const MAX_TXS = 1 << 24;

export class WorkloadSpecError extends RangeError {
  override name = 'WorkloadSpecError';
}

export function checkWorkloadSpec(spec: WorkloadSpec): Required<WorkloadSpec> {
  if (!WORKLOADS.includes(spec.workload)) throw new WorkloadSpecError(`workload must be one of ${WORKLOADS.join('|')}, got ${JSON.stringify(spec.workload)}`);
  const int = (name: string, v: number, lo: number, hi: number): void => {
    if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new WorkloadSpecError(`${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  };
  // Edge case: a transfer needs a sender and, for uniform and hot, a distinct recipient.
  int('accounts', spec.accounts, 2, MAX_ACCOUNTS);
  int('txsPerBlock', spec.txsPerBlock, 1, MAX_TXS);
  int('blocks', spec.blocks, 1, MAX_TXS);
  if (spec.txsPerBlock * spec.blocks > MAX_TXS) throw new WorkloadSpecError(`txsPerBlock × blocks = ${spec.txsPerBlock * spec.blocks} is more than ${MAX_TXS} transactions`);
  int('seed', spec.seed, 0, Number.MAX_SAFE_INTEGER);
  const badSigPercent = spec.badSigPercent ?? (spec.workload === 'bad-sigs' ? DEFAULT_BAD_SIG_PERCENT : 0);
  if (!(badSigPercent >= 0 && badSigPercent <= 100)) throw new WorkloadSpecError(`badSigPercent must be in [0, 100], got ${badSigPercent}`);
  if (badSigPercent > 0 && spec.workload !== 'bad-sigs') throw new WorkloadSpecError(`badSigPercent applies only to the bad-sigs workload, not ${spec.workload}`);
  return { ...spec, badSigPercent };
}

const utf8 = new TextEncoder();

/** The RFC 8032 secret seed of key number `index` for a workload seed. */
export function workloadKeySeed(seed: number, index: number): Uint8Array {
  return sha256(utf8.encode(`webgpu-preexec/workload/v1/key/${seed}/${index}`));
}

export async function generateWorkload(specIn: WorkloadSpec, options: GenerateOptions): Promise<Workload> {
  const spec = checkWorkloadSpec(specIn);
  const { signer, onProgress } = options;
  const total = spec.txsPerBlock * spec.blocks;
  const rng = createPrng(`webgpu-preexec/workload/v1/choices/${spec.workload}/${spec.seed}`);

  const keys: SigningKey[] = [];
  const genesis: GenesisAccount[] = [];
  for (let i = 0; i < spec.accounts; i++) {
    const key = signer.key(workloadKeySeed(spec.seed, i));
    keys.push(key);
    genesis.push({ key: key.publicKey, balance: GENESIS_BALANCE });
  }
  // What the generator believes the state is, to sign correct nonces and never overspend.
  const nonces = new Array<bigint>(spec.accounts).fill(0n);
  const balances = genesis.map((a) => a.balance);
  let nextFreshKey = spec.accounts;

  const blocks: BlockRecords[] = [];
  const intended: Uint8Array[] = [];
  let done = 0;
  let lastYield = Date.now();
  for (let b = 0; b < spec.blocks; b++) {
    const n = spec.txsPerBlock;
    const bytes = new Uint8Array(n * TX_SIZE);
    const offsets = new Uint32Array(n + 1);
    const codes = new Uint8Array(n);
    const bad = chooseBad(rng, n, spec.badSigPercent);
    for (let t = 0; t < n; t++) {
      const { from, to, toSlot } = pickTransfer(spec, rng, keys, () => signer.key(workloadKeySeed(spec.seed, nextFreshKey++)).publicKey);
      const amount = BigInt(rng.between(1, MAX_AMOUNT));
      // Edge case: never let the generator's own transfers run a sender dry —
      // every intended-OK transaction must be OK, not INSUFFICIENT_FUNDS.
      if (balances[from] < amount) throw new Error(`workload generator: account ${from} would run out of funds (raise GENESIS_BALANCE)`);
      const signed = encodeSignedPart({ from: keys[from].publicKey, to, amount, nonce: nonces[from] });
      const signature = keys[from].sign(signed);
      if (bad[t]) {
        // Any single flipped bit of R or S makes the signature invalid under
        // every rule set (R no longer matches, or S ≥ L, or the equation fails).
        const bit = rng.below(512);
        signature[bit >>> 3] ^= 1 << (bit & 7);
        codes[t] = Receipt.BAD_SIGNATURE; // no state change
      } else {
        nonces[from] += 1n;
        balances[from] -= amount;
        if (toSlot !== undefined) balances[toSlot] += amount;
        codes[t] = Receipt.OK;
      }
      bytes.set(signature, t * TX_SIZE);
      bytes.set(signed, t * TX_SIZE + TX_SIGNED_OFFSET);
      offsets[t + 1] = (t + 1) * TX_SIZE;
      done++;
      if (onProgress && (done & 1023) === 0) {
        onProgress(done, total);
        // Let a browser repaint (and Node serve timers) during long generation.
        if (Date.now() - lastYield > 50) {
          await new Promise((r) => setTimeout(r, 0));
          lastYield = Date.now();
        }
      }
    }
    blocks.push({ bytes, offsets, count: n });
    intended.push(codes);
  }
  onProgress?.(total, total);
  return { spec, genesis, blocks, intended };
}

function pickTransfer(
  spec: Required<WorkloadSpec>, rng: Prng, keys: readonly SigningKey[], freshKey: () => Uint8Array,
): { from: number; to: Uint8Array; toSlot?: number } {
  const n = spec.accounts;
  switch (spec.workload) {
    case 'uniform':
    case 'bad-sigs': {
      const from = rng.below(n);
      const toSlot = otherThan(rng, n, from);
      return { from, to: keys[toSlot].publicKey, toSlot };
    }
    case 'hot': {
      // Slot 0 is hot: half the time it pays, half the time it is paid, so
      // every transaction conflicts with every other one on its balance.
      const other = 1 + rng.below(n - 1);
      return rng.below(2) === 0
        ? { from: 0, to: keys[other].publicKey, toSlot: other }
        : { from: other, to: keys[0].publicKey, toSlot: 0 };
    }
    case 'new-accounts':
      // The recipient's account is created by this transfer (docs/transactions.md).
      return { from: rng.below(n), to: freshKey() };
  }
}

function otherThan(rng: Prng, n: number, avoid: number): number {
  const r = rng.below(n - 1);
  return r >= avoid ? r + 1 : r;
}

/** Exactly round(n · percent / 100) distinct positions, chosen by a partial Fisher–Yates shuffle. */
function chooseBad(rng: Prng, n: number, percent: number): Uint8Array {
  const bad = new Uint8Array(n);
  const k = Math.round((n * percent) / 100);
  if (k === 0) return bad;
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.below(n - i);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
    bad[order[i]] = 1;
  }
  return bad;
}

// A seeded, realistic mix of Solana transactions (docs/solana.md) for `preexec gen
// --workload solana` and `preexec bench --format solana`: mostly one-signer
// System transfers with ComputeBudget instructions, some multi-signer
// transactions, v0 messages loading accounts through lookup tables, calls to
// another program, a few popular accounts written by many (conflict chains),
// and small shares of byte-identical duplicates and corrupted signatures.
// Same spec and seed → same bytes.
import { sha256 } from '@noble/hashes/sha2.js';
import { base58DecodeAddress } from '../tx/solana/base58.js';
import { compileSolanaMessage, encodeSolanaMessage, encodeSolanaTransaction, type SolanaAccountMeta, type SolanaInstructionSpec, type SolanaLookupTable } from '../tx/solana/encode.js';
import { createPrng, type Prng } from './prng.js';
import type { Ed25519Signer, SigningKey } from './signer.js';

export interface SolanaWorkloadSpec {
  /** Packets (lines) to write, duplicates and bad signatures included. */
  txs: number;
  /** Wallets (signing keys) and, as many again, non-signing accounts (≥ 4). */
  accounts: number;
  seed: number;
  /** Shares in [0, 1]. */
  v0Share: number;
  multiSignerShare: number;
  otherProgramShare: number;
  /** Share of transactions that write one of the popular accounts. */
  hotShare: number;
  /** Number of popular accounts (≥ 1). */
  hotAccounts: number;
  duplicateShare: number;
  badSignatureShare: number;
  /** Address lookup tables the v0 transactions use (≥ 1), each of `tableSize` addresses. */
  lookupTables: number;
}

export const SOLANA_WORKLOAD_DEFAULTS: Readonly<SolanaWorkloadSpec> = {
  txs: 10_000,
  accounts: 1000,
  seed: 1,
  v0Share: 0.25,
  multiSignerShare: 0.1,
  otherProgramShare: 0.15,
  hotShare: 0.2,
  hotAccounts: 4,
  duplicateShare: 0.02,
  badSignatureShare: 0.01,
  lookupTables: 4,
};

/** Addresses per lookup table; indexes are one byte. */
export const LOOKUP_TABLE_SIZE = 128;
export const MAX_SOLANA_TXS = 1 << 24;
export const MAX_SOLANA_ACCOUNTS = 1 << 20;

/** What the generator meant a line to be: '' valid, or the reason docs/solana.md should give. */
export type SolanaIntended = '' | 'duplicate' | 'bad_signature';

export interface SolanaWorkload {
  spec: SolanaWorkloadSpec;
  /** Wire bytes, one per line. */
  packets: Uint8Array[];
  /** Table address → its addresses, in order. */
  lookupTables: SolanaLookupTable[];
  intended: SolanaIntended[];
  /** Signatures per line. */
  signatureCounts: Uint8Array;
  counts: { legacy: number; v0: number; multiSigner: number; otherProgram: number; hot: number; duplicate: number; badSignature: number; signatures: number };
}

export class SolanaWorkloadSpecError extends RangeError {
  override name = 'SolanaWorkloadSpecError';
}

// The System Program is 32 zero bytes.
export const SYSTEM_PROGRAM_ID = new Uint8Array(32);
export const COMPUTE_BUDGET_PROGRAM_ID = base58DecodeAddress('ComputeBudget111111111111111111111111111111');
const utf8 = new TextEncoder();
/** A made-up program (no curve point needed: programs never sign). */
export const DEMO_PROGRAM_ID = sha256(utf8.encode('webgpu-preexec/solana/demo-program'));

export function checkSolanaWorkloadSpec(spec: SolanaWorkloadSpec): SolanaWorkloadSpec {
  const whole = (name: keyof SolanaWorkloadSpec, lo: number, hi: number) => {
    const v = spec[name];
    if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new SolanaWorkloadSpecError(`${name} must be a whole number in [${lo}, ${hi}], got ${v}`);
  };
  whole('txs', 1, MAX_SOLANA_TXS);
  whole('accounts', 4, MAX_SOLANA_ACCOUNTS);
  whole('seed', 0, Number.MAX_SAFE_INTEGER);
  whole('hotAccounts', 1, 256);
  whole('lookupTables', 1, 64);
  for (const name of ['v0Share', 'multiSignerShare', 'otherProgramShare', 'hotShare', 'duplicateShare', 'badSignatureShare'] as const) {
    const v = spec[name];
    if (!(v >= 0 && v <= 1)) throw new SolanaWorkloadSpecError(`${name} must be a share in [0, 1], got ${v}`);
  }
  return spec;
}

function chance(rng: Prng, p: number): boolean {
  return rng.nextU32() < p * 0x1_0000_0000;
}

/** System Program Transfer: u32 instruction 2, u64 lamports. */
function systemTransfer(from: Uint8Array, to: Uint8Array, lamports: bigint): SolanaInstructionSpec {
  const data = new Uint8Array(12);
  const view = new DataView(data.buffer);
  view.setUint32(0, 2, true);
  view.setBigUint64(4, lamports, true);
  return { programId: SYSTEM_PROGRAM_ID, data, accounts: [{ address: from, signer: true, writable: true }, { address: to, signer: false, writable: true }] };
}

/** ComputeBudget SetComputeUnitLimit (tag 2, u32) and SetComputeUnitPrice (tag 3, u64 micro-lamports). */
function computeBudget(rng: Prng): SolanaInstructionSpec[] {
  const out: SolanaInstructionSpec[] = [];
  if (chance(rng, 0.8)) {
    const data = new Uint8Array(5);
    data[0] = 2;
    new DataView(data.buffer).setUint32(1, 50_000 + rng.below(1_350_000), true);
    out.push({ programId: COMPUTE_BUDGET_PROGRAM_ID, accounts: [], data });
  }
  if (chance(rng, 0.7)) {
    const data = new Uint8Array(9);
    data[0] = 3;
    new DataView(data.buffer).setBigUint64(1, BigInt(1 + rng.below(1_000_000)), true);
    out.push({ programId: COMPUTE_BUDGET_PROGRAM_ID, accounts: [], data });
  }
  return out;
}

/**
 * Generates the workload. Every non-duplicate line is unique (each carries
 * its line number in an amount or in instruction data), valid under every
 * rule set (node:crypto or noble keys are never small-order), and passes
 * sanitize, lookups and account locks; bad lines are exactly the intended ones.
 */
export async function generateSolanaWorkload(specIn: SolanaWorkloadSpec, options: { signer: Ed25519Signer; onProgress?: (done: number, total: number) => void }): Promise<SolanaWorkload> {
  const spec = checkSolanaWorkloadSpec({ ...specIn });
  const { signer, onProgress } = options;
  const rng = createPrng(`webgpu-preexec/workload/solana/choices/${spec.seed}`);
  const tag = (what: string, i: number) => sha256(utf8.encode(`webgpu-preexec/workload/solana/${what}/${spec.seed}/${i}`));

  const wallets = new Map<number, SigningKey>();
  const wallet = (i: number): SigningKey => {
    let k = wallets.get(i);
    if (!k) { k = signer.key(tag('wallet', i)); wallets.set(i, k); }
    return k;
  };
  // Non-signing accounts (token accounts, program state...): any 32 bytes.
  const plain = Array.from({ length: spec.accounts }, (_, i) => tag('account', i));
  const hot = Array.from({ length: spec.hotAccounts }, (_, i) => tag('hot', i));
  const blockhashes = Array.from({ length: 4 }, (_, i) => tag('blockhash', i));
  // Tables hold the popular accounts and a slice of the plain ones, so v0 lines write hot accounts through lookups too.
  const lookupTables: SolanaLookupTable[] = Array.from({ length: spec.lookupTables }, (_, t) => {
    const addresses = t === 0 ? [...hot] : [];
    for (let j = addresses.length; j < LOOKUP_TABLE_SIZE; j++) addresses.push(plain[(t * LOOKUP_TABLE_SIZE + j) % plain.length]);
    return { address: tag('table', t), addresses: dedupKeys(addresses) };
  });
  // Popularity is skewed: each popular account takes about half the traffic of the one before.
  const skewedHot = (): Uint8Array => {
    let i = 0;
    while (i < hot.length - 1 && chance(rng, 0.5)) i++;
    return hot[i];
  };
  const pickPlain = (table: SolanaLookupTable | undefined): Uint8Array =>
    table && chance(rng, 0.8) ? table.addresses[rng.below(table.addresses.length)] : plain[rng.below(plain.length)];

  const packets: Uint8Array[] = [];
  const intended: SolanaIntended[] = [];
  const signatureCounts = new Uint8Array(spec.txs);
  const counts = { legacy: 0, v0: 0, multiSigner: 0, otherProgram: 0, hot: 0, duplicate: 0, badSignature: 0, signatures: 0 };
  let lastYield = Date.now();
  for (let line = 0; line < spec.txs; line++) {
    if (line > 0 && chance(rng, spec.duplicateShare)) {
      const copy = packets[rng.below(line)];
      packets.push(copy);
      intended.push('duplicate');
      signatureCounts[line] = copy[0];
      counts.duplicate++;
      continue;
    }
    const v0 = chance(rng, spec.v0Share);
    const table = v0 ? lookupTables[rng.below(lookupTables.length)] : undefined;
    const nSigners = chance(rng, spec.multiSignerShare) ? 2 + rng.below(3) : 1;
    const signerIdx = new Set<number>();
    while (signerIdx.size < nSigners) signerIdx.add(rng.below(spec.accounts));
    const signers = [...signerIdx].map(wallet);
    const payer = signers[0].publicKey;
    const writesHot = chance(rng, spec.hotShare);
    const other = chance(rng, spec.otherProgramShare);

    const instructions: SolanaInstructionSpec[] = computeBudget(rng);
    // The line number in the amount (or data) keeps every generated line unique.
    const lamports = BigInt(line) * 1000n + BigInt(1 + rng.below(999));
    if (other) {
      const accounts: SolanaAccountMeta[] = signers.map((s, i) => ({ address: s.publicKey, signer: true, writable: i === 0 }));
      const state = writesHot ? skewedHot() : pickPlain(table);
      accounts.push({ address: state, signer: false, writable: true });
      for (let a = rng.below(4); a > 0; a--) accounts.push({ address: pickPlain(table), signer: false, writable: chance(rng, 0.3) });
      // A popular account read by many: reads never conflict with reads.
      if (!writesHot && chance(rng, 0.3)) accounts.push({ address: skewedHot(), signer: false, writable: false });
      const data = new Uint8Array(8 + rng.below(57));
      new DataView(data.buffer).setUint32(0, line, true);
      for (let j = 4; j < data.length; j++) data[j] = rng.below(256);
      instructions.push({ programId: DEMO_PROGRAM_ID, accounts, data });
      counts.otherProgram++;
    } else {
      instructions.push(systemTransfer(payer, writesHot ? skewedHot() : pickPlain(table), lamports));
      // Every further signer pays someone too, so it signs for a reason.
      for (let s = 1; s < signers.length; s++) instructions.push(systemTransfer(signers[s].publicKey, pickPlain(table), BigInt(1 + rng.below(1_000_000))));
    }
    if (writesHot) counts.hot++;

    const fields = compileSolanaMessage({
      feePayer: payer,
      instructions,
      recentBlockhash: blockhashes[rng.below(blockhashes.length)],
      version: v0 ? 0 : 'legacy',
      lookupTables: table ? [table] : undefined,
    });
    const message = encodeSolanaMessage(fields);
    const ordered = orderSigners(fields.staticKeys, fields.header.numRequiredSignatures, signers);
    const signatures = ordered.map((k) => k.sign(message));
    const bad = chance(rng, spec.badSignatureShare);
    if (bad) {
      // One flipped bit of R or S fails under every rule set.
      const bit = rng.below(512);
      const s = signatures[rng.below(signatures.length)];
      s[bit >>> 3] ^= 1 << (bit & 7);
      counts.badSignature++;
    }
    packets.push(encodeSolanaTransaction({ signatures, message }));
    intended.push(bad ? 'bad_signature' : '');
    signatureCounts[line] = signatures.length;
    v0 ? counts.v0++ : counts.legacy++;
    if (nSigners > 1) counts.multiSigner++;
    if (onProgress && (line & 1023) === 1023) {
      onProgress(line + 1, spec.txs);
      if (Date.now() - lastYield > 50) { lastYield = Date.now(); await new Promise((r) => setTimeout(r, 0)); }
    }
  }
  for (let i = 0; i < spec.txs; i++) counts.signatures += signatureCounts[i];
  onProgress?.(spec.txs, spec.txs);
  return { spec, packets, lookupTables, intended, signatureCounts, counts };
}

/** The signing keys in static-key order (signature i is static key i's). */
function orderSigners(staticKeys: readonly Uint8Array[], required: number, keys: readonly SigningKey[]): SigningKey[] {
  const out: SigningKey[] = [];
  for (let i = 0; i < required; i++) {
    const k = keys.find((s) => equalKeys(s.publicKey, staticKeys[i]));
    if (!k) throw new Error('solana workload: a required signer has no key');
    out.push(k);
  }
  return out;
}

function equalKeys(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Drops repeats (a small universe can map two table slots to one account). */
function dedupKeys(keys: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = String.fromCharCode(...k);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

// Transactions built and signed by a real client, @solana/kit: legacy and v0
// with address lookup tables, 1–4 signers, System transfers, ComputeBudget
// instructions and other programs. On each, the stage's parse must agree with
// the kit's own decoders, and its verdicts with the kit's signature check
// (WebCrypto, OpenSSL's rule = ref10). Under `solana` the stage must also
// refuse signer keys of small order (canonical or not) that the kit accepts.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  AccountRole, address, appendTransactionMessageInstructions, compileTransaction, compressTransactionMessageUsingAddressLookupTables,
  createKeyPairFromPrivateKeyBytes, createTransactionMessage, getAddressDecoder, getAddressFromPublicKey,
  getCompiledTransactionMessageDecoder, getPublicKeyFromAddress, getTransactionDecoder, getTransactionEncoder,
  setTransactionMessageFeePayer, setTransactionMessageLifetimeUsingBlockhash, signTransaction, verifySignature,
  type Address, type Instruction, type Transaction,
} from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSolanaStage, type SolanaStage } from '../src/solana/stage.js';
import { base58Encode } from '../src/tx/solana/base58.js';
import { decodeSolanaTransaction } from '../src/tx/solana/decode.js';
import { createRng, LOW_ORDER_ENCODINGS, oracleSolana } from './support/ed25519-cases.js';

const SYSTEM = address('11111111111111111111111111111111');
const COMPUTE_BUDGET = address('ComputeBudget111111111111111111111111111111');
const MEMO = address('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');
const TOKEN = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
const addressOf = (bytes: Uint8Array) => getAddressDecoder().decode(bytes);

const rng = createRng(2026);
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => rng.int(256));

interface Built {
  label: string;
  bytes: Uint8Array;
  /** Per signature: the kit's verdict. */
  kitVerdicts: boolean[];
}

const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const u64 = (v: bigint) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); return b; };
const cat = (...parts: Uint8Array[]) => { const o = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { o.set(p, at); at += p.length; } return o; };

const systemTransfer = (from: Address, to: Address, lamports: bigint): Instruction => ({
  programAddress: SYSTEM,
  accounts: [{ address: from, role: AccountRole.WRITABLE_SIGNER }, { address: to, role: AccountRole.WRITABLE }],
  data: cat(u32(2), u64(lamports)),
});
const computeUnitLimit = (units: number): Instruction => ({ programAddress: COMPUTE_BUDGET, data: cat(Uint8Array.of(2), u32(units)) });
const computeUnitPrice = (micro: bigint): Instruction => ({ programAddress: COMPUTE_BUDGET, data: cat(Uint8Array.of(3), u64(micro)) });
const memo = (signers: Address[], text: string): Instruction => ({
  programAddress: MEMO, accounts: signers.map((a) => ({ address: a, role: AccountRole.READONLY_SIGNER })), data: new TextEncoder().encode(text),
});
const tokenTransfer = (source: Address, dest: Address, owner: Address, amount: bigint): Instruction => ({
  programAddress: TOKEN,
  accounts: [{ address: source, role: AccountRole.WRITABLE }, { address: dest, role: AccountRole.WRITABLE }, { address: owner, role: AccountRole.READONLY_SIGNER }],
  data: cat(Uint8Array.of(3), u64(amount)),
});

// Two lookup tables of 24 addresses each.
const tableAddresses = [addressOf(randomBytes(32)), addressOf(randomBytes(32))];
const tableContents = tableAddresses.map(() => Array.from({ length: 24 }, () => addressOf(randomBytes(32))));
const lookupTables: Record<string, string[]> = Object.fromEntries(tableAddresses.map((t, i) => [t, tableContents[i]]));
const kitTables = Object.fromEntries(tableAddresses.map((t, i) => [t, tableContents[i]])) as Record<Address, Address[]>;

async function kitVerdicts(tx: Transaction): Promise<boolean[]> {
  return Promise.all(Object.entries(tx.signatures).map(async ([a, s]) => (s ? verifySignature(await getPublicKeyFromAddress(a as Address), s, tx.messageBytes) : false)));
}

async function buildRandom(index: number, pairs: { pair: CryptoKeyPair; address: Address }[]): Promise<Built> {
  const version = index % 2 === 0 ? 'legacy' as const : 0 as const;
  const signerCount = 1 + (index % 4);
  const signers = Array.from({ length: signerCount }, (_, i) => pairs[(index * 3 + i) % pairs.length]);
  const payer = signers[0].address;
  const pool = version === 0 ? tableContents.flat() : [];
  const fresh = () => (pool.length && rng.int(3) > 0 ? pool[rng.int(pool.length)] : addressOf(randomBytes(32)));
  const instructions: Instruction[] = [];
  if (rng.int(2)) instructions.push(computeUnitLimit(200_000 + rng.int(1_000_000)));
  if (rng.int(2)) instructions.push(computeUnitPrice(BigInt(rng.int(100_000))));
  for (const s of signers) instructions.push(systemTransfer(s.address, fresh(), BigInt(1 + rng.int(1e9))));
  if (rng.int(2)) instructions.push(memo(signers.slice(0, 1 + rng.int(signerCount)).map((s) => s.address), `memo ${index}`));
  if (rng.int(2)) instructions.push(tokenTransfer(fresh(), fresh(), payer, BigInt(rng.int(1e6))));
  let message: any = createTransactionMessage({ version });
  message = setTransactionMessageFeePayer(payer, message);
  message = setTransactionMessageLifetimeUsingBlockhash({ blockhash: addressOf(randomBytes(32)) as any, lastValidBlockHeight: 100n }, message);
  message = appendTransactionMessageInstructions(instructions, message);
  if (version === 0) message = compressTransactionMessageUsingAddressLookupTables(message, kitTables);
  let tx: Transaction = compileTransaction(message);
  tx = await signTransaction(signers.map((s) => s.pair), tx);
  // Every fifth transaction gets one signature (or its message) damaged after signing.
  const damage = index % 5 === 4 ? rng.int(3) : -1;
  if (damage >= 0) {
    const entries = Object.entries(tx.signatures);
    if (damage < 2) {
      const [a, s] = entries[rng.int(entries.length)];
      const bad = Uint8Array.from(s!);
      bad[damage === 0 ? rng.int(32) : 32 + rng.int(31)] ^= 1 << rng.int(8);
      tx = { ...tx, signatures: { ...tx.signatures, [a]: bad } } as Transaction;
    } else {
      const m = Uint8Array.from(tx.messageBytes);
      m[m.length - 1] ^= 1;
      tx = { ...tx, messageBytes: m } as unknown as Transaction;
    }
  }
  const bytes = Uint8Array.from(getTransactionEncoder().encode(tx));
  return { label: `#${index} ${version} ${signerCount} signer(s)${damage >= 0 ? ' damaged' : ''}`, bytes, kitVerdicts: await kitVerdicts(tx) };
}

// ---- crafted signer keys of small order that verify under OpenSSL's rule

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const Point = ed25519.Point;
const leToBig = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) + BigInt(x), 0n);
const bigToLe = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

/** A transaction whose only signer is `key` (a small-order encoding), signed so that [S]B − [k]A = R. */
async function buildLowOrder(key: Uint8Array, index: number): Promise<Built> {
  const payer = addressOf(key);
  let message: any = createTransactionMessage({ version: 'legacy' });
  message = setTransactionMessageFeePayer(payer, message);
  message = setTransactionMessageLifetimeUsingBlockhash({ blockhash: addressOf(randomBytes(32)) as any, lastValidBlockHeight: 1n }, message);
  // A memo, not a transfer: one of the encodings (all zeros) is the System program itself.
  message = appendTransactionMessageInstructions([memo([payer], `small order ${index}`)], message);
  const tx: Transaction = compileTransaction(message);
  const A = Point.fromBytes(key, true);
  // R = [r]B, S = r: valid exactly when [k]A is the identity; try nonces until it is.
  for (let r = BigInt(index) * 1000n + 1n; ; r++) {
    const R = Point.BASE.multiply(r).toBytes();
    const k = leToBig(sha512(cat(R, key, Uint8Array.from(tx.messageBytes)))) % L;
    if (k !== 0n && !A.multiplyUnsafe(k).is0()) continue;
    const signature = cat(R, bigToLe(r));
    const signed = { ...tx, signatures: { [payer]: signature } } as unknown as Transaction;
    const bytes = Uint8Array.from(getTransactionEncoder().encode(signed));
    return { label: `small-order key ${base58Encode(key)}`, bytes, kitVerdicts: await kitVerdicts(signed) };
  }
}

let built: Built[] = [];
let lowOrder: Built[] = [];
let ref10: SolanaStage;
let solana: SolanaStage;

beforeAll(async () => {
  const pairs = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
    const pair = await createKeyPairFromPrivateKeyBytes(Uint8Array.from({ length: 32 }, (_, j) => (i * 37 + j * 11 + 1) & 0xff));
    return { pair, address: await getAddressFromPublicKey(pair.publicKey) };
  }));
  for (let i = 0; i < 48; i++) built.push(await buildRandom(i, pairs));
  for (const [i, key] of LOW_ORDER_ENCODINGS.entries()) lowOrder.push(await buildLowOrder(key, i));
  ref10 = await createSolanaStage({ rules: 'ref10', backend: 'cpu', workers: 2, lookupTables });
  solana = await createSolanaStage({ rules: 'solana', backend: 'cpu', workers: 2, lookupTables });
});
afterAll(async () => { await ref10?.close(); await solana?.close(); });

describe('@solana/kit transactions', () => {
  it('cover legacy and v0 with lookups, 1 to 4 signers', () => {
    const decoded = built.map((b) => decodeSolanaTransaction(b.bytes));
    expect(decoded.every((d) => d.ok)).toBe(true);
    const txs = decoded.map((d) => (d.ok ? d.tx : undefined)!);
    expect(new Set(txs.map((t) => t.signatures.length))).toEqual(new Set([1, 2, 3, 4]));
    expect(txs.filter((t) => t.version === 'legacy').length).toBeGreaterThan(10);
    expect(txs.filter((t) => t.lookups.length > 0).length).toBeGreaterThan(10);
    expect(txs.filter((t) => t.lookups.length === 2).length).toBeGreaterThan(0);
  });

  it('decode agrees with the kit decoders: signatures, header, static keys, blockhash, instructions, lookups', () => {
    for (const b of [...built, ...lowOrder]) {
      const ours = decodeSolanaTransaction(b.bytes);
      expect(ours.ok, b.label).toBe(true);
      if (!ours.ok) continue;
      const { tx } = ours;
      const kitTx = getTransactionDecoder().decode(b.bytes);
      const kitMsg = getCompiledTransactionMessageDecoder().decode(kitTx.messageBytes) as any;
      expect(Array.from(tx.message)).toEqual(Array.from(kitTx.messageBytes));
      expect(tx.signatures.map(base58Encode)).toEqual(Object.values(kitTx.signatures).map((s) => base58Encode(Uint8Array.from(s!))));
      expect(tx.staticKeys.map(base58Encode)).toEqual(Object.keys(kitTx.signatures).concat(kitMsg.staticAccounts.slice(tx.signatures.length)));
      expect(tx.version).toBe(kitMsg.version);
      expect(tx.header).toEqual({
        numRequiredSignatures: kitMsg.header.numSignerAccounts,
        numReadonlySigned: kitMsg.header.numReadonlySignerAccounts,
        numReadonlyUnsigned: kitMsg.header.numReadonlyNonSignerAccounts,
      });
      expect(tx.staticKeys.map(base58Encode)).toEqual(kitMsg.staticAccounts);
      expect(base58Encode(tx.recentBlockhash)).toBe(kitMsg.lifetimeToken);
      expect(tx.instructions.map((ix) => ({ p: ix.programIdIndex, a: Array.from(ix.accountIndexes), d: Array.from(ix.data) })))
        .toEqual(kitMsg.instructions.map((ix: any) => ({ p: ix.programAddressIndex, a: ix.accountIndices ?? [], d: Array.from(ix.data ?? []) })));
      expect(tx.lookups.map((l) => ({ t: base58Encode(l.tableAddress), w: Array.from(l.writableIndexes), r: Array.from(l.readonlyIndexes) })))
        .toEqual((kitMsg.addressTableLookups ?? []).map((l: any) => ({ t: l.lookupTableAddress, w: l.writableIndexes, r: l.readonlyIndexes })));
    }
  });

  it('under ref10 the verdicts are the kit signature check (all signatures of a line)', async () => {
    const all = [...built, ...lowOrder];
    const r = await ref10.process(all.map((b) => b.bytes));
    const expected = all.map((b) => (b.kitVerdicts.every(Boolean) ? 1 : 0));
    expect(Array.from(r.valid)).toEqual(expected);
    expect(expected.filter((v) => v === 0).length).toBeGreaterThan(3); // damaged ones
    expect(lowOrder.every((b) => b.kitVerdicts.every(Boolean))).toBe(true); // the kit (OpenSSL) takes small-order keys
    expect(r.reasons.filter((x) => x !== '' && x !== 'bad_signature')).toEqual([]);
    expect(r.signatures).toBe(all.reduce((n, b) => n + b.kitVerdicts.length, 0));
  });

  it('under solana small-order signer keys (canonical or not) are refused, the rest as under ref10', async () => {
    const all = [...built, ...lowOrder];
    const r = await solana.process(all.map((b) => b.bytes));
    const expected = all.map((b) => {
      const d = decodeSolanaTransaction(b.bytes);
      if (!d.ok) return 0;
      return d.tx.signatures.every((s, i) => oracleSolana({ publicKey: d.tx.staticKeys[i], signature: s, message: d.tx.message })) ? 1 : 0;
    });
    expect(Array.from(r.valid)).toEqual(expected);
    expect(Array.from(r.valid.subarray(built.length))).toEqual(lowOrder.map(() => 0));
    expect(Array.from(r.valid.subarray(0, built.length))).toEqual(built.map((b) => (b.kitVerdicts.every(Boolean) ? 1 : 0)));
    // The non-canonical encodings are among them.
    expect(LOW_ORDER_ENCODINGS.length).toBe(14);
  });

  it('puts every valid line in exactly one batch', async () => {
    const r = await solana.process(built.map((b) => b.bytes));
    const lines = r.batches.flat().sort((a, b) => a - b);
    expect(lines).toEqual([...r.valid.keys()].filter((i) => r.valid[i] === 1));
    expect(r.batches.length).toBeGreaterThan(1);
  });
});

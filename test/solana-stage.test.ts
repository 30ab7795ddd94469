// The Solana stage end to end on the CPU backend: every reason after
// sanitize (duplicate, bad_signature, address_lookup, account_locks), the
// order between them, writability (header, lookups, reserved keys, program
// demotion) and the signature count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSolanaStage, packSolanaSignatures, prepareSolanaPackets, type SolanaStage } from '../src/solana/stage.js';
import { batchItem, validateBatch } from '../src/ed25519/batch.js';
import { base58Decode, base58Encode } from '../src/tx/solana/base58.js';
import { LookupTableFormatError } from '../src/tx/solana/locks.js';
import { markDuplicatePackets } from '../src/tx/solana/dedup.js';
import { hashBytes, hashPacket } from '../src/tx/solana/key-table.js';
import { decodeSolanaTransaction } from '../src/tx/solana/decode.js';
import { RULE_SETS } from '../src/ed25519/batch.js';
import { oracleVerdict } from './support/ed25519-cases.js';
import { encodeRawMessage, encodeRawTransaction, signedTransaction, signerKeyEdgePackets, SYSTEM_PROGRAM as SYSTEM, systemTransfer, testAddress, testSigner } from './support/solana-packets.js';

const COMPUTE_BUDGET = base58Decode('ComputeBudget111111111111111111111111111111');
const UPGRADEABLE = base58Decode('BPFLoaderUpgradeab1e11111111111111111111111');
const TABLE = testAddress(1000);
const OTHER_TABLE = testAddress(1001);
const tableEntries = Array.from({ length: 10 }, (_, i) => testAddress(2000 + i));
const lookupTables = { [base58Encode(TABLE)]: tableEntries.map(base58Encode), [base58Encode(OTHER_TABLE)]: [base58Encode(testAddress(3000))] };

/** A System transfer from signer `from` to address `to`. */
const transfer = (from: number, to: Uint8Array) => systemTransfer(from, to, 1);

let stage: SolanaStage;
beforeAll(async () => { stage = await createSolanaStage({ backend: 'cpu', lookupTables, workers: 2, batchSize: 2 }); });
afterAll(async () => { await stage.close(); });

describe('Solana stage (cpu)', () => {
  it('accepts transfers, marks later copies duplicate, and batches by conflicts', async () => {
    const a = transfer(1, testAddress(10));
    const b = transfer(2, testAddress(11));
    const c = transfer(3, testAddress(10)); // writes 10 like a
    const d = transfer(4, testAddress(12));
    const r = await stage.process([a, b, a, c, d, b]);
    expect(r.reasons).toEqual(['', '', 'duplicate', '', '', 'duplicate']);
    expect(Array.from(r.valid)).toEqual([1, 1, 0, 1, 1, 0]);
    // Levels: a, b, d at 0; c conflicts with a (account 10) -> 1. Batch size 2.
    expect(r.batches).toEqual([[0, 1], [4], [3]]);
    expect(r.signatures).toBe(4);
    expect(r.backend).toBe('cpu');
    expect(r.transactions).toBe(6);
  });

  it('puts bad_signature before address_lookup and account_locks, and counts every signature that reached it', async () => {
    const good = transfer(1, testAddress(20));
    const flipped = good.slice();
    flipped[5] ^= 1;
    // Two signers, the second signature broken.
    const two = signedTransaction({ signers: [5, 6], others: [SYSTEM], readonlyUnsigned: 1, instructions: [{ programIdIndex: 2, accounts: [0, 1] }] });
    const twoBad = two.slice();
    twoBad[1 + 64 + 3] ^= 1;
    const unknownTable = signedTransaction({ signers: [7], others: [SYSTEM], readonlyUnsigned: 1, version: 0, instructions: [{ programIdIndex: 1, accounts: [0, 2] }], lookups: [{ table: testAddress(4444), writable: [0], readonly: [] }] });
    const unknownTableBadSig = unknownTable.slice();
    unknownTableBadSig[9] ^= 1;
    const pastEnd = signedTransaction({ signers: [8], others: [SYSTEM], readonlyUnsigned: 1, version: 0, instructions: [{ programIdIndex: 1, accounts: [0] }], lookups: [{ table: OTHER_TABLE, writable: [], readonly: [1] }] });
    const keyTwice = signedTransaction({ signers: [9], others: [testAddress(30), testAddress(30), SYSTEM], readonlyUnsigned: 1, instructions: [{ programIdIndex: 3, accounts: [0, 1] }] });
    const viaTable = signedTransaction({ signers: [10], others: [tableEntries[3], SYSTEM], readonlyUnsigned: 1, version: 0, instructions: [{ programIdIndex: 2, accounts: [0, 3] }], lookups: [{ table: TABLE, writable: [3], readonly: [] }] });
    const r = await stage.process([flipped, two, twoBad, unknownTable, unknownTableBadSig, pastEnd, keyTwice, viaTable, null]);
    expect(r.reasons).toEqual(['bad_signature', '', 'bad_signature', 'address_lookup', 'bad_signature', 'address_lookup', 'account_locks', 'account_locks', 'malformed']);
    expect(r.details[8]).toBe('not base64');
    expect(r.signatures).toBe(1 + 2 + 2 + 1 + 1 + 1 + 1 + 1);
  });

  it('refuses more than 64 locks, and accepts exactly 64', async () => {
    // 33 static keys and 10 looked up: well under the limit.
    const under = signedTransaction({
      signers: [11], others: [...Array.from({ length: 31 }, (_, i) => testAddress(500 + i)), SYSTEM], readonlyUnsigned: 1, version: 0,
      instructions: [{ programIdIndex: 32, accounts: [0] }],
      lookups: [{ table: TABLE, writable: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], readonly: [] }],
    });
    expect((await stage.process([under])).reasons).toEqual(['']);
    const big = (count: number) => {
      const tables = { [base58Encode(TABLE)]: Array.from({ length: 64 }, (_, i) => base58Encode(testAddress(6000 + i))) };
      const tx = signedTransaction({ signers: [12], others: [SYSTEM], readonlyUnsigned: 1, version: 0, instructions: [{ programIdIndex: 1, accounts: [0] }], lookups: [{ table: TABLE, writable: [], readonly: Array.from({ length: count - 2 }, (_, i) => i) }] });
      return { tables, tx };
    };
    const at64 = big(64);
    const at65 = big(65);
    const s = await createSolanaStage({ backend: 'cpu', workers: 1, lookupTables: at64.tables });
    try {
      expect((await s.process([at64.tx, at65.tx])).reasons).toEqual(['', 'account_locks']);
    } finally {
      await s.close();
    }
  });

  it('derives writability from the header, lookups, reserved keys and program demotion', () => {
    const prog = testAddress(77);
    // Keys: 0 signer writable, 1 signer read-only, 2 writable unsigned, 3 ComputeBudget (reserved, writable position),
    // 4 `prog` called as a program from a writable position, 5 read-only unsigned. Lookups: 1 writable, 1 read-only.
    const keys = [testSigner(1).publicKey, testSigner(2).publicKey, testAddress(40), COMPUTE_BUDGET, prog, testAddress(41)];
    const build = (extra: Uint8Array[]) => encodeRawTransaction([new Uint8Array(64), new Uint8Array(64)], encodeRawMessage({
      version: 0, header: [2, 1, 1], keys: [...keys.slice(0, 5), ...extra, keys[5]],
      instructions: [{ programIdIndex: 4, accounts: [0, 2] }, { programIdIndex: 3, accounts: [] }],
      lookups: [{ table: TABLE, writable: [5], readonly: [6] }],
    }));
    const locksOf = (packet: Uint8Array) => {
      const p = prepareSolanaPackets([packet], lookupTables);
      expect(p.lockReasons[0]).toBe(0);
      return Array.from(p.locks, (l) => l & 1);
    };
    expect(locksOf(build([]))).toEqual([1, 0, 1, 0, 0, 0, 1, 0]);
    // With the upgradeable loader among the keys (itself reserved, so read-only), the called program keeps its write lock.
    expect(locksOf(build([UPGRADEABLE]))).toEqual([1, 0, 1, 0, 1, 0, 0, 1, 0]);
  });

  it('refuses bad lookup tables before starting anything', async () => {
    await expect(createSolanaStage({ backend: 'cpu', lookupTables: { nope0: [] } })).rejects.toThrow(LookupTableFormatError);
    await expect(createSolanaStage({ backend: 'cpu', lookupTables: { [base58Encode(TABLE)]: ['111'] } })).rejects.toThrow(/expected 32/);
    await expect(createSolanaStage({ backend: 'cpu', batchSize: 0 })).rejects.toThrow(RangeError);
  });

  it('gives the same answers when called again (the key table is reset between calls)', async () => {
    const packets = [transfer(1, testAddress(10)), transfer(3, testAddress(10)), transfer(2, testAddress(11))];
    const first = await stage.process(packets);
    const second = await stage.process(packets);
    expect(second.reasons).toEqual(first.reasons);
    expect(second.batches).toEqual(first.batches);
    expect(first.batches).toEqual([[0, 2], [1]]);
  });

  it('judges small-order and non-canonical signer keys by each rule set (the docs/verification.md oracles)', async () => {
    const packets = signerKeyEdgePackets();
    const seen = new Map<string, string>();
    for (const rules of RULE_SETS) {
      const s = await createSolanaStage({ rules, backend: 'cpu', workers: 2 });
      try {
        const r = await s.process(packets);
        const expected = packets.map((p) => {
          const d = decodeSolanaTransaction(p);
          if (!d.ok) throw new Error(d.detail);
          return d.tx.signatures.every((signature, i) => oracleVerdict({ publicKey: d.tx.staticKeys[i], signature, message: d.tx.message }, rules)) ? 1 : 0;
        });
        expect(Array.from(r.valid), rules).toEqual(expected);
        expect(r.reasons.every((x) => x === '' || x === 'bad_signature')).toBe(true);
        seen.set(rules, expected.join(''));
      } finally {
        await s.close();
      }
    }
    // ref10 takes every small-order key here, solana none of them (otherwise the test shows nothing).
    const smallOrder = seen.get('ref10')!.slice(0, 14);
    expect(smallOrder).toBe('1'.repeat(14));
    expect(seen.get('solana')!.slice(0, 14)).toBe('0'.repeat(14));
    expect(seen.get('solana')!.slice(-4)).toBe('1110');
  });

  it('finds duplicates whatever their alignment in memory (the word-wise hash equals the byte-wise one)', () => {
    const buf = new Uint8Array(6000);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 131 + 7) & 0xff;
    for (let off = 0; off < 12; off++) {
      for (const len of [0, 1, 63, 64, 65, 66, 67, 100, 1232]) expect(hashPacket(buf.subarray(off, off + len), 99)).toBe(hashBytes(buf, off, len, 99));
    }
    const p = transfer(1, testAddress(10));
    const copies = Array.from({ length: 8 }, (_, off) => { const v = buf.subarray(off * 700 + off, off * 700 + off + p.length); v.set(p); return v; });
    const other = p.slice();
    other[other.length - 1] ^= 1;
    const reasons = new Uint8Array(copies.length + 1);
    expect(markDuplicatePackets([other, ...copies], reasons, 9)).toBe(7);
    expect(Array.from(reasons)).toEqual([0, 0, 9, 9, 9, 9, 9, 9, 9]);
  });

  it('tells apart packets that share their first bytes, however many do (and still finds their copies)', () => {
    const p = transfer(1, testAddress(10));
    // 300 distinct packets with one head (count byte and first signature), each twice, the copies later and in another buffer.
    const distinct = Array.from({ length: 300 }, (_, i) => { const v = p.slice(); v[v.length - 1] = i & 0xff; v[v.length - 2] ^= i >> 8; return v; });
    const packets = [...distinct, ...distinct.map((v) => v.slice()).reverse(), p.subarray(0, 64), p.subarray(0, 64).slice(), p.subarray(0, 65)];
    const reasons = new Uint8Array(packets.length);
    expect(markDuplicatePackets(packets, reasons, 9, 0)).toBe(301);
    expect(Array.from(reasons)).toEqual([...new Array(300).fill(0), ...new Array(300).fill(9), 0, 9, 0]);
  });

  it('packs signature i with static key i over the whole signed message, for every line that reached bad_signature', () => {
    const big = signedTransaction({ // a message filling the packet
      signers: [1, 2, 3, 4], others: [SYSTEM], readonlyUnsigned: 1,
      instructions: [{ programIdIndex: 4, accounts: [0, 1, 2, 3], data: new Uint8Array(1232 - 1 - 4 * 64 - 3 - 1 - 5 * 32 - 32 - 1 - 1 - 1 - 4 - 2).fill(9) }],
    });
    expect(big.length).toBe(1232);
    const packets = [transfer(5, testAddress(1)), null, big, transfer(5, testAddress(1)), signedTransaction({ signers: [6, 7], others: [SYSTEM], readonlyUnsigned: 1, instructions: [{ programIdIndex: 2, accounts: [0] }] })];
    const prepared = prepareSolanaPackets(packets);
    const batch = packSolanaSignatures(prepared);
    validateBatch(batch);
    const expected = [0, 2, 4].flatMap((line) => {
      const d = decodeSolanaTransaction(packets[line]!);
      if (!d.ok) throw new Error(d.detail);
      return d.tx.signatures.map((signature, i) => ({ publicKey: d.tx.staticKeys[i], signature, message: d.tx.message }));
    });
    expect(prepared.signatures).toBe(expected.length);
    expect(expected.length).toBe(1 + 4 + 2);
    expected.forEach((e, i) => {
      const item = batchItem(batch, i);
      expect(Buffer.from(item.publicKey).equals(Buffer.from(e.publicKey))).toBe(true);
      expect(Buffer.from(item.signature).equals(Buffer.from(e.signature))).toBe(true);
      expect(Buffer.from(item.message).equals(Buffer.from(e.message))).toBe(true);
    });
  });
});


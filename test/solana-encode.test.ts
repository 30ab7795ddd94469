// The Solana encoder against @solana/kit's own decoders: what we write, the
// kit reads back field for field, and the account flags it implies are the
// ones the instructions asked for.
import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { getAddressDecoder, getAddressEncoder, getCompiledTransactionMessageDecoder, getTransactionDecoder } from '@solana/kit';
import {
  compileSolanaMessage, encodeSolanaMessage, encodeSolanaTransaction, signSolanaTransaction,
  type SolanaInstructionSpec, type SolanaLookupTable,
} from '../src/tx/solana/encode.js';
import { PACKET_DATA_SIZE, decodeSolanaTransaction } from '../src/tx/solana/decode.js';
import { nodeSigner } from '../src/workload/signer-node.js';
import { createPrng } from '../src/workload/prng.js';

const addrDec = getAddressDecoder();
const addrEnc = getAddressEncoder();
const b58 = (k: Uint8Array) => addrDec.decode(k);
const bytesOf = (a: string) => new Uint8Array(addrEnc.encode(a as Parameters<typeof addrEnc.encode>[0]));

function seedOf(n: number): Uint8Array {
  const s = new Uint8Array(32);
  new DataView(s.buffer).setUint32(0, n + 1, true);
  return s;
}
const keyOf = (n: number) => nodeSigner.key(seedOf(n));
const randomBytes = (rng: ReturnType<typeof createPrng>, n: number) => Uint8Array.from({ length: n }, () => rng.below(256));

describe('Solana messages and transactions against @solana/kit', () => {
  it('random legacy and v0 transactions (1-4 signers, lookups, several programs) decode in the kit as built', () => {
    const rng = createPrng('solana-encode');
    const txDecoder = getTransactionDecoder();
    const msgDecoder = getCompiledTransactionMessageDecoder();
    const programs = [new Uint8Array(32), randomBytes(rng, 32), randomBytes(rng, 32)];
    const pool = Array.from({ length: 24 }, () => randomBytes(rng, 32));
    const tables: SolanaLookupTable[] = [
      { address: randomBytes(rng, 32), addresses: pool.slice(0, 10) },
      { address: randomBytes(rng, 32), addresses: pool.slice(8, 20) },
    ];
    for (let t = 0; t < 60; t++) {
      const version = t % 2 === 0 ? 'legacy' as const : 0 as const;
      const nSigners = 1 + (t % 4);
      const signers = Array.from({ length: nSigners }, (_, i) => keyOf(t * 8 + i));
      const wantSigner = new Map<string, boolean>();
      const wantWritable = new Map<string, boolean>();
      const mention = (k: Uint8Array, s: boolean, w: boolean) => {
        const id = b58(k);
        wantSigner.set(id, (wantSigner.get(id) ?? false) || s);
        wantWritable.set(id, (wantWritable.get(id) ?? false) || w);
      };
      mention(signers[0].publicKey, true, true);
      const instructions: SolanaInstructionSpec[] = [];
      const nIx = 1 + rng.below(4);
      for (let i = 0; i < nIx; i++) {
        const accounts = [];
        for (let s = 0; s < nSigners; s++) if (rng.below(2) === 0 || s > 0) accounts.push({ address: signers[s].publicKey, signer: true, writable: s === 0 || rng.below(2) === 0 });
        for (let a = rng.below(5); a > 0; a--) accounts.push({ address: pool[rng.below(pool.length)], signer: false, writable: rng.below(2) === 0 });
        const programId = programs[rng.below(programs.length)];
        for (const a of accounts) mention(a.address, a.signer, a.writable);
        mention(programId, false, false);
        instructions.push({ programId, accounts, data: randomBytes(rng, rng.below(40)) });
      }
      const fields = compileSolanaMessage({
        feePayer: signers[0].publicKey, instructions, recentBlockhash: randomBytes(rng, 32), version,
        lookupTables: version === 0 ? tables : undefined,
      });
      const message = encodeSolanaMessage(fields);
      const position = (k: Uint8Array) => fields.staticKeys.findIndex((s) => b58(s) === b58(k));
      const wire = signSolanaTransaction(message, [...signers].sort((a, b) => position(a.publicKey) - position(b.publicKey)));
      expect(wire.length).toBeLessThanOrEqual(PACKET_DATA_SIZE);

      // Our decoder reads back exactly what was encoded, and re-encoding its parse gives the same bytes.
      const ours = decodeSolanaTransaction(wire);
      if (!ours.ok) throw new Error(`our decoder rejected a built transaction: ${ours.detail}`);
      expect(ours.tx.version).toBe(version);
      expect(ours.tx.header).toEqual(fields.header);
      expect(ours.tx.staticKeys.map(b58)).toEqual(fields.staticKeys.map(b58));
      expect(ours.tx.lookups.map((l) => [b58(l.tableAddress), Array.from(l.writableIndexes), Array.from(l.readonlyIndexes)]))
        .toEqual((fields.lookups ?? []).map((l) => [b58(l.tableAddress), Array.from(l.writableIndexes), Array.from(l.readonlyIndexes)]));
      expect(ours.tx.instructions.map((ix) => [ix.programIdIndex, Array.from(ix.accountIndexes), Array.from(ix.data)]))
        .toEqual(fields.instructions.map((ix) => [ix.programIdIndex, Array.from(ix.accountIndexes), Array.from(ix.data)]));
      expect(ours.tx.message).toEqual(message);
      expect(encodeSolanaMessage({ ...ours.tx, lookups: version === 0 ? ours.tx.lookups : undefined })).toEqual(message);
      expect(encodeSolanaTransaction(ours.tx)).toEqual(wire);

      const decoded = txDecoder.decode(wire);
      expect(new Uint8Array(decoded.messageBytes)).toEqual(message);
      const sigs = Object.entries(decoded.signatures);
      expect(sigs.length).toBe(fields.header.numRequiredSignatures);
      for (const [address, sig] of sigs) expect(ed25519.verify(new Uint8Array(sig!), message, bytesOf(address))).toBe(true);

      const m = msgDecoder.decode(message);
      expect(m.version).toBe(version);
      if (m.version === 1) throw new Error('the kit read a v1 message');
      expect(m.header).toEqual({
        numSignerAccounts: fields.header.numRequiredSignatures,
        numReadonlySignerAccounts: fields.header.numReadonlySigned,
        numReadonlyNonSignerAccounts: fields.header.numReadonlyUnsigned,
      });
      expect(m.staticAccounts).toEqual(fields.staticKeys.map(b58));
      expect(m.lifetimeToken).toBe(b58(fields.recentBlockhash));
      const lookups = version === 0 && 'addressTableLookups' in m ? m.addressTableLookups ?? [] : [];
      expect(lookups.map((l) => [l.lookupTableAddress, [...l.writableIndexes], [...l.readonlyIndexes]]))
        .toEqual((fields.lookups ?? []).map((l) => [b58(l.tableAddress), Array.from(l.writableIndexes), Array.from(l.readonlyIndexes)]));
      if (version === 'legacy') expect(fields.lookups).toBeUndefined();

      // Resolve every index the way docs/solana.md does and check each account's flags.
      const byTable = new Map(tables.map((tb) => [b58(tb.address), tb.addresses]));
      const resolved = [
        ...m.staticAccounts,
        ...lookups.flatMap((l) => l.writableIndexes.map((i) => b58(byTable.get(l.lookupTableAddress)![i]))),
        ...lookups.flatMap((l) => l.readonlyIndexes.map((i) => b58(byTable.get(l.lookupTableAddress)![i]))),
      ];
      expect(new Set(resolved).size).toBe(resolved.length);
      const h = fields.header;
      const nStatic = fields.staticKeys.length;
      const nLookupWritable = lookups.reduce((s, l) => s + l.writableIndexes.length, 0);
      resolved.forEach((id, i) => {
        const signer = i < h.numRequiredSignatures;
        const writable = i < nStatic
          ? i < h.numRequiredSignatures - h.numReadonlySigned || (i >= h.numRequiredSignatures && i < nStatic - h.numReadonlyUnsigned)
          : i < nStatic + nLookupWritable;
        expect([id, signer, writable]).toEqual([id, wantSigner.get(id), wantWritable.get(id)]);
      });
      expect(resolved[0]).toBe(b58(signers[0].publicKey));
      expect(resolved.length).toBe(wantSigner.size);
      // Instructions point at the same accounts and programs, data intact.
      m.instructions.forEach((ix, i) => {
        expect(resolved[ix.programAddressIndex]).toBe(b58(instructions[i].programId));
        expect(ix.programAddressIndex).toBeLessThan(nStatic);
        expect((ix.accountIndices ?? []).map((k) => resolved[k])).toEqual(instructions[i].accounts.map((a) => b58(a.address)));
        expect(new Uint8Array(ix.data ?? new Uint8Array(0))).toEqual(instructions[i].data);
      });
      if (version === 0 && t > 10) expect(resolved.length).toBeGreaterThanOrEqual(nStatic);
    }
  });

  it('v0 messages use lookups at all, and signers and programs never come from a table', () => {
    const payer = keyOf(1);
    const program = new Uint8Array(32).fill(9);
    const table: SolanaLookupTable = { address: new Uint8Array(32).fill(7), addresses: [payer.publicKey, program, new Uint8Array(32).fill(3), new Uint8Array(32).fill(4)] };
    const fields = compileSolanaMessage({
      feePayer: payer.publicKey, version: 0, recentBlockhash: new Uint8Array(32), lookupTables: [table],
      instructions: [{ programId: program, data: new Uint8Array(0), accounts: [
        { address: new Uint8Array(32).fill(4), signer: false, writable: false },
        { address: new Uint8Array(32).fill(3), signer: false, writable: true },
      ] }],
    });
    expect(fields.staticKeys.map((k) => k[0])).toEqual([payer.publicKey[0], 9]);
    expect(fields.lookups).toEqual([{ tableAddress: table.address, writableIndexes: [2], readonlyIndexes: [3] }]);
    // Resolved: payer, program, then the table's writable (index 2), then read-only (index 3).
    expect(Array.from(fields.instructions[0].accountIndexes)).toEqual([3, 2]);
    expect(fields.instructions[0].programIdIndex).toBe(1);
  });

  it('refuses what no message can say: lookups in a legacy message, more than 256 accounts', () => {
    const payer = new Uint8Array(32).fill(1);
    const table = { address: new Uint8Array(32).fill(2), addresses: [new Uint8Array(32).fill(3)] };
    expect(() => compileSolanaMessage({ feePayer: payer, version: 'legacy', recentBlockhash: new Uint8Array(32), instructions: [], lookupTables: [table] })).toThrow(/v0/);
    const many = Array.from({ length: 256 }, (_, i) => ({ address: Uint8Array.from({ length: 32 }, (_, j) => (j === 0 ? i : j === 1 ? i >> 8 : 7)), signer: false, writable: false }));
    expect(() => compileSolanaMessage({ feePayer: payer, version: 'legacy', recentBlockhash: new Uint8Array(32), instructions: [{ programId: new Uint8Array(32), accounts: many, data: new Uint8Array(0) }] }))
      .toThrow(/at most 256 accounts, this one 258/);
    expect(() => compileSolanaMessage({ feePayer: new Uint8Array(31), version: 0, recentBlockhash: new Uint8Array(32), instructions: [] })).toThrow(/32 bytes/);
  });

  it('writes what it is given, even messages sanitize rejects; throws only for what the wire cannot carry', () => {
    const base = {
      version: 'legacy' as const, header: { numRequiredSignatures: 3, numReadonlySigned: 5, numReadonlyUnsigned: 0 },
      staticKeys: [new Uint8Array(32)], recentBlockhash: new Uint8Array(32),
      instructions: [{ programIdIndex: 200, accountIndexes: [250], data: new Uint8Array(0) }],
    };
    const m = encodeSolanaMessage(base);
    expect([...m.subarray(0, 4)]).toEqual([3, 5, 0, 1]);
    expect(m.length).toBe(3 + 1 + 32 + 32 + 1 + 1 + 1 + 1 + 1);
    expect(encodeSolanaMessage({ ...base, version: 0 })[0]).toBe(0x80);
    expect(encodeSolanaMessage({ ...base, version: 0 }).at(-1)).toBe(0); // no lookups
    expect(() => encodeSolanaMessage({ ...base, staticKeys: [new Uint8Array(31)] })).toThrow(/account key must be 32 bytes/);
    expect(() => encodeSolanaMessage({ ...base, header: { ...base.header, numReadonlySigned: 256 } })).toThrow(/numReadonlySigned/);
    expect(() => encodeSolanaMessage({ ...base, instructions: [{ programIdIndex: 0, accountIndexes: [256], data: new Uint8Array(0) }] })).toThrow(/account index/);
    expect(() => encodeSolanaMessage({ ...base, lookups: [{ tableAddress: new Uint8Array(32), writableIndexes: [0], readonlyIndexes: [] }] })).toThrow(/legacy/);
    const tx = encodeSolanaTransaction({ signatures: [new Uint8Array(64).fill(1), new Uint8Array(64).fill(2)], message: m });
    expect(tx[0]).toBe(2);
    expect(tx.length).toBe(1 + 128 + m.length);
    expect(() => encodeSolanaTransaction({ signatures: [new Uint8Array(63)], message: m })).toThrow(/64 bytes/);
    // 200 signatures: a two-byte count.
    expect([...encodeSolanaTransaction({ signatures: Array.from({ length: 200 }, () => new Uint8Array(64)), message: m }).subarray(0, 2)]).toEqual([0xc8, 0x01]);
  });
});

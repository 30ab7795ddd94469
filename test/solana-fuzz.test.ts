// Fuzzing the Solana parser and the CPU stage: seeded mutations of good
// packets (legacy, v0 with lookups, multi-signer) and packet-sized random
// bytes. Never a throw; every packet gets ok or a reason; a packet that
// decodes re-encodes to exactly its bytes (so every accepted encoding is the
// canonical one); the prepared stage's batches hold exactly the valid lines.
import { describe, expect, it } from 'vitest';
import { finishSolanaPackets, prepareSolanaPackets, SOLANA_REASONS } from '../src/solana/stage.js';
import { base58Encode } from '../src/tx/solana/base58.js';
import { decodeSolanaTransaction, PACKET_DATA_SIZE } from '../src/tx/solana/decode.js';
import { encodeSolanaMessage, encodeSolanaTransaction } from '../src/tx/solana/encode.js';
import { createPrng } from '../src/workload/prng.js';
import { expectCleanOutcome, mutate } from './support/fuzz.js';
import { signedTransaction, SYSTEM_PROGRAM as SYSTEM, systemTransfer, testAddress } from './support/solana-packets.js';

const TABLE = testAddress(77);
const lookupTables = { [base58Encode(TABLE)]: Array.from({ length: 8 }, (_, i) => base58Encode(testAddress(100 + i))) };

const corpus = [
  systemTransfer(1, testAddress(2), 9),
  signedTransaction({ signers: [1, 2, 3], readonlySigned: 1, others: [testAddress(5), SYSTEM], readonlyUnsigned: 1, instructions: [{ programIdIndex: 4, accounts: [0, 3] }, { programIdIndex: 4, accounts: [1, 2], data: Uint8Array.of(1) }] }),
  signedTransaction({ signers: [4], others: [SYSTEM], readonlyUnsigned: 1, version: 0, instructions: [{ programIdIndex: 1, accounts: [0, 2, 3, 4] }], lookups: [{ table: TABLE, writable: [0, 1], readonly: [7] }] }),
  signedTransaction({ signers: [5, 6], others: [testAddress(9), SYSTEM], readonlyUnsigned: 1, version: 0, instructions: [{ programIdIndex: 3, accounts: [0, 1, 4], data: new Uint8Array(40) }], lookups: [{ table: TABLE, writable: [], readonly: [2, 3] }, { table: testAddress(78), writable: [0], readonly: [] }] }),
];

describe('Solana fuzz', () => {
  it('6,000 mutated packets and 1,000 random ones: a clean outcome for each, canonical re-encoding', () => {
    const seed = 'solana-decode';
    const packets: Uint8Array[] = [];
    for (const c of mutate({ seed, corpus, count: 6000, maxLength: PACKET_DATA_SIZE + 64 })) {
      const r = expectCleanOutcome(() => decodeSolanaTransaction(c.input), () => false, c, seed);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const d = r.value;
      if (d.ok) {
        const again = encodeSolanaTransaction({ signatures: d.tx.signatures, message: encodeSolanaMessage(d.tx) });
        expect(Buffer.from(again).equals(Buffer.from(c.input)), `case ${c.index}: ${c.steps.join('; ')}`).toBe(true);
      } else {
        expect(['malformed', 'sanitize']).toContain(d.reason);
        expect(d.detail.length).toBeGreaterThan(0);
      }
      packets.push(c.input);
    }
    const rng = createPrng('solana-random-packets');
    for (let i = 0; i < 1000; i++) {
      const p = new Uint8Array(i === 0 ? PACKET_DATA_SIZE : rng.below(PACKET_DATA_SIZE + 1));
      for (let j = 0; j < p.length; j++) p[j] = rng.below(256);
      const d = decodeSolanaTransaction(p);
      expect(d.ok ? 'ok' : d.reason).toMatch(/^(ok|malformed|sanitize)$/);
      packets.push(p);
    }
    // The CPU stage over all of them (every signature taken as valid): reasons from the table, batches = valid lines.
    const prepared = prepareSolanaPackets([...packets, ...corpus, null], lookupTables);
    const finished = finishSolanaPackets(prepared, new Uint8Array(prepared.signatures).fill(1), 7);
    for (const reason of finished.reasons) expect(SOLANA_REASONS).toContain(reason);
    const valid = finished.reasons.flatMap((r, i) => (r === '' ? [i] : []));
    expect(finished.batches.flat().sort((a, b) => a - b)).toEqual(valid);
    expect(finished.reasons.filter((r) => r === 'duplicate').length).toBeGreaterThan(0);
    const counts = new Map<string, number>();
    for (const r of finished.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    // The mutations reach every stage of the table.
    for (const r of ['', 'malformed', 'sanitize', 'duplicate', 'address_lookup']) expect(counts.get(r) ?? 0, `reason ${JSON.stringify(r)}`).toBeGreaterThan(0);
  });
});

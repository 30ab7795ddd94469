// The Solana packet parser: compact-u16, base58, layout, and every reason of
// the malformed/sanitize table on crafted packets.
import { describe, expect, it } from 'vitest';
import {
  COMPACT_U16_NON_CANONICAL, COMPACT_U16_OVERFLOW, COMPACT_U16_TRUNCATED, encodeCompactU16, readCompactU16,
} from '../src/tx/solana/compact-u16.js';
import { base58Decode, base58DecodeAddress, base58Encode } from '../src/tx/solana/base58.js';
import {
  decodeSolanaTransaction, E_ACCOUNT_INDEX, E_BAD_VERSION, E_EMPTY_LOOKUP, E_HEADER_EXCEEDS_KEYS, E_NO_WRITABLE_SIGNER,
  E_NON_CANONICAL_U16, E_OVERSIZE, E_PROGRAM_INDEX, E_SIGNATURE_COUNT, E_SIGNATURES_EXCEED_KEYS, E_TOO_MANY_KEYS,
  E_TRAILING_BYTES, E_U16_OVERFLOW, PACKET_DATA_SIZE, type DecodeResult,
} from '../src/tx/solana/decode.js';
import { encodeRawMessage, encodeRawTransaction, signedTransaction, testAddress, testSigner, withOverlongCompactU16, type RawMessage } from './support/solana-packets.js';

const code = (r: DecodeResult) => (r.ok ? 0 : r.code);
const reason = (r: DecodeResult) => (r.ok ? 'ok' : r.reason);
const sig = (n: number) => new Uint8Array(64).fill(n);

describe('compact-u16', () => {
  it('reads every value 0..65535 from its canonical encoding, with its length', () => {
    for (let v = 0; v <= 0xffff; v++) {
      const enc = encodeCompactU16(v);
      const r = readCompactU16(enc, 0);
      expect(r & 0xffff).toBe(v);
      expect(r >>> 16).toBe(enc.length);
    }
    expect([...encodeCompactU16(0x7f)]).toEqual([0x7f]);
    expect([...encodeCompactU16(0x80)]).toEqual([0x80, 0x01]);
    expect([...encodeCompactU16(0x3fff)]).toEqual([0xff, 0x7f]);
    expect([...encodeCompactU16(0x4000)]).toEqual([0x80, 0x80, 0x01]);
    expect([...encodeCompactU16(0xffff)]).toEqual([0xff, 0xff, 0x03]);
  });
  it('refuses over-long encodings, values above 65535, a continuing third byte, and truncation', () => {
    expect(readCompactU16(Uint8Array.of(0x80, 0x00), 0)).toBe(COMPACT_U16_NON_CANONICAL);
    expect(readCompactU16(Uint8Array.of(0x81, 0x80, 0x00), 0)).toBe(COMPACT_U16_NON_CANONICAL);
    expect(readCompactU16(Uint8Array.of(0xff, 0xff, 0x04), 0)).toBe(COMPACT_U16_OVERFLOW);
    expect(readCompactU16(Uint8Array.of(0x80, 0x80, 0x80, 0x00), 0)).toBe(COMPACT_U16_OVERFLOW);
    expect(readCompactU16(Uint8Array.of(0x80), 0)).toBe(COMPACT_U16_TRUNCATED);
    expect(readCompactU16(Uint8Array.of(0x80, 0x80), 0)).toBe(COMPACT_U16_TRUNCATED);
    expect(readCompactU16(new Uint8Array(0), 0)).toBe(COMPACT_U16_TRUNCATED);
    // Reading stops at `end`, not at the array's end.
    expect(readCompactU16(Uint8Array.of(0x80, 0x01), 0, 1)).toBe(COMPACT_U16_TRUNCATED);
    expect(() => encodeCompactU16(0x10000)).toThrow(RangeError);
  });
});

describe('base58', () => {
  it('round-trips and knows the system program and leading zeros', () => {
    expect(base58Encode(new Uint8Array(32))).toBe('11111111111111111111111111111111');
    expect([...base58Decode('11111111111111111111111111111111')]).toEqual(new Array(32).fill(0));
    // A well-known address: the Vote program, 0x0761481d...
    expect(base58DecodeAddress('Vote111111111111111111111111111111111111111')[0]).toBe(0x07);
    for (let seed = 0; seed < 200; seed++) {
      const bytes = Uint8Array.from({ length: seed % 40 }, (_, i) => (i < seed % 3 ? 0 : (seed * 31 + i * 7) & 0xff));
      expect([...base58Decode(base58Encode(bytes))]).toEqual([...bytes]);
    }
    expect(() => base58Decode('0OIl')).toThrow(SyntaxError);
    expect(() => base58DecodeAddress('1111')).toThrow(/expected 32/);
  });
});

function message(overrides: Partial<RawMessage> = {}): RawMessage {
  return {
    header: [1, 0, 1],
    keys: [testSigner(1).publicKey, testAddress(2), new Uint8Array(32)],
    instructions: [{ programIdIndex: 2, accounts: [0, 1], data: Uint8Array.of(2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0) }],
    ...overrides,
  };
}
const packet = (m: RawMessage, sigs = m.header[0]) => encodeRawTransaction(Array.from({ length: sigs }, (_, i) => sig(i + 1)), encodeRawMessage(m));

describe('decodeSolanaTransaction', () => {
  it('decodes a legacy transfer into views of the packet', () => {
    const bytes = signedTransaction({ signers: [1], others: [testAddress(2), new Uint8Array(32)], readonlyUnsigned: 1, instructions: [{ programIdIndex: 2, accounts: [0, 1], data: Uint8Array.of(9, 9) }] });
    const r = decodeSolanaTransaction(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { tx } = r;
    expect(tx.version).toBe('legacy');
    expect(tx.signatures).toHaveLength(1);
    expect(tx.signatures[0].buffer).toBe(bytes.buffer);
    expect(tx.message.byteOffset).toBe(1 + 64);
    expect(tx.header).toEqual({ numRequiredSignatures: 1, numReadonlySigned: 0, numReadonlyUnsigned: 1 });
    expect(tx.staticKeys.map((k) => base58Encode(k))).toEqual([base58Encode(testSigner(1).publicKey), base58Encode(testAddress(2)), '11111111111111111111111111111111']);
    expect(tx.instructions).toHaveLength(1);
    expect(tx.instructions[0].programIdIndex).toBe(2);
    expect([...tx.instructions[0].accountIndexes]).toEqual([0, 1]);
    expect([...tx.instructions[0].data]).toEqual([9, 9]);
    expect(tx.lookups).toEqual([]);
  });

  it('decodes a v0 message with lookups; the signed message starts at the version byte', () => {
    const table = testAddress(99);
    const m = message({ version: 0, lookups: [{ table, writable: [3, 1], readonly: [0] }], instructions: [{ programIdIndex: 2, accounts: [0, 3, 4, 5] }] });
    const bytes = packet(m);
    const r = decodeSolanaTransaction(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.tx.version).toBe(0);
    expect(r.tx.message[0]).toBe(0x80);
    expect(r.tx.lookups).toHaveLength(1);
    expect([...r.tx.lookups[0].tableAddress]).toEqual([...table]);
    expect([...r.tx.lookups[0].writableIndexes]).toEqual([3, 1]);
    expect([...r.tx.lookups[0].readonlyIndexes]).toEqual([0]);
  });

  it('gives malformed for oversize, trailing bytes, bad versions and bad compact-u16', () => {
    const good = packet(message());
    expect(code(decodeSolanaTransaction(good))).toBe(0);
    const big = new Uint8Array(PACKET_DATA_SIZE + 1);
    big.set(good);
    expect(code(decodeSolanaTransaction(big))).toBe(E_OVERSIZE);
    const trailing = new Uint8Array(good.length + 1);
    trailing.set(good);
    expect(code(decodeSolanaTransaction(trailing))).toBe(E_TRAILING_BYTES);
    for (const v of [1, 2, 127]) expect(code(decodeSolanaTransaction(packet(message({ version: v }))))).toBe(E_BAD_VERSION);
    // Signature count 1 written over-long as 0x81 0x00.
    const overlong = new Uint8Array(good.length + 1);
    overlong.set([0x81, 0x00]);
    overlong.set(good.subarray(1), 2);
    expect(code(decodeSolanaTransaction(overlong))).toBe(E_NON_CANONICAL_U16);
    expect(code(decodeSolanaTransaction(Uint8Array.of(0xff, 0xff, 0x04)))).toBe(E_U16_OVERFLOW);
    // Every proper prefix is truncated.
    for (let n = 0; n < good.length; n++) expect(reason(decodeSolanaTransaction(good.subarray(0, n)))).toBe('malformed');
  });

  it('gives sanitize, in order, for each inconsistency of a fully parsed packet', () => {
    const table = testAddress(50);
    const cases: [RawMessage, number, number][] = [
      [message(), 2, E_SIGNATURE_COUNT],
      [message(), 0, E_SIGNATURE_COUNT],
      [message({ header: [4, 0, 0] }), 4, E_SIGNATURES_EXCEED_KEYS],
      [message({ header: [0, 0, 0] }), 0, E_NO_WRITABLE_SIGNER],
      [message({ header: [1, 1, 0] }), 1, E_NO_WRITABLE_SIGNER],
      [message({ header: [2, 0, 2] }), 2, E_HEADER_EXCEEDS_KEYS],
      [message({ version: 0, lookups: [{ table, writable: Array.from({ length: 254 }, (_, i) => i & 0xff), readonly: [] }] }), 1, E_TOO_MANY_KEYS],
      [message({ instructions: [{ programIdIndex: 0, accounts: [] }] }), 1, E_PROGRAM_INDEX],
      [message({ instructions: [{ programIdIndex: 3, accounts: [] }] }), 1, E_PROGRAM_INDEX],
      [message({ instructions: [{ programIdIndex: 2, accounts: [3] }] }), 1, E_ACCOUNT_INDEX],
      [message({ version: 0, lookups: [{ table, writable: [0], readonly: [] }], instructions: [{ programIdIndex: 2, accounts: [4] }] }), 1, E_ACCOUNT_INDEX],
      [message({ version: 0, lookups: [{ table, writable: [], readonly: [] }] }), 1, E_EMPTY_LOOKUP],
    ];
    for (const [m, sigs, expected] of cases) {
      const r = decodeSolanaTransaction(packet(m, sigs));
      expect(r.ok ? 'ok' : `${r.reason}:${r.code}`).toBe(`sanitize:${expected}`);
    }
    // At the limits: 256 keys in all, the last index reachable, a program at the last static key.
    const edge = message({ version: 0, lookups: [{ table, writable: Array.from({ length: 253 }, (_, i) => i & 0xff), readonly: [] }], instructions: [{ programIdIndex: 2, accounts: [255] }] });
    expect(code(decodeSolanaTransaction(packet(edge)))).toBe(0);
  });

  it('prefers malformed over sanitize: a truncated packet with a wrong signature count is malformed', () => {
    const p = packet(message(), 2);
    expect(code(decodeSolanaTransaction(p))).toBe(E_SIGNATURE_COUNT);
    expect(reason(decodeSolanaTransaction(p.subarray(0, p.length - 1)))).toBe('malformed');
  });

  it('refuses an over-long compact-u16 in every position, and every truncation, of v0 and multi-signer packets', () => {
    const table = testAddress(60);
    const v0 = message({
      version: 0, header: [2, 1, 1], keys: [testSigner(1).publicKey, testSigner(2).publicKey, testAddress(3), new Uint8Array(32)],
      instructions: [{ programIdIndex: 3, accounts: [0, 1, 4, 5, 6], data: new Uint8Array(130) }, { programIdIndex: 2, accounts: [] }],
      lookups: [{ table, writable: [1, 2], readonly: [3] }, { table: testAddress(61), writable: [], readonly: [0] }],
    });
    const good = packet(v0);
    expect(code(decodeSolanaTransaction(good))).toBe(0);
    const { count } = withOverlongCompactU16(-1, () => packet(v0));
    expect(count).toBe(1 + 1 + 2 * 2 + 1 + 2 * 2 + 1); // keys, instructions, 2 × (accounts, data), lookups, 2 × 2 index lists, signatures
    for (let i = 0; i < count; i++) {
      // packet() encodes the message first, then the signature count.
      const bad = withOverlongCompactU16(i, () => packet(v0)).value;
      expect(bad.length).toBe(good.length + 1);
      expect(code(decodeSolanaTransaction(bad)), `compact-u16 #${i}`).toBe(E_NON_CANONICAL_U16);
    }
    for (let n = 0; n < good.length; n++) expect(reason(decodeSolanaTransaction(good.subarray(0, n))), `prefix ${n}`).toBe('malformed');
    for (const extra of [Uint8Array.of(0), Uint8Array.of(0x80), new Uint8Array(64)]) {
      const longer = new Uint8Array(good.length + extra.length);
      longer.set(good);
      longer.set(extra, good.length);
      expect(code(decodeSolanaTransaction(longer))).toBe(E_TRAILING_BYTES);
    }
  });

  it('never throws on any byte at any position of a good packet', () => {
    const good = packet(message({ version: 0, lookups: [{ table: testAddress(5), writable: [0], readonly: [] }] }));
    for (let at = 0; at < good.length; at++) {
      for (const b of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
        const p = good.slice();
        p[at] = b;
        const r = decodeSolanaTransaction(p);
        expect(r.ok || (r.reason === 'malformed' || r.reason === 'sanitize')).toBe(true);
      }
    }
  });
});


import { describe, expect, it } from 'vitest';
import { TRANSACTION_FORMATS, transactionFormat } from '../src/tx/index.js';
import {
  TX_AMOUNT_OFFSET, TX_FROM_OFFSET, TX_NONCE_OFFSET, TX_SIZE, TX_TO_OFFSET, decodeTransaction, encodeTransaction, isWellFormed,
} from '../src/tx/v1/index.js';

const key = (b: number) => new Uint8Array(32).fill(b);

describe('transaction formats', () => {
  it('the table finds formats by name and nothing else', () => {
    expect(transactionFormat('v1')).toBe(TRANSACTION_FORMATS.v1);
    expect(transactionFormat('v1')?.name).toBe('v1');
    expect(transactionFormat('toString')).toBeUndefined();
    expect(transactionFormat('nope')).toBeUndefined();
    for (const [name, f] of Object.entries(TRANSACTION_FORMATS)) expect(f.name).toBe(name);
  });

  it('solana is registered: a bad packet gets a reason, never an exception', () => {
    const f = transactionFormat('solana')!;
    expect(f.name).toBe('solana');
    expect(f.maxSize).toBe(1232);
    for (const bytes of [new Uint8Array(0), Uint8Array.of(1), new Uint8Array(1233), Uint8Array.of(0, 0, 0, 0)]) {
      const r = f.decode(bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['malformed', 'sanitize']).toContain(r.reason);
    }
  });

  it('v1: fields sit at the docs/transactions.md offsets and decode back', () => {
    const sig = Uint8Array.from({ length: 64 }, (_, i) => i);
    const bytes = encodeTransaction({ signature: sig, from: key(7), to: key(9), amount: 0x0102030405060708n, nonce: 42n });
    expect(bytes.length).toBe(TX_SIZE);
    expect(bytes[64]).toBe(1);
    expect([...bytes.subarray(TX_FROM_OFFSET, TX_FROM_OFFSET + 32)]).toEqual([...key(7)]);
    expect([...bytes.subarray(TX_TO_OFFSET, TX_TO_OFFSET + 32)]).toEqual([...key(9)]);
    expect(bytes[TX_AMOUNT_OFFSET]).toBe(8); // little-endian
    expect(bytes[TX_NONCE_OFFSET]).toBe(42);
    expect([TX_FROM_OFFSET, TX_TO_OFFSET, TX_AMOUNT_OFFSET, TX_NONCE_OFFSET]).toEqual([65, 97, 129, 137]);
    const tx = decodeTransaction(bytes)!;
    expect(tx.amount).toBe(0x0102030405060708n);
    expect(tx.nonce).toBe(42n);
    const r = TRANSACTION_FORMATS.v1.decode(bytes);
    expect(r.ok).toBe(true);
  });

  it('v1: a bad record gets a reason, never an exception', () => {
    const good = encodeTransaction({ signature: new Uint8Array(64), from: key(1), to: key(2), amount: 1n, nonce: 0n });
    const wrongVersion = good.slice();
    wrongVersion[64] = 2;
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /0 bytes, expected 145/],
      [good.subarray(0, 144), /144 bytes/],
      [Uint8Array.of(...good, 0), /146 bytes/],
      [wrongVersion, /version 2, expected 1/],
    ];
    for (const [bytes, detail] of cases) {
      const r = TRANSACTION_FORMATS.v1.decode(bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) { expect(r.reason).toBe('malformed'); expect(r.detail).toMatch(detail); }
      expect(isWellFormed(bytes)).toBe(false);
    }
    expect(isWellFormed(Uint8Array.of(0, ...good, 0), 1, 1 + TX_SIZE)).toBe(true);
  });
});

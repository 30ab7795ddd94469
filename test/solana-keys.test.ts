// The key table behind account locks and batches: ids in first-seen order,
// find/intern/truncate exact under growth and under total hash collisions
// (an all-zero tabulation table puts every key in one probe chain).
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../src/tx/solana/key-table.js';
import { createRng } from './support/ed25519-cases.js';

function check(table: KeyTable, keys: Uint8Array[]) {
  // Packed into one buffer at odd offsets, as keys sit inside packets.
  const packed = new Uint8Array(1 + 32 * keys.length);
  keys.forEach((k, i) => packed.set(k, 1 + 32 * i));
  const ids = keys.map((_, i) => table.intern(packed, 1 + 32 * i));
  const firstSeen = new Map<string, number>();
  keys.forEach((k, i) => { const hex = Buffer.from(k).toString('hex'); if (!firstSeen.has(hex)) firstSeen.set(hex, firstSeen.size); expect(ids[i]).toBe(firstSeen.get(hex)); });
  expect(table.count).toBe(firstSeen.size);
  keys.forEach((k, i) => { expect(table.find(k, 0)).toBe(ids[i]); expect(Array.from(table.key(ids[i]))).toEqual(Array.from(k)); });
  // Truncate to half: the older ids stay findable, the newer are gone, and re-interning gives new ids in order.
  const half = Math.floor(table.count / 2);
  table.truncate(half);
  expect(table.count).toBe(half);
  keys.forEach((k, i) => expect(table.find(k, 0)).toBe(ids[i] < half ? ids[i] : -1));
  keys.forEach((k, i) => expect(table.intern(k, 0)).toBe(ids[i]));
}

describe('KeyTable', () => {
  const rng = createRng(77);
  // Random keys with many repeats and near-identical ones (one bit apart).
  const keys: Uint8Array[] = [];
  for (let i = 0; i < 3000; i++) {
    if (keys.length && rng.int(3) === 0) { keys.push(keys[rng.int(keys.length)]); continue; }
    const k = rng.bytes(32);
    keys.push(k);
    const near = k.slice();
    near[rng.int(32)] ^= 1 << rng.int(8);
    keys.push(near);
  }
  it('interns, finds and truncates exactly while growing from a small capacity', () => check(new KeyTable(16), keys));
  it('stays exact when every key hashes alike', () => check(new KeyTable(16, new Int32Array(32 * 256)), keys.slice(0, 700)));
});

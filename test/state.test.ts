// Account state, genesis errors, and the incremental state root (CPU and
// WebGPU trees) against a from-scratch RFC 6962 root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountState, ACCOUNT_BYTES } from '../src/state/account-state.js';
import { GenesisFormatError, loadGenesis, parseGenesis } from '../src/state/genesis.js';
import { createStateRoot } from '../src/state/state-root.js';
import { decodeBlock } from '../src/exec/decode.js';
import { executeSequential } from '../src/exec/executor.js';
import { seededRandom, syntheticBlock, syntheticGenesis, syntheticKey } from '../src/exec/synthetic.js';
import { writeTransfer } from '../src/tx/v1/index.js';
import { createIncrementalMerkleTree } from '../src/merkle/incremental.js';
import { merkleRoot } from '../src/merkle/reference.js';
import { acquireGpu, type GpuContext } from '../src/gpu/device.js';
import { toHex } from '../src/hex.js';
import { TX_SIZE } from '../src/tx/v1/index.js';
import { U64_MAX, oracleRoot } from './support/exec-model.js';

const key = (b: number) => toHex(new Uint8Array(32).fill(b));
const doc = (accounts: unknown) => JSON.stringify({ accounts });

describe('genesis (docs/transactions.md)', () => {
  it('loads accounts in file order with nonce 0', () => {
    const state = loadGenesis(doc([{ key: key(1), balance: '5' }, { key: key(2).toUpperCase(), balance: U64_MAX.toString() }, { key: key(3), balance: '0' }]));
    expect(state.count).toBe(3);
    expect(state.account(1)).toEqual({ key: new Uint8Array(32).fill(2), balance: U64_MAX, nonce: 0n });
    expect(state.slotOf(new Uint8Array(32).fill(3))).toBe(2);
    expect(state.slotOf(new Uint8Array(32).fill(4))).toBe(-1);
    // leaf layout: key || balance LE || nonce LE
    expect(toHex(state.allLeaves().subarray(0, 48))).toBe(`${key(1)}0500000000000000${'00'.repeat(8)}`);
  });

  it('accepts an empty account list', () => {
    expect(loadGenesis(doc([])).count).toBe(0);
  });

  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{"accounts": [', /g\.json: not JSON/],
    ['a misspelt accounts field', '{"account": []}', /g\.json: unknown field "account" \(expected "accounts"\)/],
    ['no accounts field', '{}', /g\.json: missing "accounts"/],
    ['accounts not an array', '{"accounts": {}}', /"accounts" must be an array/],
    // Issue 10 #7: JSON that means two things.
    ['"accounts" twice', `{"accounts": [{"key": "${key(1)}", "balance": "1"}],\n "accounts": []}`, /g\.json: duplicate key "accounts" at line 2 column 2/],
    ['"balance" twice', `{"accounts": [\n{"key": "${key(1)}", "balance": "1", "balance": "2"}]}`, /g\.json: duplicate key "balance" at line 2 column 93/],
    ['an unknown top-level field', `{"accounts": [], "version": 2}`, /g\.json: unknown field "version"/],
    // Issue 10 #9: a huge balance is named, not printed.
    ['a 100,000-digit balance', doc([{ key: key(1), balance: '9'.repeat(100_000) }]), /^g\.json: account 0: balance "?9{40}.*\(100000 characters\) is outside u64.{0,60}$/],
    ['an array at the top', '[]', /expected an object/],
    ['a key of 63 hex digits', doc([{ key: key(1).slice(1), balance: '1' }]), /account 0: key must be 64 hex digits/],
    ['a non-hex key', doc([{ key: key(1), balance: '1' }, { key: `zz${key(1).slice(2)}`, balance: '1' }]), /account 1: key must be 64 hex digits/],
    ['a missing key', doc([{ balance: '1' }]), /account 0: key must be 64 hex digits, got undefined/],
    ['a balance as a JSON number', doc([{ key: key(1), balance: 1 }]), /account 0: balance must be a decimal string, got 1/],
    ['a negative balance', doc([{ key: key(1), balance: '-1' }]), /account 0: balance must be a decimal string/],
    ['an exponent', doc([{ key: key(1), balance: '1e3' }]), /balance must be a decimal string/],
    ['an empty balance', doc([{ key: key(1), balance: '' }]), /balance must be a decimal string/],
    ['a balance of 2^64', doc([{ key: key(1), balance: '0' }, { key: key(2), balance: '18446744073709551616' }]), /account 1: balance 18446744073709551616 is outside u64/],
    ['a duplicate key (any case)', doc([{ key: key(1), balance: '1' }, { key: key(0xab), balance: '1' }, { key: key(0xab).toUpperCase(), balance: '2' }]), /duplicate key (ab){32} at accounts 1 and 2/],
    ['an unknown field', doc([{ key: key(1), balance: '1', nonce: '3' }]), /account 0: unknown field "nonce"/],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => parseGenesis(text, 'g.json')).toThrow(GenesisFormatError);
      expect(() => parseGenesis(text, 'g.json')).toThrow(message);
    });
  }
});

describe('AccountState', () => {
  it('grows by doubling and keeps every lookup, including keys that share long prefixes', () => {
    const state = new AccountState(16);
    const keys: Uint8Array[] = [];
    for (let i = 0; i < 5000; i++) {
      const k = new Uint8Array(32).fill(7);
      k[31] = i & 0xff; k[30] = i >> 8; // differ only in the last two bytes
      keys.push(k);
      state.append(k, BigInt(i));
    }
    expect(state.capacity).toBeGreaterThanOrEqual(5000);
    expect(state.generation).toBeGreaterThan(0);
    keys.forEach((k, i) => expect(state.slotOf(k)).toBe(i));
    expect(state.account(4999).balance).toBe(4999n);
    expect(() => state.append(keys[3], 1n)).toThrow(/already exists/);
    expect(() => state.append(new Uint8Array(32), U64_MAX + 1n)).toThrow(/outside u64/);
    expect(() => state.account(5000)).toThrow(/no account in slot 5000/);
  });

  it('a clone is independent', () => {
    const a = new AccountState(4);
    a.append(new Uint8Array(32).fill(1), 10n);
    const b = a.clone();
    b.append(new Uint8Array(32).fill(2), 20n);
    expect(a.count).toBe(1);
    expect(b.count).toBe(2);
    expect(a.slotOf(new Uint8Array(32).fill(2))).toBe(-1);
    expect(b.slotOf(new Uint8Array(32).fill(1))).toBe(0);
  });
});

describe('incremental state root == from-scratch root', () => {
  let gpu: GpuContext;
  beforeAll(async () => { gpu = await acquireGpu(); });
  afterAll(() => gpu?.destroy());

  it('CPU and WebGPU trees over blocks of updates and creations', async () => {
    const accounts = 300;
    const state = loadGenesis(JSON.stringify({ accounts: syntheticGenesis(accounts, 5, 1000n).map((a) => ({ key: toHex(a.key), balance: a.balance.toString() })) }));
    const cpu = await createStateRoot(state, await createIncrementalMerkleTree({ backend: 'cpu', leafSize: ACCOUNT_BYTES }));
    const webgpu = await createStateRoot(state, await createIncrementalMerkleTree({ backend: 'webgpu', leafSize: ACCOUNT_BYTES, device: gpu }));
    expect(webgpu.tree.backend).toBe('webgpu');
    const check = async () => {
      const full = toHex(oracleRoot(state.allLeaves(), ACCOUNT_BYTES));
      expect(toHex(merkleRoot({ data: state.allLeaves(), offsets: Uint32Array.from({ length: state.count + 1 }, (_, i) => i * ACCOUNT_BYTES) }))).toBe(full);
      expect(toHex(await cpu.root())).toBe(full);
      expect(toHex(await webgpu.root())).toBe(full);
    };
    await check();
    const nonces = new Map<number, bigint>();
    const rnd = seededRandom(77);
    for (let b = 0; b < 5; b++) {
      const base = syntheticBlock({ pattern: b % 2 ? 'hot' : 'uniform', accounts, transactions: 150, seed: 5 }, nonces, b);
      // append transfers to fresh keys (a varying number, so the tree size crosses powers of two)
      const fresh = Math.floor(rnd() * 90) + 1;
      const bytes = new Uint8Array(base.bytes.length + fresh * TX_SIZE);
      bytes.set(base.bytes);
      const offsets = new Uint32Array(base.count + fresh + 1);
      offsets.set(base.offsets);
      for (let i = 0; i < fresh; i++) {
        const from = Math.floor(rnd() * accounts);
        const nonce = nonces.get(from) ?? 0n;
        nonces.set(from, nonce + 1n);
        writeTransfer(bytes, (base.count + i) * TX_SIZE, syntheticKey(5, from), syntheticKey(6, b * 1000 + i), 1n, nonce);
        offsets[base.count + i + 1] = (base.count + i + 1) * TX_SIZE;
      }
      const decoded = decodeBlock({ bytes, offsets, count: base.count + fresh });
      const out = executeSequential(state, decoded, new Uint8Array(decoded.count).fill(1));
      expect(out.created).toBe(fresh);
      await cpu.update(out.touched, out.leaves);
      await webgpu.update(out.touched, out.leaves);
      await check();
    }
    expect(state.count).toBeGreaterThan(accounts);
    cpu.destroy();
    webgpu.destroy();
  });

  it('reports a lost update instead of hiding it', async () => {
    const state = loadGenesis(doc([{ key: key(1), balance: '9' }]));
    const root = await createStateRoot(state, await createIncrementalMerkleTree({ backend: 'cpu', leafSize: ACCOUNT_BYTES }));
    state.append(new Uint8Array(32).fill(2), 1n);
    await expect(root.update(new Uint32Array(0), new Uint8Array(0))).rejects.toThrow(/tree has 1 leaves but the state 2 accounts/);
    await expect(root.update(new Uint32Array([1]), new Uint8Array(47))).rejects.toThrow(/47 leaf bytes for 1 touched/);
    root.destroy();
  });
});

// The executor against a model written straight from docs/transactions.md (BigInt, a Map),
// over seeded random and adversarial blocks, for 1, 2, 4 and 8 workers and
// forced coordinator/helper splits.
import { afterAll, describe, expect, it } from 'vitest';
import { AccountState } from '../src/state/account-state.js';
import { stateFromGenesis, type GenesisAccount } from '../src/state/genesis.js';
import { createStateRoot } from '../src/state/state-root.js';
import { decodeBlock, validityFromVerdicts } from '../src/exec/decode.js';
import { createExecutor, executeSequential, type Executor } from '../src/exec/executor.js';
import { TouchSet } from '../src/exec/apply.js';
import { Receipt } from '../src/tx/v1/receipt.js';
import { APPLIED, applyResolvedAhead, NEXT_CHUNK, RESOLVE_CHUNK } from '../src/exec/resolve-ahead.js';
import { seededRandom } from '../src/exec/synthetic.js';
import { writeTransfer } from '../src/tx/v1/index.js';
import type { BlockRecords } from '../src/tx/v1/index.js';
import { TX_SIZE } from '../src/tx/v1/index.js';
import { toHex } from '../src/hex.js';

import { Model, U64_MAX, naiveTree, oracleRoot } from './support/exec-model.js';

// ---- adversarial blocks ----
interface Scenario { genesis: GenesisAccount[]; blocks: { records: BlockRecords; verdictsMask: Uint8Array }[] }

function makeKey(rnd: () => number): Uint8Array {
  const k = new Uint8Array(32);
  for (let j = 0; j < 32; j++) k[j] = (rnd() * 256) | 0;
  return k;
}

/**
 * Random blocks over a small key universe so that everything collides: hot
 * accounts, self-transfers, chains, creations and spending from them in the
 * same block, unknown senders, insufficient funds, overflow near 2^64 − 1,
 * bad nonces and replays, malformed records, invalid signatures.
 */
function scenario(seed: number, opts: { accounts: number; extraKeys: number; blocks: number; txs: number; hot?: boolean }): Scenario {
  const rnd = seededRandom(seed);
  const universe: Uint8Array[] = [];
  for (let i = 0; i < opts.accounts + opts.extraKeys; i++) universe.push(makeKey(rnd));
  // The all-zero key exists as a recipient only: a lookup of it must never match an empty record.
  universe.push(new Uint8Array(32));
  const genesis: GenesisAccount[] = [];
  for (let i = 0; i < opts.accounts; i++) {
    const r = rnd();
    const balance = r < 0.15 ? U64_MAX - BigInt(Math.floor(rnd() * 1000)) : r < 0.25 ? 0n : BigInt(Math.floor(rnd() * 1e6));
    genesis.push({ key: universe[i], balance });
  }
  const model = new Model(genesis); // tracks nonces and balances while generating
  const blocks: Scenario['blocks'] = [];
  for (let b = 0; b < opts.blocks; b++) {
    const recs: Uint8Array[] = [];
    const mask: number[] = [];
    let prevTo: Uint8Array | null = null;
    for (let t = 0; t < opts.txs; t++) {
      const r = rnd();
      let rec: Uint8Array;
      if (r < 0.03) {
        // malformed: wrong length, or version ≠ 1
        const lens = [0, 1, 144, 146, 300];
        if (rnd() < 0.5) rec = new Uint8Array(lens[Math.floor(rnd() * lens.length)]).map(() => (rnd() * 256) | 0);
        else { rec = new Uint8Array(TX_SIZE); writeTransfer(rec, 0, universe[0], universe[1], 1n, 0n); rec[64] = rnd() < 0.5 ? 0 : 2; }
      } else {
        let from = universe[Math.floor(rnd() * universe.length)];
        let to = universe[Math.floor(rnd() * universe.length)];
        if (opts.hot && rnd() < 0.7) { if (rnd() < 0.5) from = universe[0]; else to = universe[0]; }
        if (prevTo && rnd() < 0.2) from = prevTo; // chain: spend what was just received (or created)
        if (rnd() < 0.08) to = from; // self-transfer
        const acct = model.find(from);
        const bal = acct?.balance ?? 0n;
        const q = rnd();
        const amount = q < 0.1 ? U64_MAX - BigInt(Math.floor(rnd() * 3)) // overflow or insufficient
          : q < 0.2 ? bal + BigInt(Math.floor(rnd() * 3)) // exactly enough or one too much
            : q < 0.25 ? 0n
              : BigInt(Math.floor(rnd() * Number(bal < 1000n ? 1000n : bal / 3n)));
        const cur = acct?.nonce ?? 0n;
        const p = rnd();
        const nonce = p < 0.85 ? cur : p < 0.93 && cur > 0n ? cur - 1n /* replay */ : p < 0.97 ? cur + 1n : U64_MAX;
        rec = new Uint8Array(TX_SIZE);
        writeTransfer(rec, 0, from, to, amount < 0n ? 0n : amount > U64_MAX ? U64_MAX : amount, nonce);
        for (let j = 0; j < 64; j++) rec[j] = (rnd() * 256) | 0;
        prevTo = to;
      }
      const valid = rnd() < 0.95 ? 1 : 0;
      model.apply(rec, valid === 1);
      recs.push(rec);
      mask.push(valid);
    }
    const size = recs.reduce((s, r) => s + r.length, 0);
    const bytes = new Uint8Array(size);
    const offsets = new Uint32Array(recs.length + 1);
    let at = 0;
    recs.forEach((r, i) => { bytes.set(r, at); at += r.length; offsets[i + 1] = at; });
    blocks.push({ records: { bytes, offsets, count: recs.length }, verdictsMask: Uint8Array.from(mask) });
  }
  return { genesis, blocks };
}

/** Runs a scenario through the model: receipts per block and final leaves. */
function expected(s: Scenario): { receipts: Uint8Array[]; leaves: Uint8Array[] } {
  const model = new Model(s.genesis);
  const receipts: Uint8Array[] = [];
  const leaves: Uint8Array[] = [];
  for (const b of s.blocks) {
    const r = new Uint8Array(b.records.count);
    for (let i = 0; i < b.records.count; i++) {
      r[i] = model.apply(b.records.bytes.subarray(b.records.offsets[i], b.records.offsets[i + 1]), b.verdictsMask[i] === 1);
    }
    receipts.push(r);
    leaves.push(model.leaves());
  }
  return { receipts, leaves };
}

/** The verifier's view: verdicts for well-formed records only, then expanded back. */
function validityOf(block: ReturnType<typeof decodeBlock>, mask: Uint8Array): Uint8Array {
  const verdicts = new Uint8Array(block.batchRecords.length);
  block.batchRecords.forEach((rec, k) => { verdicts[k] = mask[rec]; });
  return validityFromVerdicts(block, verdicts);
}

const splits: NonNullable<Awaited<ReturnType<Executor['execute']>>['split']>[] = [];

async function runWith(s: Scenario, make: (state: AccountState) => Promise<Executor>) {
  const state = stateFromGenesis(s.genesis);
  const exec = await make(state);
  const root = await createStateRoot(state, naiveTree(48));
  const receipts: Uint8Array[] = [];
  const leaves: Uint8Array[] = [];
  const roots: string[] = [];
  try {
    for (const b of s.blocks) {
      const before = state.allLeaves();
      const decoded = decodeBlock(b.records);
      const out = await exec.execute(decoded, validityOf(decoded, b.verdictsMask));
      if (out.split) splits.push(out.split);
      // every changed or created slot is reported, with its current leaf
      const after = state.allLeaves();
      const touched = new Set(out.touched);
      for (let slot = 0; slot < state.count; slot++) {
        const changed = slot * 48 >= before.length || Buffer.compare(Buffer.from(before.subarray(slot * 48, slot * 48 + 48)), Buffer.from(after.subarray(slot * 48, slot * 48 + 48))) !== 0;
        if (changed && !touched.has(slot)) throw new Error(`slot ${slot} changed but was not reported`);
      }
      expect(out.touched.length).toBe(touched.size);
      expect(toHex(out.leaves)).toBe(toHex(state.leaves(out.touched)));
      expect(out.created).toBe((after.length - before.length) / 48);
      await root.update(out.touched, out.leaves);
      receipts.push(out.receipts);
      leaves.push(after);
      roots.push(toHex(await root.root()));
    }
  } finally {
    await exec.destroy();
  }
  return { receipts, leaves, roots };
}

const executors: Executor[] = [];
afterAll(async () => { await Promise.all(executors.map((e) => e.destroy())); });

describe('executor == docs/transactions.md model', () => {
  const cases = [
    { name: 'mixed adversarial', seed: 1, accounts: 40, extraKeys: 30, blocks: 4, txs: 700 },
    { name: 'hot account', seed: 2, accounts: 25, extraKeys: 10, blocks: 3, txs: 600, hot: true },
    { name: 'mostly creations', seed: 3, accounts: 8, extraKeys: 400, blocks: 3, txs: 600 },
    // many accounts: most of a helper's records are clean and run on the helper
    { name: 'wide uniform', seed: 4, accounts: 6000, extraKeys: 600, blocks: 3, txs: 1500 },
  ];
  for (const c of cases) {
    const s = scenario(c.seed, c);
    const want = expected(s);
    const wantRoots = want.leaves.map((l) => toHex(oracleRoot(l, 48)));

    it(`${c.name}: the model's receipts cover every code`, () => {
      const seen = new Set(want.receipts.flatMap((r) => [...r]));
      // every scenario reaches OK, MALFORMED, BAD_SIGNATURE, BAD_NONCE, INSUFFICIENT_FUNDS; most reach all 7
      for (const code of [0, 1, 2, 4, 5]) expect(seen.has(code)).toBe(true);
      if (c.seed === 1) for (const code of [3, 6]) expect(seen.has(code)).toBe(true);
    });

    it(`${c.name}: sequential`, async () => {
      const got = await runWith(s, async (state) => createExecutor(state, { workers: 1 }));
      got.receipts.forEach((r, b) => expect(toHex(r), `block ${b} receipts`).toBe(toHex(want.receipts[b])));
      got.leaves.forEach((l, b) => expect(toHex(l), `block ${b} state`).toBe(toHex(want.leaves[b])));
      expect(got.roots).toEqual(wantRoots);
    });

    const shareSets = [
      [2, ['helpers only, chunks of 7', 'chunks of 64', 'default chunks, no second round', 'resolve-ahead', 'helpers only, resolve-ahead']],
      [4, ['chunks of 33', 'resolve-ahead']],
      [8, ['helpers only, chunks of 50', 'helpers only, resolve-ahead']],
    ] as const;
    for (const [workers, shares] of shareSets) {
      it(`${c.name}: ${workers} workers, ${shares.join('; ')}`, async () => {
        splits.length = 0;
        for (const share of shares) {
          const chunk = /chunks of (\d+)/.exec(share)?.[1];
          const got = await runWith(s, async (state) => createExecutor(state, {
            workers, minParallelRecords: 0, schedule: share.endsWith('resolve-ahead') ? 'resolve-ahead' : 'disjoint',
            minSecondRound: share.includes('no second round') ? 1e9 : 0,
            chunkRecords: chunk ? Number(chunk) : undefined, coordinatorJoins: !share.startsWith('helpers only'),
          }));
          got.receipts.forEach((r, b) => expect(toHex(r), `${share}: block ${b} receipts`).toBe(toHex(want.receipts[b])));
          got.leaves.forEach((l, b) => expect(toHex(l), `${share}: block ${b} state`).toBe(toHex(want.leaves[b])));
          expect(got.roots).toEqual(wantRoots);
        }
        // Helpers resolved chunks ahead when the calling thread left them all to them.
        const ahead = splits.filter((p) => p.deferred === undefined);
        if (shares.includes('helpers only, resolve-ahead' as never)) expect(ahead.some((p) => p.byCoordinator < p.chunks)).toBe(true);
        if (c.name === 'wide uniform') {
          // most records ran in the parallel phase (not everything deferred), and helpers ran chunks
          const disjoint = splits.filter((p) => p.deferred !== undefined);
          const chunks = disjoint.reduce((x, p) => x + p.chunks, 0);
          const byCoordinator = disjoint.reduce((x, p) => x + p.byCoordinator, 0);
          const deferred = disjoint.reduce((x, p) => x + p.deferred!, 0);
          if (shares.some((x) => x.startsWith('helpers only, chunks'))) expect(chunks - byCoordinator).toBeGreaterThan(0);
          // a second round ran some deferred records in parallel too
          expect(disjoint.some((p) => p.ordered! < p.deferred!)).toBe(true);
          expect(deferred / (c.txs * disjoint.length)).toBeLessThan(0.6);
        }
      });
    }
  }
});

describe('executor, automatic schedule', () => {
  it('switching between the sequential and both parallel schedules keeps the sequential result', async () => {
    const s = scenario(11, { accounts: 3000, extraKeys: 300, blocks: 10, txs: 400 });
    const want = expected(s);
    const modes: string[] = [];
    const got = await runWith(s, async (state) => {
      const exec = await createExecutor(state, { workers: 2, minParallelRecords: 0 });
      return { ...exec, state, workers: exec.workers, execute: async (b, v) => { const r = await exec.execute(b, v); modes.push(r.mode); return r; }, destroy: () => exec.destroy() };
    });
    // The first blocks measure each mode in turn (mode-choice.test.ts covers what follows).
    expect(modes.slice(0, 3)).toEqual(['sequential', 'resolve-ahead', 'disjoint']);
    expect(new Set(modes).size).toBeGreaterThan(1);
    got.receipts.forEach((r, b) => expect(toHex(r), `block ${b} receipts`).toBe(toHex(want.receipts[b])));
    got.leaves.forEach((l, b) => expect(toHex(l), `block ${b} state`).toBe(toHex(want.leaves[b])));
  });
});

describe('resolve-ahead without helpers', () => {
  // The applying thread alone: it resolves every chunk itself, or, when
  // every chunk looks claimed by a helper that never finishes, it waits
  // briefly per chunk and resolves it anyway. Either way: the model's result.
  const s = scenario(21, { accounts: 300, extraKeys: 200, blocks: 2, txs: 3 * RESOLVE_CHUNK + 17 });
  const want = expected(s);
  for (const stalled of [false, true]) {
    it(stalled ? 'a stalled helper: every chunk claimed, none resolved' : 'every chunk resolved by the applying thread', () => {
      const state = stateFromGenesis(s.genesis);
      const touched = new TouchSet();
      s.blocks.forEach((b, k) => {
        const d = decodeBlock(b.records);
        state.reserve(d.count);
        touched.begin(state, 2 * d.count);
        const chunks = Math.ceil(d.count / RESOLVE_CHUNK);
        const control = new Int32Array(new SharedArrayBuffer(4 * (APPLIED + 1)));
        if (stalled) control[NEXT_CHUNK] = chunks;
        const receipts = new Uint8Array(d.count);
        const own = applyResolvedAhead(state, d, validityOf(d, b.verdictsMask), {
          records: state.records, seed: state.seed, keys: d.keys, wellFormed: d.wellFormed, cells: new Int32Array(2 * d.count),
          control, chunkDone: new Int32Array(chunks), n: d.count, limit: state.count,
        }, receipts, touched);
        expect(own).toBe(chunks);
        expect(Atomics.load(control, APPLIED)).toBe(chunks);
        expect(toHex(receipts), `block ${k} receipts`).toBe(toHex(want.receipts[k]));
        expect(toHex(state.allLeaves()), `block ${k} state`).toBe(toHex(want.leaves[k]));
        expect(toHex(touched.leaves())).toBe(toHex(state.leaves(touched.slots())));
      });
    });
  }
});

describe('executor edge cases', () => {
  const a = new Uint8Array(32).fill(0xaa);
  const b = new Uint8Array(32).fill(0xbb);
  const c = new Uint8Array(32).fill(0xcc);
  const block = (...txs: Array<[Uint8Array, Uint8Array, bigint, bigint]>): BlockRecords => {
    const bytes = new Uint8Array(TX_SIZE * txs.length);
    const offsets = new Uint32Array(txs.length + 1);
    txs.forEach(([f, t, amt, n], i) => { writeTransfer(bytes, i * TX_SIZE, f, t, amt, n); offsets[i + 1] = (i + 1) * TX_SIZE; });
    return { bytes, offsets, count: txs.length };
  };
  const run = (genesis: GenesisAccount[], rec: BlockRecords) => {
    const state = stateFromGenesis(genesis);
    const d = decodeBlock(rec);
    return { state, out: executeSequential(state, d, new Uint8Array(d.count).fill(1)) };
  };

  it('a self-transfer with the whole balance at 2^64 − 1 is OK and changes only the nonce', () => {
    const { state, out } = run([{ key: a, balance: U64_MAX }], block([a, a, U64_MAX, 0n]));
    expect([...out.receipts]).toEqual([Receipt.OK]);
    expect(state.account(0)).toEqual({ key: a, balance: U64_MAX, nonce: 1n });
  });

  it('OVERFLOW at exactly 2^64 and OK at 2^64 − 1; INSUFFICIENT_FUNDS by one; both advance the nonce', () => {
    const { state, out } = run(
      [{ key: a, balance: 10n }, { key: b, balance: U64_MAX - 5n }],
      block([a, b, 6n, 0n], [a, b, 5n, 1n], [a, b, 6n, 2n], [a, b, 0n, 3n]),
    );
    expect([...out.receipts]).toEqual([Receipt.OVERFLOW, Receipt.OK, Receipt.INSUFFICIENT_FUNDS, Receipt.OK]);
    expect(state.account(0)).toEqual({ key: a, balance: 5n, nonce: 4n });
    expect(state.account(1).balance).toBe(U64_MAX);
  });

  // Touch marks live in the records (TOUCH_MARK), so a copied state and an
  // epoch wrap must not let an old mark hide an account written in this block.
  it('a clone and an epoch wrap-around still report every written account', () => {
    const state = stateFromGenesis([{ key: a, balance: 100n }, { key: b, balance: 100n }]);
    const d0 = decodeBlock(block([a, b, 1n, 0n]));
    expect([...executeSequential(state, d0, new Uint8Array(1).fill(1)).touched]).toEqual([0, 1]);
    const copy = state.clone();
    const d1 = decodeBlock(block([a, b, 1n, 1n]));
    expect([...executeSequential(copy, d1, new Uint8Array(1).fill(1)).touched]).toEqual([0, 1]);
    (state as unknown as { touchEpoch: number }).touchEpoch = 0xffffffff; // the next block wraps
    const out = executeSequential(state, d1, new Uint8Array(1).fill(1));
    expect([...out.touched]).toEqual([0, 1]);
    expect(out.leaves).toEqual(copy.leaves(new Uint32Array([0, 1])));
    // After the wrap the marks restart at 1: the next block must not see the wrap block's marks as stale.
    expect([...executeSequential(state, decodeBlock(block([b, a, 1n, 0n])), new Uint8Array(1).fill(1)).touched]).toEqual([1, 0]);
  });

  it('creates recipients in block order and lets a later transaction spend from them', () => {
    const { state, out } = run(
      [{ key: a, balance: 100n }],
      block([c, a, 1n, 0n], [a, c, 40n, 0n], [a, b, 10n, 1n], [c, b, 15n, 0n], [b, a, 25n, 0n]),
    );
    expect([...out.receipts]).toEqual([Receipt.UNKNOWN_SENDER, Receipt.OK, Receipt.OK, Receipt.OK, Receipt.OK]);
    expect(state.count).toBe(3);
    expect(state.account(1)).toEqual({ key: c, balance: 25n, nonce: 1n });
    expect(state.account(2)).toEqual({ key: b, balance: 0n, nonce: 1n });
    expect(state.account(0).balance).toBe(75n);
    expect(out.created).toBe(2);
  });

  it('a failed transfer to an absent key creates nothing; BAD_NONCE changes nothing', () => {
    const { state, out } = run([{ key: a, balance: 1n }], block([a, b, 2n, 0n], [a, b, 1n, 5n]));
    expect([...out.receipts]).toEqual([Receipt.INSUFFICIENT_FUNDS, Receipt.BAD_NONCE]);
    expect(state.count).toBe(1);
    expect(state.account(0).nonce).toBe(1n);
  });

  it('rejects a validity mask of the wrong length', () => {
    const state = stateFromGenesis([{ key: a, balance: 1n }]);
    expect(() => executeSequential(state, decodeBlock(block([a, b, 1n, 0n])), new Uint8Array(2))).toThrow(/validity mask has 2 entries for a block of 1/);
  });

  it('grows the state between blocks: 1 genesis account, thousands of creations', async () => {
    const state = new AccountState(16);
    state.append(a, U64_MAX);
    const exec = await createExecutor(state, { workers: 2, minParallelRecords: 0 });
    executors.push(exec);
    const model = new Model([{ key: a, balance: U64_MAX }]);
    const rnd = seededRandom(9);
    for (let blk = 0; blk < 3; blk++) {
      const txs: Array<[Uint8Array, Uint8Array, bigint, bigint]> = [];
      for (let i = 0; i < 3000; i++) txs.push([a, makeKey(rnd), 1n, BigInt(blk * 3000 + i)]);
      const rec = block(...txs);
      const d = decodeBlock(rec);
      const out = await exec.execute(d, new Uint8Array(d.count).fill(1));
      for (let i = 0; i < rec.count; i++) expect(out.receipts[i]).toBe(model.apply(rec.bytes.subarray(i * TX_SIZE, (i + 1) * TX_SIZE), true));
    }
    expect(state.count).toBe(9001);
    expect(toHex(state.allLeaves())).toBe(toHex(model.leaves()));
    for (let s = 0; s < state.count; s += 997) expect(state.slotOf(model.accounts[s].key)).toBe(s);
  });
});

// The CPU backend (worker pool, node:crypto + fast paths; noble engine)
// against the contract oracles and the published vectors, over batches of odd
// sizes, several calls in flight, and broken batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchFormatError, RULE_SETS, packSignatureBatch, type RuleSet, type SignatureBatch } from '../src/ed25519/batch.js';
import { createCpuVerifier, VerifierDestroyedError, type CpuVerifier } from '../src/ed25519/cpu/backend.js';
import {
  casesToBatch, cctvCases, edgeCases, firedancerSolanaCases, mixedCases, oracleVerdicts, speccheckCases, validCases, wycheproofCases,
  type Ed25519Case, type VectorCase,
} from './support/ed25519-cases.js';

function diff(cases: readonly Ed25519Case[], got: Uint8Array, want: Uint8Array): string[] {
  const out: string[] = [];
  if (got.length !== want.length) return [`length ${got.length}, expected ${want.length}`];
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) out.push(`#${i} ${cases[i].label}: got ${got[i]}, expected ${want[i]}`);
  return out;
}

let cpu: CpuVerifier;
beforeAll(async () => { cpu = await createCpuVerifier({ workers: 2 }); });
afterAll(async () => { await cpu?.destroy(); });

describe('ed25519 CPU backend: published vectors', () => {
  it('gives every published verdict under each rule set', async () => {
    const suites: VectorCase[] = [...speccheckCases(), ...wycheproofCases().cases, ...cctvCases(), ...firedancerSolanaCases()];
    const batch = casesToBatch(suites);
    for (const rules of RULE_SETS) {
      const got = await cpu.verify(batch, rules);
      const wrong = suites.filter((c, i) => c.expected[rules] !== undefined && (got[i] === 1) !== c.expected[rules]).map((c) => c.label);
      expect(wrong, rules).toEqual([]);
    }
  });
});

describe('ed25519 CPU backend: differential against the contract oracles', () => {
  // ≥ 10k items per rule set: every crafted edge case, bit flips, valid
  // signatures of every message length; 10007 is prime, so no chunk or worker
  // split divides it evenly.
  const cases = mixedCases(10_007, 11);
  const batch = casesToBatch(cases);
  for (const rules of RULE_SETS) {
    it(`matches the ${rules} oracle on ${cases.length} items`, async () => {
      const want = oracleVerdicts(cases, rules);
      const got = await cpu.verify(batch, rules);
      expect(diff(cases, got, want)).toEqual([]);
      // Both verdicts occur, so a constant answer cannot pass.
      expect(want.includes(0) && want.includes(1)).toBe(true);
    });
  }
});

describe('ed25519 CPU backend: batch handling', () => {
  const cases = [...edgeCases(5).filter((_, i) => i % 3 === 0), ...validCases(150, 6)];
  const expected = Object.fromEntries(RULE_SETS.map((r) => [r, oracleVerdicts(cases, r)])) as Record<RuleSet, Uint8Array>;

  it('verifies batches of sizes 0, 1, 2, 3, 7, 13, 64, 65, 257 in input order', async () => {
    for (const n of [0, 1, 2, 3, 7, 13, 64, 65, 257]) {
      const start = (n * 37) % Math.max(1, cases.length - n);
      const part = cases.slice(start, start + n);
      const got = await cpu.verify(casesToBatch(part), 'zip215');
      expect(diff(part, got, expected.zip215.subarray(start, start + n)), `n=${n}`).toEqual([]);
    }
  });

  it('keeps several calls in flight apart, under different rule sets', async () => {
    const batch = casesToBatch(cases);
    const calls = [...RULE_SETS, ...RULE_SETS].map((r) => cpu.verify(batch, r).then((got) => [r, got] as const));
    for (const [rules, got] of await Promise.all(calls)) expect(diff(cases, got, expected[rules]), rules).toEqual([]);
  });

  it('splits batches into segments, with shared memory and with copied ranges', async () => {
    const batch = casesToBatch(cases);
    for (const shareMemory of [true, false]) {
      const small = await createCpuVerifier({ workers: 2, segmentItems: 37, shareMemory });
      try {
        for (const rules of RULE_SETS) expect(diff(cases, await small.verify(batch, rules), expected[rules]), `${rules} share=${shareMemory}`).toEqual([]);
      } finally {
        await small.destroy();
      }
    }
  });

  it('runs the noble engine (the browser path) exactly', async () => {
    const part = [...cases.slice(0, 90), ...edgeCases(8).filter((_, i) => i % 7 === 0)];
    const noble = await createCpuVerifier({ workers: 2, engine: 'noble' });
    try {
      for (const rules of RULE_SETS) {
        expect(diff(part, await noble.verify(casesToBatch(part), rules), oracleVerdicts(part, rules)), rules).toEqual([]);
      }
    } finally {
      await noble.destroy();
    }
  });

  it('runs the webcrypto engine (the fast browser path; Node\'s WebCrypto here) exactly, shared and copied', async () => {
    // Every published vector and crafted edge case (the slow-path classes and
    // the fast-path proofs), plus valid signatures; headless Chromium runs the
    // same in test/browser-webcrypto.test.ts.
    const part = [...speccheckCases(), ...wycheproofCases().cases, ...cctvCases(), ...firedancerSolanaCases(), ...edgeCases(8), ...cases.slice(0, 60)];
    for (const shareMemory of [true, false]) {
      const web = await createCpuVerifier({ workers: 2, engine: 'webcrypto', shareMemory, segmentItems: 500 });
      try {
        for (const rules of RULE_SETS) {
          expect(diff(part, await web.verify(casesToBatch(part), rules), oracleVerdicts(part, rules)), `${rules} share=${shareMemory}`).toEqual([]);
        }
      } finally {
        await web.destroy();
      }
    }
  });

  it('refuses broken batches before any work, naming the problem', async () => {
    const good = casesToBatch(cases.slice(0, 4));
    const broken: Array<[string, SignatureBatch, RegExp]> = [
      ['short publicKeys', { ...good, publicKeys: good.publicKeys.subarray(1) }, /publicKeys has 127 bytes, expected 32 × 4/],
      ['long signatures', { ...good, signatures: new Uint8Array(64 * 5) }, /signatures has 320 bytes/],
      ['offsets not starting at 0', { ...good, messageOffsets: good.messageOffsets.map((o, i) => (i === 0 ? 1 : o)) }, /messageOffsets\[0\] is 1/],
      ['decreasing offsets', { ...good, messageOffsets: Uint32Array.from([0, 5, 2, good.messageOffsets[3], good.messageOffsets[4]]) }, /decreases at item 1/],
      ['last offset past messages', { ...good, messages: good.messages.subarray(1) }, /expected messages.length/],
      ['offsets of the wrong type', { ...good, messageOffsets: Array.from(good.messageOffsets) as unknown as Uint32Array }, /must be a Uint32Array/],
    ];
    for (const [what, batch, message] of broken) {
      await expect(cpu.verify(batch, 'ref10'), what).rejects.toThrow(BatchFormatError);
      await expect(cpu.verify(batch, 'ref10'), what).rejects.toThrow(message);
    }
    await expect(cpu.verify(good, 'ed448' as RuleSet)).rejects.toThrow(/unknown rule set "ed448"/);
    expect(() => packSignatureBatch([{ ...cases[0], publicKey: new Uint8Array(31) }])).toThrow(/item 0: public key has 31 bytes/);
  });

  it('fails calls in flight when destroyed, and refuses new ones', async () => {
    const v = await createCpuVerifier({ workers: 1, engine: 'noble' });
    const inFlight = expect(v.verify(casesToBatch(cases), 'zip215')).rejects.toThrow(VerifierDestroyedError);
    await v.destroy();
    await inFlight;
    await expect(v.verify(casesToBatch(cases.slice(0, 1)), 'zip215')).rejects.toThrow(/destroyed/);
  });
});

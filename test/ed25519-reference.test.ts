// The docs/verification.md reference against the published vectors and against the contract's
// oracles (node:crypto for ref10, noble zip215, ref10 + checks for solana):
// agreement on everything proves both the reference and the case generators.
import { describe, expect, it } from 'vitest';
import { RULE_SETS, packSignatureBatch, type RuleSet, type SignatureItem } from '../src/ed25519/batch.js';
import { bytesToNumberLE, compress, decompress, isSmallOrder, L, P, numberToBytesLE, verifyReference } from '../src/ed25519/reference.js';
import { isSmallOrderEncoding, SMALL_ORDER_ENCODINGS, webCryptoDecides } from '../src/ed25519/cpu/engine.js';
import { fromHex, toHex } from '../src/hex.js';
import {
  LOW_ORDER_ENCODINGS, NON_CANONICAL_ENCODINGS, OFF_CURVE_ENCODINGS, RFC8032_TESTS, SPECCHECK_ROWS, TORSION_POINTS,
  bitFlipCases, cctvCases, createRng, edgeCases, firedancerSolanaCases, oracleVerdict, speccheckCases, validCases, wycheproofCases,
} from './support/ed25519-cases.js';

const row = (cases: readonly SignatureItem[], rules: RuleSet) => cases.map((c) => (verifyReference(c, rules) ? 'V' : 'X')).join('');

function mismatches<T extends SignatureItem & { label: string }>(cases: readonly T[], rules: RuleSet, expected: (c: T) => boolean | undefined): string[] {
  const out: string[] = [];
  for (const c of cases) {
    const want = expected(c);
    if (want === undefined) continue;
    if (verifyReference(c, rules) !== want) out.push(`${c.label}: expected ${want ? 'accept' : 'reject'}`);
  }
  return out;
}

describe('ed25519 reference: published vectors', () => {
  it('gives docs/verification.md rows on the 12 speccheck cases', () => {
    const cases = speccheckCases();
    expect(cases).toHaveLength(12);
    for (const rules of RULE_SETS) expect(row(cases, rules), rules).toBe(SPECCHECK_ROWS[rules]);
  });

  it('gives Wycheproof\'s verdict on all 151 tests under ref10', () => {
    const { cases, wrongLength } = wycheproofCases();
    expect(cases.length + wrongLength.length).toBe(151);
    // A key or signature of the wrong length never reaches a verifier (docs/verification.md batch); Wycheproof calls them invalid.
    expect(wrongLength.every((t) => t.expected === false)).toBe(true);
    expect(mismatches(cases, 'ref10', (c) => c.expected.ref10)).toEqual([]);
  });

  it('gives the CCTV verdicts of all three rule sets on 914 vectors (826 / 208 / 43 accepted)', () => {
    const cases = cctvCases();
    expect(cases).toHaveLength(914);
    const accepted: Record<string, number> = {};
    for (const rules of RULE_SETS) {
      expect(mismatches(cases, rules, (c) => c.expected[rules]), rules).toEqual([]);
      accepted[rules] = cases.filter((c) => verifyReference(c, rules)).length;
    }
    expect(accepted).toEqual({ zip215: 826, ref10: 208, solana: 43 });
  });

  it('gives Firedancer\'s Agave verdicts on its Wycheproof cases under solana', () => {
    const cases = firedancerSolanaCases();
    expect(cases).toHaveLength(133);
    expect(mismatches(cases, 'solana', (c) => c.expected.solana)).toEqual([]);
  });

  it('accepts RFC 8032 §7.1 signatures under every rule set, and rejects them with a flipped message bit', () => {
    for (const t of RFC8032_TESTS) {
      const item = { publicKey: fromHex(t.publicKey), signature: fromHex(t.signature), message: fromHex(t.message) };
      for (const rules of RULE_SETS) expect(verifyReference(item, rules), `${t.name} ${rules}`).toBe(true);
      const bad = { ...item, message: item.message.length ? item.message.map((b, i) => (i === 0 ? b ^ 1 : b)) : new Uint8Array([0]) };
      for (const rules of RULE_SETS) expect(verifyReference(bad, rules), `${t.name} ${rules} flipped`).toBe(false);
    }
  });
});

/** Crafted and random 32-byte encodings: small order, y >= p, off the curve, torsion points, and every y in [0, 40) and [p − 20, 2^255) with both sign bits. */
function craftedEncodings(): Uint8Array[] {
  const rng = createRng(41);
  return [
    ...LOW_ORDER_ENCODINGS, ...NON_CANONICAL_ENCODINGS, ...OFF_CURVE_ENCODINGS,
    ...TORSION_POINTS.map(compress),
    ...Array.from({ length: 200 }, () => rng.bytes(32)),
    ...[...Array.from({ length: 40 }, (_, i) => BigInt(i)), ...Array.from({ length: 39 }, (_, i) => P - 20n + BigInt(i))]
      .flatMap((y) => [numberToBytesLE(y, 32), (() => { const b = numberToBytesLE(y, 32); b[31] |= 0x80; return b; })()]),
  ];
}

describe('ed25519 reference: decompression and small order', () => {
  it('has 14 small-order encodings, each decompressing to a point with [8]P = 0', () => {
    expect(LOW_ORDER_ENCODINGS).toHaveLength(14);
    expect(new Set(LOW_ORDER_ENCODINGS.map(toHex)).size).toBe(14);
    for (const enc of LOW_ORDER_ENCODINGS) {
      const p = decompress(enc);
      expect(p, toHex(enc)).toBeDefined();
      expect(isSmallOrder(p!), toHex(enc)).toBe(true);
    }
    // The CPU backend's independently derived set is the same set.
    expect(new Set(SMALL_ORDER_ENCODINGS.map(toHex))).toEqual(new Set(LOW_ORDER_ENCODINGS.map(toHex)));
  });

  it('isSmallOrderEncoding agrees with decompress + [8]P over crafted and random encodings', () => {
    for (const enc of craftedEncodings()) {
      const p = decompress(enc);
      expect(isSmallOrderEncoding(enc, 0), toHex(enc)).toBe(p !== undefined && isSmallOrder(p));
    }
  });

  it('webCryptoDecides leaves exactly the items with A or R of small order, or A with y >= p, to the reference', () => {
    const encodings = craftedEncodings();
    const honest = validCases(1, 44)[0];
    // Each encoding once as A (with an honest R) and once as R (with an honest A).
    const items: SignatureItem[] = encodings.flatMap((enc) => {
      const asR = honest.signature.slice(); asR.set(enc, 0);
      return [{ ...honest, publicKey: enc }, { ...honest, signature: asR }];
    });
    const smallOrder = (enc: Uint8Array) => { const p = decompress(enc); return p !== undefined && isSmallOrder(p); };
    const yAtLeastP = (enc: Uint8Array) => { const y = enc.slice(); y[31] &= 0x7f; return bytesToNumberLE(y) >= P; };
    const batch = packSignatureBatch(items);
    const wrong = items.filter((it, i) => webCryptoDecides(batch, i)
      === (smallOrder(it.publicKey) || smallOrder(it.signature.subarray(0, 32)) || yAtLeastP(it.publicKey)));
    expect(wrong.map((it) => `A ${toHex(it.publicKey)} R ${toHex(it.signature.subarray(0, 32))}`)).toEqual([]);
    // Both answers occur, so a constant one cannot pass.
    const decided = items.map((_, i) => webCryptoDecides(batch, i));
    expect(decided.includes(true) && decided.includes(false)).toBe(true);
  });

  it('decompresses y >= p reduced mod p and x = −0, and fails only off the curve', () => {
    // y = p + 1 is y = 1: the identity, like its canonical encoding.
    expect(decompress(numberToBytesLE(P + 1n, 32))!.is0()).toBe(true);
    const negZero = numberToBytesLE(1n, 32); negZero[31] |= 0x80;
    expect(decompress(negZero)!.is0()).toBe(true);
    for (const enc of NON_CANONICAL_ENCODINGS) {
      const canonical = enc.slice(); canonical[31] &= 0x7f;
      const y = BigInt(`0x${toHex(canonical.slice().reverse())}`) - P;
      expect(decompress(enc)!.toAffine().y).toBe(y);
    }
    for (const enc of OFF_CURVE_ENCODINGS) expect(decompress(enc), toHex(enc)).toBeUndefined();
  });

  it('refuses S = L and accepts S = L − 1 where the equation holds', () => {
    const identity = compress(TORSION_POINTS[0]);
    const sigFor = (S: bigint, R: Uint8Array) => { const s = new Uint8Array(64); s.set(R); s.set(numberToBytesLE(S, 32), 32); return s; };
    const minusB = decompress(fromHex('5866666666666666666666666666666666666666666666666666666666666666'))!.negate();
    const item = { publicKey: identity, signature: sigFor(L - 1n, compress(minusB)), message: new Uint8Array(3) };
    expect(verifyReference(item, 'ref10')).toBe(true);
    expect(verifyReference(item, 'zip215')).toBe(true);
    expect(verifyReference(item, 'solana')).toBe(false); // A is the identity: small order
    const atL = { ...item, signature: sigFor(L, identity) };
    for (const rules of RULE_SETS) expect(verifyReference(atL, rules)).toBe(false);
  });
});

describe('ed25519 reference: differential against the contract oracles', () => {
  it('agrees with the oracles on every crafted edge case and bit flip', () => {
    const edges = edgeCases(2);
    const cases = [...edges, ...bitFlipCases(validCases(12, 9), 10, 2), ...bitFlipCases(edges.filter((_, i) => i % 12 === 0), 12, 1)];
    expect(cases.length).toBeGreaterThan(600);
    const disagree: string[] = [];
    const accepted: Record<string, number> = { zip215: 0, ref10: 0, solana: 0 };
    for (const rules of RULE_SETS) {
      for (const c of cases) {
        const want = oracleVerdict(c, rules);
        if (want) accepted[rules]++;
        if (verifyReference(c, rules) !== want) disagree.push(`${rules} ${c.label}: oracle ${want}`);
      }
    }
    expect(disagree).toEqual([]);
    // The crafted set separates the rule sets (it is not all-reject or all-accept).
    expect(accepted.zip215).toBeGreaterThan(accepted.ref10);
    expect(accepted.ref10).toBeGreaterThan(accepted.solana);
    expect(accepted.solana).toBeGreaterThan(0);
  });

  it('agrees with the oracles on random valid signatures of every message length', () => {
    const cases = validCases(150, 21);
    for (const rules of RULE_SETS) {
      for (const c of cases) expect(verifyReference(c, rules), `${rules} ${c.label}`).toBe(oracleVerdict(c, rules));
    }
  });
});

// The browser CPU backend's WebCrypto engine in headless Chromium (BoringSSL
// behind crypto.subtle), against the docs/verification.md oracles in Node: every published
// vector and every crafted edge case, under all three rule sets. Also pins
// the claim the engine rests on: wherever it takes WebCrypto's verdict, that
// verdict is ref10's.
import { afterAll, describe, expect, it } from 'vitest';
import { RULE_SETS } from '../src/ed25519/batch.js';
import { toHex } from '../src/hex.js';
import { startBrowserHarness, type BrowserHarness } from './browser/harness.js';
import type { WebCryptoPageResult } from './browser/webcrypto-page.js';
import {
  bitFlipCases, cctvCases, edgeCases, firedancerSolanaCases, oracleRef10, oracleVerdicts, speccheckCases, validCases, wycheproofCases,
} from './support/ed25519-cases.js';

describe('WebCrypto Ed25519 engine in headless Chromium', () => {
  let harness: BrowserHarness | undefined;
  afterAll(async () => { await harness?.close(); });

  it('gives the reference verdict on every vector and crafted case, under every rule set', async () => {
    const edges = edgeCases(21);
    const valid = validCases(40, 24);
    const cases = [
      ...speccheckCases(), ...wycheproofCases().cases, ...cctvCases(), ...firedancerSolanaCases(),
      ...edges, ...bitFlipCases([...validCases(8, 22), ...edges.filter((_, i) => i % 11 === 0)], 23, 1), ...valid,
    ];
    harness = await startBrowserHarness();
    const got = await harness.evaluateModule<WebCryptoPageResult>('/test/browser/webcrypto-page.ts', 'run', {
      cases: cases.map((c) => [toHex(c.publicKey), toHex(c.signature), toHex(c.message)]),
      workers: 2,
    });
    expect(got.available).toBe(true);
    expect(got.defaultEngine).toBe('webcrypto');

    for (const rules of RULE_SETS) {
      const want = oracleVerdicts(cases, rules);
      const wrong = cases.flatMap((c, i) => (Number(got.verdicts[rules][i]) !== want[i] ? [`${c.label}: got ${got.verdicts[rules][i]}, want ${want[i]}`] : []));
      expect(wrong, rules).toEqual([]);
      expect(want.includes(0) && want.includes(1)).toBe(true);
    }

    // WebCrypto is ref10 wherever the engine believes it.
    const believed = cases.flatMap((c, i) => (got.decides[i] === '1' ? [[c, got.raw[i]] as const] : []));
    const notRef10 = believed.filter(([c, raw]) => raw !== (oracleRef10(c) ? '1' : '0')).map(([c, raw]) => `${c.label}: WebCrypto ${raw}`);
    expect(notRef10).toEqual([]);
    // Honest traffic takes the fast path.
    expect(got.decides.slice(cases.length - valid.length)).toBe('1'.repeat(valid.length));
    // Where it does not, report how Chromium parts from ref10 (the reason for the slow-path class).
    const parted = cases.filter((c, i) => got.decides[i] === '0' && got.raw[i] !== (oracleRef10(c) ? '1' : '0'));
    console.info(`WebCrypto (Chromium) parts from ref10 on ${parted.length} of ${cases.length - believed.length} slow-path cases${parted.length ? `, e.g. ${parted.slice(0, 3).map((c) => c.label).join('; ')}` : ''}`);
  });
});

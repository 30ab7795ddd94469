// The WGSL ed25519 batch verifier on Dawn (SwiftShader in CI) against the
// docs/verification.md oracles and the published vectors, for all three rule sets. One
// GPU run yields all three verdicts per item (a bitmask), so each batch
// here is verified once and compared under every rule set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, GpuDeviceLostError, type GpuContext } from '../src/gpu/device.js';
import { BatchFormatError, VerifierDestroyedError, RULE_SETS, packSignatureBatch, type RuleSet, type SignatureItem } from '../src/ed25519/batch.js';
import { verifyReference, P } from '../src/ed25519/reference.js';
import { createGpuVerifyKernel, verifyPipelines, VERDICT_BIT, type GpuVerifyKernel } from '../src/ed25519/gpu/kernel.js';
import { D, SQRT_M1, SHA512_IV, SHA512_K, baseTable, toLimbs } from '../src/ed25519/gpu/constants.js';
import { fromHex } from '../src/hex.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  RFC8032_TESTS, casesToBatch, cctvCases, edgeCases, firedancerSolanaCases, mixedCases, oracleVerdict, speccheckCases,
  validCases, wycheproofCases, type Ed25519Case, type VectorCase,
} from './support/ed25519-cases.js';

// RFC 8032 §7.1 "TEST 1024" (1023-byte message), from the RFC's text.
const RFC8032_TEST_1024 = {
  publicKey: '278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e',
  message: [
    '08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98', 'fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8',
    '79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d', '658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc',
    '1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe', 'ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e',
    '06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef', 'efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7',
    'aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1', '85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2',
    'd17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24', '554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270',
    '88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc', '2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07',
    '07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba', 'b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a',
    'ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e', 'c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7',
    '51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c', '42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8',
    'ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df', 'f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08',
    'd78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649', 'de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4',
    '88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3', '2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e',
    '6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f', 'b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5',
    '0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1', '369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d',
    'b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c', '0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0',
  ].join(''),
  signature: '0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03',
};

function rfc8032Cases(): VectorCase[] {
  const all = [...RFC8032_TESTS, { name: 'TEST 1024', ...RFC8032_TEST_1024 }];
  return all.map((t) => ({
    label: `RFC 8032 ${t.name}`,
    publicKey: fromHex(t.publicKey), signature: fromHex(t.signature), message: fromHex(t.message),
    // Honest signatures of prime-order keys: every rule set accepts them.
    expected: { zip215: true, ref10: true, solana: true },
  }));
}

/** Items whose GPU verdict under `rules` differs from `want(i)`, labelled. */
function mismatches(cases: readonly Ed25519Case[], masks: Uint8Array, rules: RuleSet, want: (i: number) => boolean | undefined): string[] {
  const out: string[] = [];
  cases.forEach((c, i) => {
    const w = want(i);
    if (w === undefined) return;
    const got = (masks[i] & VERDICT_BIT[rules]) !== 0;
    if (got !== w) out.push(`#${i} ${c.label}: ${rules} got ${got}, expected ${w}`);
  });
  return out.slice(0, 20);
}

let ctx: GpuContext;
let kernel: GpuVerifyKernel;

beforeAll(async () => {
  ctx = await acquireGpu();
  const { compileMs } = await verifyPipelines(ctx.device);
  console.log(`ed25519 GPU pipelines compiled in ${(compileMs / 1000).toFixed(1)} s on ${ctx.report.description || ctx.report.device} (software: ${ctx.report.isSoftware})`);
  kernel = createGpuVerifyKernel(ctx);
});
afterAll(() => {
  kernel?.destroy();
  ctx?.destroy();
});

describe('ed25519 GPU: generated constants', () => {
  it('derives SHA-512 constants, d, sqrt(-1) and the base table from their definitions', () => {
    // FIPS 180-4 §4.2.3 and §5.3.5 first and last words.
    expect(SHA512_K[0]).toBe(0x428a2f98d728ae22n);
    expect(SHA512_K[79]).toBe(0x6c44198c4a475817n);
    expect(SHA512_IV[0]).toBe(0x6a09e667f3bcc908n);
    expect(SHA512_IV[7]).toBe(0x5be0cd19137e2179n);
    expect((D * 121666n + 121665n) % P).toBe(0n);
    expect((SQRT_M1 * SQRT_M1 + 1n) % P).toBe(0n);
    const B = ed25519.Point.BASE.multiply(77n).toAffine();
    const t = baseTable();
    const entry = Array.from(t.subarray(76 * 60, 76 * 60 + 20));
    expect(entry).toEqual(toLimbs((B.y + B.x) % P));
  });
});

describe('ed25519 GPU: published vectors', () => {
  it('gives every published verdict, and the reference verdict, under each rule set', async () => {
    const wp = wycheproofCases();
    const suites: VectorCase[] = [...speccheckCases(), ...wp.cases, ...cctvCases(), ...firedancerSolanaCases(), ...rfc8032Cases()];
    expect(suites.length).toBeGreaterThan(1200);
    const masks = await kernel.verifyAll(casesToBatch(suites));
    for (const rules of RULE_SETS) {
      expect(mismatches(suites, masks, rules, (i) => suites[i].expected[rules]), `${rules} vs published`).toEqual([]);
      expect(mismatches(suites, masks, rules, (i) => verifyReference(suites[i], rules)), `${rules} vs reference`).toEqual([]);
    }
    // TEST 1024's transcription is right iff OpenSSL accepts it too.
    expect(oracleVerdict(suites[suites.length - 1], 'ref10')).toBe(true);
    // The speccheck rows of docs/verification.md, literally.
    const rows = RULE_SETS.map((r) => suites.slice(0, 12).map((_, i) => ((masks[i] & VERDICT_BIT[r]) ? 'V' : 'X')).join(''));
    expect(rows).toEqual(['VVVVVVXXXVVV', 'VVVVXXXXXXXV', 'XXXVXXXXXXXX']);
  });
});

describe('ed25519 GPU: differential against the contract oracles', () => {
  // 10 007 items (prime: no split lines up with the workgroup size): every
  // crafted edge case (low-order A and R encodings, torsion components,
  // y >= p, x = -0, S around L and >= 2^253, every SHA-512 block-edge
  // message length), bit flips in key, R, S and message, and valid signatures.
  const cases = mixedCases(10_007, 21);
  it(`matches the zip215, ref10 and solana oracles on ${cases.length} items`, async () => {
    const masks = await kernel.verifyAll(casesToBatch(cases));
    for (const rules of RULE_SETS) {
      const want = cases.map((c) => oracleVerdict(c, rules));
      expect(mismatches(cases, masks, rules, (i) => want[i]), rules).toEqual([]);
      // Both verdicts occur, so a constant answer cannot pass.
      expect(want.includes(true) && want.includes(false)).toBe(true);
    }
  });
});

describe('ed25519 GPU: batch handling', () => {
  const cases = [...edgeCases(7).filter((_, i) => i % 7 === 0), ...validCases(40, 8)];
  const batch = casesToBatch(cases);
  let full: Uint8Array;
  beforeAll(async () => { full = await kernel.verifyAll(batch); });

  it('verify(batch, rules) gives one 0/1 byte per item, the rule set\'s bit of the mask', async () => {
    for (const rules of RULE_SETS) {
      const got = await kernel.verify(batch, rules);
      expect(got.length).toBe(cases.length);
      expect(Array.from(got)).toEqual(Array.from(full, (m) => ((m & VERDICT_BIT[rules]) ? 1 : 0)));
      expect(mismatches(cases, full, rules, (i) => oracleVerdict(cases[i], rules))).toEqual([]);
    }
  });

  it('splits batches internally: chunks of 7 give the same bytes in input order', async () => {
    const small = createGpuVerifyKernel(ctx, { maxItemsPerDispatch: 7 });
    try {
      expect(Array.from(await small.verifyAll(batch))).toEqual(Array.from(full));
    } finally {
      small.destroy();
    }
    // The same named error as the CPU backend after destroy().
    await expect(small.verifyAll(batch)).rejects.toThrow(VerifierDestroyedError);
  });

  it('runs several calls in flight at once', async () => {
    const parts = [cases.slice(0, 13), cases.slice(13, 14), cases.slice(14)];
    const got = await Promise.all(parts.map((p) => kernel.verifyAll(casesToBatch(p))));
    expect(got.flatMap((g) => Array.from(g))).toEqual(Array.from(full));
  });

  it('returns an empty result for an empty batch', async () => {
    expect((await kernel.verify(packSignatureBatch([]), 'ref10')).length).toBe(0);
  });

  it('rejects a structurally broken batch, naming the problem, before running anything', async () => {
    const broken = { ...batch, signatures: batch.signatures.subarray(1) };
    await expect(kernel.verify(broken, 'zip215')).rejects.toThrow(BatchFormatError);
    await expect(kernel.verify(broken, 'zip215')).rejects.toThrow(/signatures has/);
    const badOffsets = { ...batch, messageOffsets: Uint32Array.from(batch.messageOffsets, (o, i) => (i === 3 ? o + 100000 : o)) };
    await expect(kernel.verifyAll(badOffsets)).rejects.toThrow(BatchFormatError);
    await expect(kernel.verify(batch, 'nope' as RuleSet)).rejects.toThrow(RangeError);
  });

  it('fails work in flight when the device is lost', async () => {
    const lostCtx = await acquireGpu();
    const k = createGpuVerifyKernel(lostCtx);
    const item: SignatureItem = cases[cases.length - 1];
    const pending = k.verify(packSignatureBatch([item]), 'ref10');
    lostCtx.destroy();
    await expect(pending).rejects.toThrow(GpuDeviceLostError);
    k.destroy();
  });
});

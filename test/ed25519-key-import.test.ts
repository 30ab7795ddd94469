// The CPU engine imports public keys as JWK (~10 µs) instead of SPKI DER
// (~110 µs). ref10 is defined by crypto.verify with a DER-imported key (the
// oracle in test/support), so the two imports must give the same key and the
// same verdict on every key the crafted cases contain: off-curve keys,
// non-canonical y ≥ p, small-order keys, the x = −0 sign bit.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importEd25519PublicKey, importEd25519PublicKeyDer, verifyRange } from '../src/ed25519/cpu/engine.js';
import { decompress } from '../src/ed25519/reference.js';
import {
  LOW_ORDER_ENCODINGS, NON_CANONICAL_ENCODINGS, OFF_CURVE_ENCODINGS, casesToBatch, edgeCases, oracleVerdicts, validCases, type Ed25519Case,
} from './support/ed25519-cases.js';

type Imported = { key: crypto.KeyObject } | { error: string };
const attempt = (f: () => crypto.KeyObject): Imported => { try { return { key: f() }; } catch (e) { return { error: (e as Error).message }; } };
const raw = (k: crypto.KeyObject): string => k.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Every crafted edge case, plus each special encoding as the key of a valid signature's (message, signature). */
function cases(): Ed25519Case[] {
  const [donor] = validCases(1, 21);
  const special = [...LOW_ORDER_ENCODINGS, ...NON_CANONICAL_ENCODINGS, ...OFF_CURVE_ENCODINGS, new Uint8Array(32)];
  return [...edgeCases(2), ...special.map((publicKey) => ({ ...donor, publicKey, label: `special key ${hex(publicKey)}` }))];
}

describe('ed25519 public key import: JWK vs SPKI DER', () => {
  const all = cases();

  it('the cases cover each kind of key the brief names', () => {
    const keys = all.map((c) => c.publicKey);
    const P_LOW = 0xed; // p = 2^255 − 19: low byte 0xed, then 0xff…, top byte 0x7f
    const yAtLeastP = (k: Uint8Array) => k[0] >= P_LOW && k.subarray(1, 31).every((b) => b === 0xff) && (k[31] & 0x7f) === 0x7f;
    expect(keys.some((k) => !decompress(k)), 'off-curve').toBe(true);
    expect(keys.some((k) => yAtLeastP(k) && decompress(k)), 'non-canonical y ≥ p').toBe(true);
    expect(keys.some((k) => LOW_ORDER_ENCODINGS.some((e) => hex(e) === hex(k))), 'small order').toBe(true);
    // x = 0 with the sign bit set ("−0"): y = 1 encoded with bit 255.
    const minusZero = new Uint8Array(32); minusZero[0] = 1; minusZero[31] = 0x80;
    expect(keys.some((k) => hex(k) === hex(minusZero)), 'x = −0').toBe(true);
  });

  it('imports every key to the same 32 bytes either way, or fails either way', () => {
    const differ: string[] = [];
    for (const c of all) {
      const der = attempt(() => importEd25519PublicKeyDer(crypto, c.publicKey, 0));
      const jwk = attempt(() => crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(c.publicKey).toString('base64url') }, format: 'jwk' }));
      if ('error' in der || 'error' in jwk) {
        if (!('error' in der && 'error' in jwk)) differ.push(`${c.label}: DER ${'error' in der ? der.error : 'ok'}, JWK ${'error' in jwk ? jwk.error : 'ok'}`);
        continue;
      }
      // OpenSSL keeps the bytes as given: no decompression, no normalisation.
      if (raw(der.key) !== hex(c.publicKey) || raw(jwk.key) !== hex(c.publicKey)) differ.push(`${c.label}: stored bytes differ`);
    }
    expect(differ).toEqual([]);
  });

  it('gives the DER verdict (ref10) with the engine\'s import on every case', () => {
    const differ: string[] = [];
    let accepted = 0;
    for (const c of all) {
      const viaDer = crypto.verify(null, c.message, importEd25519PublicKeyDer(crypto, c.publicKey, 0), c.signature);
      // The engine's import reads the key from inside a larger column.
      const column = new Uint8Array(96);
      column.set(c.publicKey, 40);
      const viaEngine = crypto.verify(null, c.message, importEd25519PublicKey(crypto, column, 40), c.signature);
      if (viaDer !== viaEngine) differ.push(`${c.label}: DER ${viaDer}, engine ${viaEngine}`);
      if (viaDer) accepted++;
    }
    expect(differ).toEqual([]);
    // Both verdicts occur, so a constant answer could not pass.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(all.length);
  });

  it('verifyRange (cached JWK keys, shared memory) matches the ref10 oracle on every case', () => {
    const batch = casesToBatch(all);
    // A SharedArrayBuffer-backed key column, as the pool's workers see it.
    const shared = new Uint8Array(new SharedArrayBuffer(batch.publicKeys.length + 8), 8, batch.publicKeys.length);
    shared.set(batch.publicKeys);
    const want = oracleVerdicts(all, 'ref10');
    for (const columns of [batch, { ...batch, publicKeys: shared }]) {
      for (let pass = 0; pass < 2; pass++) { // the second pass runs on cached keys
        const got = new Uint8Array(all.length);
        verifyRange('node', crypto, columns, 'ref10', 0, all.length, got);
        const wrong = all.flatMap((c, i) => (got[i] !== want[i] ? [`${c.label}: got ${got[i]}, expected ${want[i]}`] : []));
        expect(wrong, `pass ${pass}`).toEqual([]);
      }
    }
  });
});

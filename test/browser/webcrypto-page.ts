// Runs in headless Chromium: the CPU verifier's WebCrypto engine (Web
// Workers, BoringSSL's Ed25519 through crypto.subtle) on test cases sent from
// Node, under every rule set; plus WebCrypto's own verdict on each case, for
// the claim that it is ref10 wherever the engine takes its answer.
import { RULE_SETS, packSignatureBatch, type RuleSet } from '../../src/ed25519/batch.js';
import { createCpuVerifier } from '../../src/ed25519/cpu/backend.js';
import { webCryptoDecides, webCryptoEd25519Available } from '../../src/ed25519/cpu/engine.js';
import { fromHex } from '../../src/hex.js';

export interface WebCryptoPageResult {
  available: boolean;
  /** The engine a CPU verifier picks by itself here. */
  defaultEngine: string;
  /** The engine's verdicts per rule set, '0'/'1' per case. */
  verdicts: Record<RuleSet, string>;
  /** crypto.subtle.verify's own verdict per case: '1', '0', or 'e' (import or verify threw). */
  raw: string;
  /** '1' where the engine takes WebCrypto's verdict as ref10's. */
  decides: string;
}

export async function run(arg: { cases: Array<[publicKey: string, signature: string, message: string]>; workers: number }): Promise<WebCryptoPageResult> {
  const items = arg.cases.map(([publicKey, signature, message]) => ({ publicKey: fromHex(publicKey), signature: fromHex(signature), message: fromHex(message) }));
  const batch = packSignatureBatch(items);
  const available = await webCryptoEd25519Available();
  const auto = await createCpuVerifier({ workers: 1 });
  const defaultEngine = auto.engine;
  await auto.destroy();

  const verdicts = {} as Record<RuleSet, string>;
  const verifier = await createCpuVerifier({ workers: arg.workers, engine: 'webcrypto' });
  try {
    for (const rules of RULE_SETS) verdicts[rules] = (await verifier.verify(batch, rules)).join('');
  } finally {
    await verifier.destroy();
  }

  const subtle = globalThis.crypto.subtle;
  const raw = await Promise.all(items.map(async (it) => {
    try {
      const key = await subtle.importKey('raw', it.publicKey.slice(), { name: 'Ed25519' }, false, ['verify']);
      return (await subtle.verify({ name: 'Ed25519' }, key, it.signature.slice(), it.message.slice())) ? '1' : '0';
    } catch {
      return 'e';
    }
  }));
  const decides = items.map((_, i) => (webCryptoDecides(batch, i) ? '1' : '0')).join('');
  return { available, defaultEngine, verdicts, raw: raw.join(''), decides };
}

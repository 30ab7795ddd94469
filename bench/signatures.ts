// Signed inputs for the verify benchmarks (bench/verify.ts, bench/gpu.ts):
// deterministic keys, valid signatures over docs/transactions.md-sized messages, and the
// same batch made invalid.
import crypto from 'node:crypto';
import { packSignatureBatch, type SignatureBatch, type SignatureItem } from '../src/ed25519/batch.js';

/** The signed part of a docs/transactions.md transaction. */
export const MESSAGE_BYTES = 81;

const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
export function signers(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const seed = crypto.createHash('sha256').update(`bench-key-${i}`).digest();
    const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8, seed]), format: 'der', type: 'pkcs8' });
    const publicKey = new Uint8Array(crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12));
    return { key, publicKey };
  });
}

/** n valid signatures, senders round robin over `distinctKeys` keys, distinct messages. */
export function validBatch(n: number, keys: ReturnType<typeof signers>): SignatureBatch {
  const items: SignatureItem[] = [];
  for (let i = 0; i < n; i++) {
    const s = keys[i % keys.length];
    const message = new Uint8Array(MESSAGE_BYTES);
    new DataView(message.buffer).setUint32(0, i, true);
    message[4] = 1;
    message.set(s.publicKey, 5);
    items.push({ publicKey: s.publicKey, signature: new Uint8Array(crypto.sign(null, message, s.key)), message });
  }
  return packSignatureBatch(items);
}

/** The same batch with one bit of S flipped in every item: all invalid, ref10-rejected, so zip215 takes the exact path. */
export function invalidBatch(batch: SignatureBatch): SignatureBatch {
  const signatures = batch.signatures.slice();
  for (let i = 0; i < signatures.length / 64; i++) signatures[64 * i + 40] ^= 0x10;
  return { ...batch, signatures };
}

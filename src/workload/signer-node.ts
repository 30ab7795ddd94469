// Ed25519 signing through node:crypto (OpenSSL). Node only.
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { Ed25519Signer, SigningKey } from './signer.js';

// PKCS#8 DER of an Ed25519 private key: SEQUENCE { version 0, AlgorithmIdentifier
// 1.3.101.112, OCTET STRING { OCTET STRING seed(32) } } — 16 bytes of header.
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export const nodeSigner: Ed25519Signer = {
  name: 'node:crypto',
  key(seed: Uint8Array): SigningKey {
    if (seed.length !== 32) throw new RangeError(`ed25519 seed must be 32 bytes, got ${seed.length}`);
    const der = new Uint8Array(48);
    der.set(PKCS8_ED25519_PREFIX, 0);
    der.set(seed, 16);
    const privateKey = createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
    // JWK export is the cheap way out of a KeyObject (DER export re-encodes).
    const x = createPublicKey(privateKey).export({ format: 'jwk' }).x;
    if (typeof x !== 'string') throw new Error('node:crypto returned an Ed25519 public key without x');
    const publicKey = new Uint8Array(Buffer.from(x, 'base64url'));
    return {
      publicKey,
      sign: (message) => new Uint8Array(sign(null, message, privateKey)),
    };
  },
};

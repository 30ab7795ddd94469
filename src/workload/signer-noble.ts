// Ed25519 signing through @noble/curves: runs anywhere, including browsers.
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Ed25519Signer, SigningKey } from './signer.js';

export const nobleSigner: Ed25519Signer = {
  name: 'noble',
  key(seed: Uint8Array): SigningKey {
    if (seed.length !== 32) throw new RangeError(`ed25519 seed must be 32 bytes, got ${seed.length}`);
    const secret = Uint8Array.from(seed);
    return {
      publicKey: ed25519.getPublicKey(secret),
      sign: (message) => ed25519.sign(message, secret),
    };
  },
};

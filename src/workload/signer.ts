// Signing for workload generation. A workload needs thousands of keys and
// signatures: Node signs through OpenSSL (node:crypto, ~20× faster than pure
// JS); a browser has no node:crypto and signs with noble. Both are RFC 8032
// deterministic, so the same seed gives the same bytes either way.

/** A private key ready to sign, with its 32-byte public key. */
export interface SigningKey {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface Ed25519Signer {
  readonly name: 'node:crypto' | 'noble';
  /** The key of a 32-byte RFC 8032 secret seed. */
  key(seed: Uint8Array): SigningKey;
}

// Deterministic workloads (what `preexec gen` writes): public surface.
// The node:crypto signer is loaded on demand so this module stays importable in a browser.
import type { Ed25519Signer } from './signer.js';

export { generateWorkload, checkWorkloadSpec, workloadKeySeed, WORKLOADS, GENESIS_BALANCE, DEFAULT_BAD_SIG_PERCENT, WorkloadSpecError } from './generate.js';
// GenesisAccount is the same shape as src/state's, which the package exports.
export type { Workload, WorkloadSpec, WorkloadName, GenerateOptions } from './generate.js';
export { genesisToJson, blockToFile, blockFileName } from './files.js';
export { generateSolanaWorkload, checkSolanaWorkloadSpec, SOLANA_WORKLOAD_DEFAULTS, SolanaWorkloadSpecError } from './solana.js';
export type { SolanaWorkload, SolanaWorkloadSpec, SolanaIntended } from './solana.js';
export { createPrng } from './prng.js';
export type { Prng } from './prng.js';
export { nobleSigner } from './signer-noble.js';
export type { Ed25519Signer, SigningKey } from './signer.js';

/** The fastest signer here: node:crypto (OpenSSL) in Node, noble elsewhere. */
export async function defaultSigner(): Promise<Ed25519Signer> {
  const inNode = typeof process !== 'undefined' && !!process.versions?.node
    && typeof (globalThis as { window?: unknown }).window === 'undefined';
  if (inNode) return (await import('./signer-node.js')).nodeSigner;
  return (await import('./signer-noble.js')).nobleSigner;
}

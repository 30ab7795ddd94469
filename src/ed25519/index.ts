// ed25519 batch verification: docs/verification.md rule sets over docs/verification.md batches.
export { createVerifier, crossoverItems, DEFAULT_RULES } from './verifier.js';
export type { Verifier, VerifierOptions, BackendChoice, BackendTiming } from './verifier.js';
export { createCpuVerifier } from './cpu/backend.js';
export type { CpuVerifier, CpuVerifierOptions } from './cpu/backend.js';
export type { CpuEngine } from './cpu/engine.js';
export { verifyReference } from './reference.js';
export {
  RULE_SETS, BatchFormatError, VerifierDestroyedError, packSignatureBatch, validateBatch, batchSize, batchItem, sliceBatch,
} from './batch.js';
export type { RuleSet, SignatureBatch, SignatureItem } from './batch.js';

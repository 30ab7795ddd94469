/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
// webgpu-preexec: the library's public surface, documented in docs/library.md.
// Every name here is deliberate and pinned by test/public-api.test.ts; the
// modules' own helpers (table layouts, schedulers, kernels) stay internal.

// The pre-execution stage.
export { createPipeline, DEFAULT_MAX_BLOCKS_IN_FLIGHT, BlockFailedError, PipelineBusyError, PipelineClosedError } from './pipeline/pipeline.js';
export type {
  Pipeline, PipelineOptions, PipelineBackends, Backend, SignatureVerifier, StateTree, BlockResult, StageTimings,
} from './pipeline/pipeline.js';

// ed25519 batch verification: rule sets and the batch layout (docs/verification.md).
export { createVerifier, DEFAULT_RULES } from './ed25519/verifier.js';
export type { Verifier, VerifierOptions, BackendChoice } from './ed25519/verifier.js';
export { verifyReference } from './ed25519/reference.js';
export { RULE_SETS, BatchFormatError, VerifierDestroyedError, packSignatureBatch, validateBatch, batchSize } from './ed25519/batch.js';
export type { RuleSet, SignatureBatch, SignatureItem } from './ed25519/batch.js';

// RFC 6962 Merkle trees (docs/merkle.md).
export { EMPTY_ROOT, leafHash, nodeHash, merkleRoot, inclusionProof, verifyInclusion, toColumnar, MerkleInputError } from './merkle/reference.js';
export type { Leaves, Columnar } from './merkle/reference.js';
export { createMerkleHasher } from './merkle/hasher.js';
export type { MerkleHasher, MerkleHasherOptions, MerkleBackend } from './merkle/hasher.js';
export { createIncrementalMerkleTree } from './merkle/incremental.js';
export type { IncrementalMerkleTree, IncrementalTreeOptions } from './merkle/incremental.js';

// Transactions, blocks, genesis, receipts, execution (docs/transactions.md).
export { TX_SIZE, TX_VERSION, encodeTransaction, decodeTransaction } from './tx/v1/transaction.js';
export type { Transaction } from './tx/v1/transaction.js';
export { parseBlock, serializeBlock, BlockFormatError } from './tx/v1/block.js';
export type { BlockRecords } from './tx/v1/block.js';
export { parseGenesis, stateFromGenesis, GenesisFormatError } from './state/genesis.js';
export type { GenesisAccount } from './state/genesis.js';
export { AccountState } from './state/account-state.js';
export type { Account } from './state/account-state.js';
export { Receipt, RECEIPT_NAMES } from './tx/v1/receipt.js';
export type { ReceiptCode } from './tx/v1/receipt.js';
export { decodeBlock, validityFromVerdicts } from './exec/decode.js';
export type { DecodedBlock } from './exec/decode.js';
export { createExecutor } from './exec/executor.js';
export type { Executor, ExecutorOptions, BlockExecution } from './exec/executor.js';
export type { ExecutionMode } from './exec/mode-choice.js';

// Solana transactions: the sigverify and scheduling stage (docs/solana.md).
export { createSolanaStage, SOLANA_REASONS, DEFAULT_SOLANA_BATCH_SIZE } from './solana/stage.js';
export type { SolanaReason, SolanaStage, SolanaStageOptions, SolanaStageResult, SolanaStageTimings } from './solana/stage.js';
export { parseSolanaPacketLines, SolanaInputFormatError } from './tx/solana/base64-lines.js';
export type { LookupTablesInput } from './tx/solana/locks.js';

// Deterministic workloads (what `preexec gen` writes).
export { generateWorkload, WORKLOADS, GENESIS_BALANCE, WorkloadSpecError } from './workload/generate.js';
export type { Workload, WorkloadSpec, WorkloadName, GenerateOptions } from './workload/generate.js';
export { genesisToJson, blockToFile, blockFileName } from './workload/files.js';
export { defaultSigner } from './workload/index.js';
export type { Ed25519Signer, SigningKey } from './workload/signer.js';

// GPU plumbing.
export { acquireGpu, GpuUnavailableError, GpuDeviceLostError } from './gpu/device.js';
export type { GpuContext, AdapterReport, AcquireOptions } from './gpu/device.js';

export { toHex, fromHex } from './hex.js';
export type { Closable } from './lifecycle.js';

// Hostile input: one resource policy and the error classes every backend shares (docs/limits.md).
export { LIMITS } from './limits.js';
export { InvalidArgumentError, ResourceLimitError, DestroyedError } from './errors.js';

/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
// webgpu-preexec: the library's public surface.

// GPU plumbing: device acquisition and staging (no cryptography).
export { acquireGpu, raceDeviceLoss, GpuUnavailableError, GpuDeviceLostError } from './gpu/device.js';
export type { GpuContext, AdapterReport, AcquireOptions } from './gpu/device.js';
export { createStaging, planChunks, sliceColumnar, workgroupGrid } from './gpu/staging.js';
export type { Staging, StagingLimits, Chunk } from './gpu/staging.js';

// Cryptography: ed25519 batch verification (SPEC §1, §2) and RFC 6962 Merkle trees (SPEC §3).
export * from './ed25519/index.js';
export { createGpuVerifyKernel, VERDICT_BIT } from './ed25519/gpu/kernel.js';
export type { GpuVerifyKernel, GpuVerifyKernelOptions } from './ed25519/gpu/kernel.js';
export * from './merkle/index.js';

// Transactions, state and execution (SPEC §4, §5).
export * from './tx/index.js';
export {
  createSolanaStage, prepareSolanaPackets, packSolanaSignatures, finishSolanaPackets, SOLANA_REASONS, DEFAULT_SOLANA_BATCH_SIZE,
} from './solana/stage.js';
export type {
  SolanaReason, SolanaStage, SolanaStageOptions, SolanaStageResult, SolanaStageTimings, PreparedSolanaPackets,
} from './solana/stage.js';
export * from './state/index.js';
export * from './exec/index.js';

// The pre-execution stage and its workloads.
export * from './pipeline/index.js';
export * from './workload/index.js';

export { toHex, fromHex } from './hex.js';

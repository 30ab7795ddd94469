// Execution of verified transactions (docs/transactions.md): decode, apply, parallel executor.
export { decodeBlock, validityFromVerdicts, KEY_STRIDE, VALUE_STRIDE } from './decode.js';
export type { DecodedBlock } from './decode.js';
export { applyRange, resolveCells, TouchSet } from './apply.js';
export { executeSequential, createExecutor, DEFAULT_MIN_PARALLEL_RECORDS } from './executor.js';
export type { Executor, ExecutorOptions, BlockExecution } from './executor.js';
export type { ExecutionMode, ParallelMode } from './mode-choice.js';

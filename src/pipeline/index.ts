// The pre-execution pipeline: public surface.
export {
  createPipeline, DEFAULT_MAX_BLOCKS_IN_FLIGHT, BlockFailedError, BlockWithdrawnError, PipelineBusyError, PipelineClosedError,
} from './pipeline.js';
export type {
  Pipeline, PipelineOptions, PipelineBackends, Backend as PipelineBackend, SignatureVerifier, StateTree, BlockResult, StageTimings,
} from './pipeline.js';
export type { StageSpans } from './schedule.js';
export { measurePipelineRun, measureSequentialExecute, unionMs } from './measure.js';
export type { PipelineRunStats } from './measure.js';

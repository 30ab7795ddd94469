// What the page exposes on `window.__preexecBench` for automation (bench/chrome.ts, tests).
import type { AdapterReport } from '../../src/gpu/device.js';
import type { PageConfig, SweepStage } from './config.js';

export interface SweepPoint {
  stage: SweepStage;
  backend: 'webgpu' | 'cpu';
  size: number;
  /** Items (signatures, leaves, transactions) per second: median of `reps`. */
  perSecond: number;
  ms: number;
}

export interface PageResult {
  status: 'running' | 'done' | 'error';
  progress: string;
  error?: string;
  config?: PageConfig;
  adapter?: AdapterReport;
  userAgent?: string;
  crossOriginIsolated?: boolean;
  hardwareConcurrency?: number;
  workload?: { workload: string; accounts: number; txsPerBlock: number; blocks: number; seed: number; transactions: number; generateMs: number };
  pipeline?: {
    backends: { verify: string; stateRoot: string; executeWorkers: number };
    tps: { endToEnd: number; decode: number; verify: number; execute: number; stateRoot: number };
    stageMs: Record<string, number>;
    wallMs: number;
    runs: number[];
    receipts: Record<string, number>;
    stateRoot: string;
    /** Receipts of every block, hex, for comparison with the Node pipeline. */
    blockReceipts: string[];
  };
  /** ms of the untimed warm-up call before the pipeline run (GPU kernel compilation). */
  pipelineWarmupMs?: number;
  /** ms to compile the GPU ed25519 kernel (first call), when the sweep used it. */
  gpuVerifyCompileMs?: number;
  sweep?: SweepPoint[];
}

declare global {
  interface Window { __preexecBench: PageResult }
}

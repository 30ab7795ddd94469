// What the page exposes on `window.__preexecBench` for automation (bench/chrome.ts, tests).
import type { AdapterReport } from '../../src/gpu/device.js';
import type { PageConfig, SweepStage } from './config.js';

export interface SweepPoint {
  stage: SweepStage;
  backend: 'webgpu' | 'cpu';
  /** The CPU verifier's engine, for verify/cpu points. */
  engine?: 'webcrypto' | 'noble';
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
  /** The adapter as the page names it: "WebGPU (SwiftShader, software)", "WebGPU (nvidia ampere)", or why there is none. */
  adapterLabel?: string;
  /** The engine of the CPU verifier here: WebCrypto's Ed25519 where the browser has it, else noble. */
  cpuEngine?: 'webcrypto' | 'noble';
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
  /**
   * Start-up, the page's one compile-time figure: ms from calling
   * createPipeline the first time to the end of its first verify call, so it
   * includes starting the workers and compiling every GPU kernel the pipeline uses.
   */
  startupMs?: number;
  sweep?: SweepPoint[];
  /** CPU verification, WebCrypto against noble, at the largest batch both ran. */
  webCryptoGain?: { size: number; webcrypto: number; noble: number; ratio: number };
}

declare global {
  interface Window { __preexecBench: PageResult }
}

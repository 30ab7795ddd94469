// The page's parameters, from the query string, with defaults sized for a
// real GPU and shrunk on a software adapter (SwiftShader proves correctness,
// it does not measure GPU speed, and its ed25519 kernel is slow).
import { RULE_SETS, type RuleSet } from '../../src/ed25519/batch.js';
import { DEFAULT_RULES } from '../../src/ed25519/verifier.js';
import type { Backend } from '../../src/pipeline/pipeline.js';
import { WORKLOADS, type WorkloadName } from '../../src/workload/generate.js';

export type SweepStage = 'verify' | 'stateRoot' | 'execute';

export interface PageConfig {
  workload: WorkloadName;
  accounts: number;
  txs: number;
  blocks: number;
  seed: number;
  rules: RuleSet;
  backend: Backend;
  verifyBackend?: Backend;
  stateRootBackend?: Backend;
  workers?: number;
  /** Batch sizes of the sweep. */
  sizes: number[];
  sweep: SweepStage[];
  /** Whether the sweep times the GPU ed25519 kernel (default: on a hardware adapter only; minutes on SwiftShader). */
  gpuVerify: boolean;
  /** Largest batch the sweep verifies with noble, beside WebCrypto (0: none); noble is slow. */
  nobleMax: number;
  runs: number;
  reps: number;
}

export class PageConfigError extends Error {
  override name = 'PageConfigError';
}

function int(q: URLSearchParams, name: string, fallback: number, min = 1): number {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  if (!/^[0-9]+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new PageConfigError(`?${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return Number(v);
}

function oneOf<T extends string>(q: URLSearchParams, name: string, choices: readonly T[], fallback: T): T {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  if (!(choices as readonly string[]).includes(v)) throw new PageConfigError(`?${name} must be one of ${choices.join('|')}, got ${JSON.stringify(v)}`);
  return v as T;
}

const BACKENDS: readonly Backend[] = ['auto', 'webgpu', 'cpu'];

/** The query-string keys readConfig reads, for the page's help line. */
export const QUERY_KEYS = [
  'workload', 'accounts', 'txs', 'blocks', 'seed', 'rules', 'backend', 'verifyBackend', 'stateRootBackend',
  'workers', 'sizes', 'sweep', 'gpuVerify', 'nobleMax', 'runs', 'reps',
] as const;

export function readConfig(search: string, softwareAdapter: boolean): PageConfig {
  const q = new URLSearchParams(search);
  for (const key of q.keys()) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) throw new PageConfigError(`unknown query parameter ?${key} (known: ${QUERY_KEYS.join(', ')})`);
  }
  const small = softwareAdapter;
  const sizes = (q.get('sizes') ?? (small ? '32,128' : '256,1024,4096,16384,65536')).split(',').map((s) => {
    if (!/^[0-9]+$/.test(s) || Number(s) < 1) throw new PageConfigError(`?sizes must be positive integers separated by commas, got ${JSON.stringify(s)}`);
    return Number(s);
  });
  const sweep = (q.get('sweep') ?? 'verify,stateRoot,execute').split(',').filter(Boolean).map((s) => {
    if (s !== 'verify' && s !== 'stateRoot' && s !== 'execute') throw new PageConfigError(`?sweep lists verify, stateRoot, execute; got ${JSON.stringify(s)}`);
    return s as SweepStage;
  });
  const optBackend = (name: string): Backend | undefined => (q.get(name) ? oneOf(q, name, BACKENDS, 'auto') : undefined);
  const workers = q.get('workers') ? int(q, 'workers', 1) : undefined;
  const verifyBackend = optBackend('verifyBackend');
  const stateRootBackend = optBackend('stateRootBackend');
  return {
    workload: oneOf(q, 'workload', WORKLOADS, 'uniform'),
    accounts: int(q, 'accounts', small ? 64 : 4096, 2),
    txs: int(q, 'txs', small ? 128 : 8192),
    blocks: int(q, 'blocks', small ? 3 : 4),
    seed: int(q, 'seed', 1, 0),
    rules: oneOf(q, 'rules', RULE_SETS, DEFAULT_RULES),
    backend: oneOf(q, 'backend', BACKENDS, 'auto'),
    ...(verifyBackend ? { verifyBackend } : {}),
    ...(stateRootBackend ? { stateRootBackend } : {}),
    ...(workers !== undefined ? { workers } : {}),
    sizes,
    sweep,
    gpuVerify: (q.get('gpuVerify') ?? (small ? '0' : '1')) !== '0',
    nobleMax: int(q, 'nobleMax', 4096, 0),
    runs: int(q, 'runs', 1),
    reps: int(q, 'reps', small ? 1 : 3),
  };
}

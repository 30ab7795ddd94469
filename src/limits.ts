// The resource policy: every cap on what an input can make the process
// allocate, in one place (documented in README "Resource limits"). An input
// over a cap is refused with a ResourceLimitError naming the input and the
// cap, before the memory is spent: files are read in bounded chunks (special
// files such as /dev/zero or a pipe get the same limit as regular ones), block
// records are counted before anything is allocated per record, and worker
// threads are capped per core.
import { ResourceLimitError } from './errors.js';

export const MiB = 1 << 20;

export const LIMITS = {
  /** Worker threads per available core (every pool: verifier, executor, Merkle hasher). */
  workersPerCore: 4,
  /** A block file (docs/transactions.md): 2^20 version-1 records take 149 MiB, so this leaves room for malformed ones. */
  blockFileBytes: 256 * MiB,
  /** All --block files of one `preexec run` together (they are read and checked before any work). */
  runBlockBytes: 1024 * MiB,
  /** Records in one block (file or BlockRecords): each costs ~300 bytes of columns while it is in flight. */
  recordsPerBlock: 1 << 20,
  /**
   * A text input read whole: genesis JSON, verify JSON lines, Merkle leaf
   * files. Well under V8's longest string (2^29 - 24 characters), so a text
   * file is refused for its size, never for a string it cannot become.
   */
  textFileBytes: 256 * MiB,
  /**
   * Values in one JSON document (genesis: 3 per account, so 2.8M accounts, more
   * than a 256 MiB genesis holds). Keeps JSON.parse to a few hundred MB of heap.
   */
  jsonValues: 1 << 23,
  /** Leaves in one `preexec merkle` file (4 bytes of offsets each, plus their hashes). */
  leavesPerFile: 1 << 24,
} as const;

let coreCount: number | undefined;

/** Cores this process may use (Node: os.availableParallelism(); a browser: navigator.hardwareConcurrency). */
export async function availableCores(): Promise<number> {
  if (coreCount !== undefined) return coreCount;
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node && typeof (globalThis as { window?: unknown }).window === 'undefined') {
    const os = await import('node:os');
    coreCount = Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  } else {
    coreCount = Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 4);
  }
  return coreCount;
}

/** The most worker threads one pool may start here. */
export async function maxWorkers(): Promise<number> {
  return LIMITS.workersPerCore * await availableCores();
}

/**
 * Throws ResourceLimitError when `workers` is above LIMITS.workersPerCore ×
 * cores: each worker is a V8 isolate (tens of MB), so a typo like 1000 would
 * otherwise take gigabytes and minutes before doing any work. `what` names
 * the setting ("--workers", "workers").
 */
export async function checkWorkerCount(workers: number, what = 'workers'): Promise<void> {
  const n = await availableCores();
  const cap = LIMITS.workersPerCore * n;
  if (workers > cap) {
    throw new ResourceLimitError(`${what} ${workers} is more than ${LIMITS.workersPerCore} × ${n} core${n === 1 ? '' : 's'} = ${cap}, the cap on worker threads`);
  }
}

/** "256 MiB" for byte caps in messages. */
export function formatBytes(n: number): string {
  return n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`;
}

// The pre-execution stage a node plugs into its loop: raw block records in,
// validity flags, receipts and the state root out (docs/transactions.md–§5).
//
//   decode ─► verify signatures ─► execute (in block order) ─► state root
//
// Block k+1 is decoded and verified while block k executes, and block k's
// root is hashed while block k+1 executes (schedule.ts). At most
// `maxBlocksInFlight` blocks are inside at once; `submit` makes a caller wait
// for a slot rather than buffer without limit. The result of every block is
// the result of applying the blocks one at a time with the sequential
// executor: the stages only overlap where they do not share state.
//
// GPU plumbing, cryptography and execution stay in their modules; this file
// only wires them: `createVerifier` (src/ed25519), `createExecutor`
// (src/exec), `createIncrementalMerkleTree` (src/merkle).
import { noGpuReason, raceDeviceLoss, type AdapterReport, type GpuContext } from '../gpu/device.js';
import type { RuleSet, SignatureBatch } from '../ed25519/batch.js';
import type { BlockRecords } from '../tx/v1/index.js';
import type { GenesisAccount } from '../state/genesis.js';
import { stateFromGenesis } from '../state/genesis.js';
import { ACCOUNT_BYTES } from '../state/account-state.js';
import { assertBlockRecords, decodeBlock, validityFromVerdicts, type DecodedBlock } from '../exec/decode.js';
import { createExecutor, type BlockExecution, type Executor } from '../exec/executor.js';
import { DEFAULT_RULES } from '../ed25519/verifier.js';
import { createBlockScheduler, type BlockResult } from './schedule.js';
import { InvalidArgumentError, requireObject } from '../errors.js';

export type { BlockResult, StageTimings } from './schedule.js';
export { BlockFailedError, BlockWithdrawnError, PipelineClosedError } from './schedule.js';
import { PipelineClosedError } from './schedule.js';

/** A second process() while one is running on the same pipeline. */
export class PipelineBusyError extends Error {
  override name = 'PipelineBusyError';
}

export type Backend = 'auto' | 'webgpu' | 'cpu';

/** The signature stage as the pipeline uses it (what `createVerifier` returns). */
export interface SignatureVerifier {
  verify(batch: SignatureBatch): Promise<Uint8Array>;
  readonly backend: 'webgpu' | 'cpu';
  readonly adapter?: AdapterReport;
  destroy(): void | Promise<void>;
}

/** The state tree as the pipeline uses it (what `createIncrementalMerkleTree` returns). */
export interface StateTree {
  readonly size: number;
  readonly backend: 'webgpu' | 'cpu';
  setLeaves(indices: Uint32Array, leaves: Uint8Array): Promise<void>;
  root(): Promise<Uint8Array>;
  destroy(): void | Promise<void>;
}

export interface PipelineOptions {
  /** Genesis accounts (parseGenesis of docs/transactions.md's JSON). */
  genesis: readonly GenesisAccount[];
  /** Default DEFAULT_RULES of src/ed25519/verifier.ts (zip215), as `preexec verify` and `preexec run`. */
  rules?: RuleSet;
  /** Where signatures are verified and the state root hashed. Default 'auto'. */
  backend?: Backend;
  /** Overrides `backend` for the signature stage alone. */
  verifyBackend?: Backend;
  /** Overrides `backend` for the state root alone ('auto': wherever the verifier runs). */
  stateRootBackend?: Backend;
  /** Threads for the verifier's CPU pool and the executor. Default: every core. */
  workers?: number;
  /** A GPU device to share; otherwise the pipeline acquires one when a stage needs it, and destroys it on close. */
  device?: GpuContext;
  /** Blocks inside the pipeline at once (≥ 1). Default 3: one executing, two verifying. */
  maxBlocksInFlight?: number;
  /** Stand-ins for the default stages (the caller keeps ownership: close() does not destroy them). */
  verifier?: SignatureVerifier;
  createStateTree?: (backend: 'webgpu' | 'cpu', device?: GpuContext) => Promise<StateTree>;
}

export interface PipelineBackends {
  verify: 'webgpu' | 'cpu';
  stateRoot: 'webgpu' | 'cpu';
  /** Threads sharing execution (1 = sequential executor). */
  executeWorkers: number;
  /** With backend 'auto' and signatures on the CPU: why (no adapter, a software adapter, a GPU never faster). */
  fallbackReason?: string;
  adapter?: AdapterReport;
}

export interface Pipeline {
  /**
   * Takes one block's records (parseBlock of a docs/transactions.md block file). Resolves
   * when the block has been applied; waits for a slot first when
   * `maxBlocksInFlight` blocks are inside. Blocks apply in submission order.
   */
  submit(records: BlockRecords): Promise<BlockResult>;
  /** Resolves when a block submitted now would enter without waiting. */
  ready(): Promise<void>;
  /**
   * Applies blocks from any (async) source in order, pulling the next only
   * when a slot is free. Nothing applied is lost:
   * - the source throws: the results of the blocks it gave are yielded, then its error is thrown;
   * - a block fails: the results before it are yielded, then its error (later blocks are not applied);
   * - the consumer leaves early (break/return/throw): pulled blocks that have
   *   not begun executing are withdrawn (never applied; the state root stays
   *   consistent with what was delivered); the at most two already executing
   *   complete and their results are kept for `takeUndelivered()`;
   * - close() while it runs: blocks already submitted apply and are yielded,
   *   then PipelineClosedError; nothing more is pulled.
   * One process() at a time: a second concurrent one throws PipelineBusyError
   * at its first next(). (submit() may be called meanwhile: blocks apply in call order.)
   */
  process(blocks: Iterable<BlockRecords> | AsyncIterable<BlockRecords>): AsyncGenerator<BlockResult>;
  /** Results of blocks process() applied after its consumer left early, oldest first; taking them empties the list. */
  takeUndelivered(): BlockResult[];
  /** The signature stage alone: one byte per item, 1 = valid under the pipeline's rule set. */
  verify(batch: SignatureBatch): Promise<Uint8Array>;
  /** State root after the last submitted block (after genesis if none). */
  stateRoot(): Promise<Uint8Array>;
  readonly backends: PipelineBackends;
  readonly rules: RuleSet;
  readonly maxBlocksInFlight: number;
  /** Lets blocks in flight finish, then releases workers and GPU buffers (and the device it acquired). Idempotent. */
  close(): Promise<void>;
  /** `close()`, for `await using pipeline = await createPipeline(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

export const DEFAULT_MAX_BLOCKS_IN_FLIGHT = 3;

interface Executed {
  validity: Uint8Array;
  execution: BlockExecution;
}

export async function createPipeline(options: PipelineOptions): Promise<Pipeline> {
  requireObject(options, 'createPipeline(options): options');
  if (!Array.isArray(options.genesis)) {
    throw new InvalidArgumentError(`createPipeline(options): options.genesis must be an array of accounts (parseGenesis of a genesis file), got ${options.genesis === null ? 'null' : typeof options.genesis}`);
  }
  const rules = options.rules ?? DEFAULT_RULES;
  const checkBackend = (name: string, b: Backend): Backend => {
    if (b !== 'auto' && b !== 'webgpu' && b !== 'cpu') throw new RangeError(`${name} must be auto|webgpu|cpu, got ${JSON.stringify(b)}`);
    return b;
  };
  const backend = checkBackend('backend', options.backend ?? 'auto');
  const verifyBackend = checkBackend('verifyBackend', options.verifyBackend ?? backend);
  const rootBackend = checkBackend('stateRootBackend', options.stateRootBackend ?? backend);
  const maxBlocksInFlight = options.maxBlocksInFlight ?? DEFAULT_MAX_BLOCKS_IN_FLIGHT;
  if (!Number.isInteger(maxBlocksInFlight) || maxBlocksInFlight < 1) throw new RangeError(`maxBlocksInFlight must be a positive integer, got ${maxBlocksInFlight}`);
  const workers = options.workers;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) throw new RangeError(`workers must be a positive integer, got ${workers}`);

  // Everything created here is released on close, or at once if a later step fails.
  const cleanups: Array<() => void | Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) {
      try { await c(); } catch { /* keep releasing the rest */ }
    }
  };
  try {
    // One device serves both GPU stages. 'auto' acquires one only to let the
    // verifier judge it; when the verifier keeps to the CPU (a software
    // adapter, or a GPU slower than the cores) the device is released at once:
    // Dawn keeps a core busy while a device lives, and here every core verifies.
    let device = options.device;
    let ownedDevice: GpuContext | undefined;
    let noGpu: string | undefined;
    const verifierMayUseGpu = !options.verifier && verifyBackend !== 'cpu';
    if (!device && (verifierMayUseGpu || rootBackend === 'webgpu')) {
      const { acquireGpu } = await import('../gpu/device.js');
      try {
        ownedDevice = await acquireGpu();
        cleanups.push(() => ownedDevice?.destroy());
        device = ownedDevice;
      } catch (e) {
        // Named explicitly, a missing GPU is the caller's error; 'auto' falls back to the CPU.
        if (verifyBackend === 'webgpu' || rootBackend === 'webgpu') throw e;
        noGpu = noGpuReason(e);
      }
    }

    let verifier = options.verifier;
    if (!verifier) {
      const { createVerifier } = await import('../ed25519/verifier.js');
      const created: SignatureVerifier = await createVerifier({
        rules,
        // 'auto' with no device (none could be had above) is the CPU: asking again would only fail again.
        backend: device || verifyBackend !== 'auto' ? verifyBackend : 'cpu',
        ...(device && verifyBackend !== 'cpu' ? { device } : {}),
        ...(workers !== undefined ? { workers } : {}),
      });
      cleanups.push(() => created.destroy());
      verifier = created;
    }

    // 'auto' hashes where the verifier runs: if it judged the GPU worth using,
    // so is the tree; on a software adapter neither is.
    const treeBackend: 'webgpu' | 'cpu' = rootBackend === 'auto' ? verifier.backend : rootBackend;
    if (treeBackend === 'webgpu' && !device) {
      const { acquireGpu } = await import('../gpu/device.js');
      ownedDevice = await acquireGpu();
      cleanups.push(() => ownedDevice?.destroy());
      device = ownedDevice;
    }
    const gpuInUse = verifier.backend === 'webgpu' || treeBackend === 'webgpu';
    const adapterReport = verifier.adapter ?? device?.report;
    if (!gpuInUse && ownedDevice) {
      ownedDevice.destroy();
      ownedDevice = undefined;
      device = undefined;
    }
    const makeTree = options.createStateTree ?? (async (b: 'webgpu' | 'cpu', d?: GpuContext): Promise<StateTree> => {
      const { createIncrementalMerkleTree } = await import('../merkle/incremental.js');
      return createIncrementalMerkleTree({ backend: b, leafSize: ACCOUNT_BYTES, ...(d ? { device: d } : {}) });
    });
    const tree = await makeTree(treeBackend, treeBackend === 'webgpu' ? device : undefined);
    cleanups.push(() => tree.destroy());

    const state = stateFromGenesis(options.genesis);
    const executor: Executor = await createExecutor(state, workers !== undefined ? { workers } : {});
    cleanups.push(() => executor.destroy());

    // The genesis root: every genesis account is a leaf.
    const genesisSlots = Uint32Array.from({ length: state.count }, (_, i) => i);
    await tree.setLeaves(genesisSlots, state.leaves(genesisSlots));
    const genesisRoot = await tree.root();

    const v = verifier;
    const lostDevice = gpuInUse ? device : undefined;
    const withDeviceLoss = <T>(work: Promise<T>): Promise<T> => (lostDevice ? raceDeviceLoss(lostDevice, work) : work);
    const scheduler = createBlockScheduler<BlockRecords, DecodedBlock, Executed>({
      decode: decodeBlock,
      // A lost device fails the block in flight instead of hanging it.
      verify: (d) => withDeviceLoss(v.verify(d.batch)),
      async execute(d, verdicts) {
        const validity = validityFromVerdicts(d, verdicts);
        return { validity, execution: await executor.execute(d, validity) };
      },
      async commit(e) {
        const { touched, leaves } = e.execution;
        if (touched.length > 0) await withDeviceLoss(tree.setLeaves(touched, leaves));
        return withDeviceLoss(tree.root());
      },
      outcome: (_d, _v, e) => ({ validity: e.validity, receipts: e.execution.receipts }),
    }, { maxBlocksInFlight, initialRoot: genesisRoot });

    const adapter = adapterReport;
    const backends: PipelineBackends = {
      verify: verifier.backend,
      stateRoot: tree.backend,
      executeWorkers: executor.workers,
      ...(adapter ? { adapter } : {}),
    };
    const fallbackReason = verifyBackend === 'auto' && verifier.backend === 'cpu'
      ? (noGpu ?? (verifier as { fallbackReason?: string }).fallbackReason) : undefined;
    if (fallbackReason) backends.fallbackReason = fallbackReason;
    let closing: Promise<void> | undefined;
    let processing = false;
    const undelivered: BlockResult[] = [];

    return {
      submit(records) {
        // A block that is not one is refused here, before it enters: it must not break the pipeline.
        try { assertBlockRecords(records, 'pipeline.submit'); } catch (e) { return Promise.reject(e); }
        return scheduler.submit(records);
      },
      ready: () => scheduler.ready(),
      async *process(blocks) {
        // One process() at a time: two would interleave their blocks in one state.
        if (processing) throw new PipelineBusyError('process() is already running on this pipeline; wait for it to finish (or use submit(), which orders blocks explicitly)');
        if (closing) throw new PipelineClosedError('the pipeline is closed');
        processing = true;
        // Results come out in order; at most maxBlocksInFlight are pending.
        const pending: Array<{ index: number; result: Promise<BlockResult> }> = [];
        const take = async (): Promise<BlockResult> => pending.shift()!.result;
        try {
          let stopped: unknown;
          let stop = false;
          try {
            for await (const block of blocks as AsyncIterable<BlockRecords>) {
              while (pending.length >= maxBlocksInFlight) yield await take();
              await scheduler.ready();
              if (closing) throw new PipelineClosedError('the pipeline was closed while process() was running: blocks after the ones delivered were not applied');
              assertBlockRecords(block, 'pipeline.process');
              const index = scheduler.nextIndex;
              const result = scheduler.submit(block);
              result.catch(() => undefined); // observed in order below
              pending.push({ index, result });
            }
          } catch (e) {
            // The source threw (or the pipeline closed): what was submitted is
            // applied, so its results are delivered first, then the error.
            stopped = e;
            stop = true;
          }
          while (pending.length > 0) yield await take();
          if (stop) throw stopped;
        } finally {
          // Here with blocks pending only when the consumer left early (break,
          // return, a throw in its loop body) or a block failed: blocks not yet
          // executing are withdrawn (never applied); those already executing
          // complete, and their results wait in takeUndelivered().
          if (pending.length > 0) {
            scheduler.withdraw(pending.map((p) => p.index));
            for (const s of await Promise.allSettled(pending.map((p) => p.result))) {
              if (s.status === 'fulfilled') undelivered.push(s.value);
            }
            pending.length = 0;
          }
          processing = false;
        }
      },
      takeUndelivered: () => undelivered.splice(0),
      verify: (batch) => withDeviceLoss(v.verify(batch)),
      stateRoot: () => scheduler.lastRoot(),
      backends,
      rules,
      maxBlocksInFlight,
      close,
      [Symbol.asyncDispose]: close,
    };
    function close(): Promise<void> {
      closing ??= (async () => {
        await scheduler.drain();
        await cleanup();
      })();
      return closing;
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
}

// The pre-execution stage a node plugs into its loop: raw block records in,
// validity flags, receipts and the state root out (SPEC §4–§5).
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
import { raceDeviceLoss, type AdapterReport, type GpuContext } from '../gpu/device.js';
import type { RuleSet, SignatureBatch } from '../ed25519/batch.js';
import type { BlockRecords } from '../tx/v1/index.js';
import type { GenesisAccount } from '../state/genesis.js';
import { stateFromGenesis } from '../state/genesis.js';
import { ACCOUNT_BYTES } from '../state/account-state.js';
import { decodeBlock, validityFromVerdicts, type DecodedBlock } from '../exec/decode.js';
import { createExecutor, type BlockExecution, type Executor } from '../exec/executor.js';
import { DEFAULT_RULES } from '../ed25519/verifier.js';
import { createBlockScheduler, type BlockResult } from './schedule.js';

export type { BlockResult, StageTimings } from './schedule.js';
export { BlockFailedError, PipelineClosedError } from './schedule.js';

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
  /** Genesis accounts (parseGenesis of SPEC §5's JSON). */
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
  adapter?: AdapterReport;
}

export interface Pipeline {
  /**
   * Takes one block's records (parseBlock of a SPEC §4 block file). Resolves
   * when the block has been applied; waits for a slot first when
   * `maxBlocksInFlight` blocks are inside. Blocks apply in submission order.
   */
  submit(records: BlockRecords): Promise<BlockResult>;
  /** Resolves when a block submitted now would enter without waiting. */
  ready(): Promise<void>;
  /** Applies blocks from any (async) source in order, pulling the next only when a slot is free. */
  process(blocks: Iterable<BlockRecords> | AsyncIterable<BlockRecords>): AsyncGenerator<BlockResult>;
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
    let closing: Promise<void> | undefined;

    return {
      submit: (records) => scheduler.submit(records),
      ready: () => scheduler.ready(),
      async *process(blocks) {
        // Results come out in order; at most maxBlocksInFlight are pending.
        const pending: Promise<BlockResult>[] = [];
        try {
          for await (const block of blocks as AsyncIterable<BlockRecords>) {
            while (pending.length >= maxBlocksInFlight) yield await pending.shift()!;
            await scheduler.ready();
            const p = scheduler.submit(block);
            p.catch(() => undefined); // observed in order below
            pending.push(p);
          }
          while (pending.length > 0) yield await pending.shift()!;
        } finally {
          // A consumer that stops early still lets submitted blocks finish.
          await Promise.allSettled(pending);
        }
      },
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

// `preexec run --genesis FILE --block FILE [--block FILE ...] [--rules R]
// [--backend auto|webgpu|cpu] [--workers N] [--json]` (docs/cli.md): applies the
// blocks in order — verify signatures, execute, update the state root — and
// prints the final root and every block's receipts. All input is read and
// checked before any work, and nothing reaches stdout unless every block ran.
import type { CommandIo } from '../cli.js';
import { parseFlags, readInputFile, readTextFile, UsageError, wantsHelp } from './args.js';
import { checkWorkerCount, formatBytes, LIMITS } from '../limits.js';
import { quoteForMessage, ResourceLimitError } from '../errors.js';
import { compileProgress } from './progress.js';
import { RULE_SETS } from '../ed25519/batch.js';
import { DEFAULT_RULES, createVerifier, type Verifier } from '../ed25519/verifier.js';
import { acquireGpu, noGpuReason, type GpuContext } from '../gpu/device.js';
import { createIncrementalMerkleTree } from '../merkle/incremental.js';
import { defaultWorkerCount } from '../pool/worker-pool.js';
import { parseBlock, type BlockRecords } from '../tx/v1/index.js';
import { toHex } from '../hex.js';
import { parseGenesis, stateFromGenesis } from '../state/genesis.js';
import { ACCOUNT_BYTES } from '../state/account-state.js';
import { createStateRoot, type StateRoot } from '../state/state-root.js';
import { decodeBlock, validityFromVerdicts } from '../exec/decode.js';
import { createExecutor, type Executor } from '../exec/executor.js';
import { RECEIPT_NAMES } from '../tx/v1/receipt.js';

const BACKENDS = ['auto', 'webgpu', 'cpu'] as const;

export const RUN_USAGE = `usage: preexec run --genesis FILE --block FILE [--block FILE ...] [--rules zip215|ref10|solana]
                   [--backend auto|webgpu|cpu] [--workers N] [--json]

Applies the blocks in order to the genesis state: verifies every signature,
executes the transfers and updates the state root (docs/transactions.md).
All input is read and checked before any work.

  --genesis FILE   genesis JSON: {"accounts": [{"key": "<64 hex>", "balance": "<decimal u64>"}, ...]}
  --block FILE     a block file: records of u32 length (little-endian) + transaction; repeat for more
  --rules R        signature rule set (default ${DEFAULT_RULES}; docs/verification.md)
  --backend B      where signatures are verified and the state root hashed (default auto:
                   the GPU when a hardware adapter is faster, else the CPU, and the output says why)
  --workers N      CPU threads for verification and execution (default: every core)
  --json           one JSON object: {"stateRoot", "receipts": [hex per block], "backend",
                   "fallbackReason" (auto on the CPU), "accounts", "transactions", "rules", "workers"}

Receipt codes (one byte per transaction): 0 OK, 1 MALFORMED, 2 BAD_SIGNATURE,
3 UNKNOWN_SENDER, 4 BAD_NONCE, 5 INSUFFICIENT_FUNDS, 6 OVERFLOW.
Exit codes: 0 applied, 2 bad flag or input file, 1 environment (no GPU for --backend webgpu, ...).

Example:
  preexec run --genesis genesis.json --block block-000.bin --block block-001.bin --backend cpu`;

export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${RUN_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: ['genesis', 'rules', 'backend', 'workers'], repeatable: ['block'], switches: ['json'] });
  const genesisPath = flags.required('genesis');
  const blockPaths = flags.all('block');
  if (blockPaths.length === 0) throw new UsageError('missing --block (at least one block file)');
  // The same default as `preexec verify`, so both commands accept the same signatures.
  const rules = flags.choice('rules', RULE_SETS, DEFAULT_RULES);
  const backend = flags.choice('backend', BACKENDS, 'auto');
  const workers = flags.positiveInt('workers', await defaultWorkerCount());
  try {
    await checkWorkerCount(workers, '--workers');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  const genesis = parseGenesis(await readTextFile(genesisPath, '--genesis'), genesisPath);
  const blocks: BlockRecords[] = [];
  let blockBytes = 0;
  for (const path of blockPaths) {
    const file = await readInputFile(path, '--block', LIMITS.blockFileBytes);
    blockBytes += file.length;
    if (blockBytes > LIMITS.runBlockBytes) {
      throw new ResourceLimitError(`--block ${quoteForMessage(path, 120, false)}: the block files up to this one hold ${blockBytes} bytes, over the ${formatBytes(LIMITS.runBlockBytes)} cap on one run`);
    }
    blocks.push(parseBlock(file, path));
  }

  let ctx: GpuContext | undefined;
  let noGpu: string | undefined;
  let verifier: Verifier | undefined;
  let executor: Executor | undefined;
  let root: StateRoot | undefined;
  try {
    if (backend === 'webgpu') {
      ctx = await acquireGpu();
    } else if (backend === 'auto') {
      // 'auto' lets the verifier decide (it never picks a software adapter
      // over the CPU); the state root follows the verifier's choice.
      try { ctx = await acquireGpu(); } catch (e) { ctx = undefined; noGpu = noGpuReason(e); }
    }
    verifier = await createVerifier({ rules, backend, device: ctx, workers, onCompileProgress: compileProgress(io, false) });
    const treeBackend = verifier.backend === 'webgpu' && ctx ? 'webgpu' : 'cpu';
    const state = stateFromGenesis(genesis);
    root = await createStateRoot(state, await createIncrementalMerkleTree({ backend: treeBackend, leafSize: ACCOUNT_BYTES, device: ctx }));
    executor = await createExecutor(state, { workers });

    const receipts: Uint8Array[] = [];
    for (const records of blocks) {
      const decoded = decodeBlock(records);
      const validity = validityFromVerdicts(decoded, await verifier.verify(decoded.batch));
      const out = await executor.execute(decoded, validity);
      await root.update(out.touched, out.leaves);
      receipts.push(out.receipts);
    }
    const stateRoot = toHex(await root.root());
    const transactions = blocks.reduce((n, b) => n + b.count, 0);
    const fallbackReason = backend === 'auto' && verifier.backend === 'cpu' ? (noGpu ?? verifier.fallbackReason) : undefined;
    if (flags.has('json')) {
      io.stdout(`${JSON.stringify({
        stateRoot, receipts: receipts.map(toHex), backend: verifier.backend, ...(fallbackReason ? { fallbackReason } : {}),
        accounts: state.count, transactions, rules, workers,
      })}\n`);
    } else {
      let text = '';
      receipts.forEach((r, b) => {
        const counts = new Array<number>(RECEIPT_NAMES.length).fill(0);
        for (const code of r) counts[code]++;
        const parts = counts.map((c, code) => (c > 0 ? `${c} ${RECEIPT_NAMES[code]}` : '')).filter(Boolean);
        text += `block ${b} (${blockPaths[b]}): ${r.length} transaction${r.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}\n`;
      });
      text += `state root ${stateRoot}\n`;
      text += `${state.count} accounts after ${transactions} transactions; ${rules} signatures on ${verifier.backend}, ${workers} worker${workers === 1 ? '' : 's'}\n`;
      if (fallbackReason) text += `backend auto chose the CPU: ${fallbackReason}\n`;
      io.stdout(text);
    }
    return 0;
  } finally {
    await executor?.close();
    await verifier?.close();
    root?.destroy();
    ctx?.destroy();
  }
}

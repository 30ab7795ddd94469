// `preexec gen`: writes a genesis and blocks of signed transactions for a
// named workload. All or nothing: files go to a temporary sibling directory
// that is renamed to --out only when every file is written; SIGINT/SIGTERM
// remove it, and a lock file beside --out keeps two runs off one target.
import type { CommandIo } from '../cli.js';
import { UsageError, parseFlags, wantsHelp, type ParsedFlags } from './args.js';
import { createProgress, stderrIsTTY } from './progress.js';
import { WORKLOADS, DEFAULT_BAD_SIG_PERCENT, generateWorkload, type WorkloadSpec } from '../workload/generate.js';
import { blockFileName, blockToFile, genesisToJson } from '../workload/files.js';
import { nodeSigner } from '../workload/signer-node.js';
import { generateSolanaWorkload } from '../workload/solana.js';
import { SOLANA_ONLY_FLAGS, SOLANA_WORKLOAD_USAGE, rejectSolanaOnlyFlags, solanaWorkloadFiles, solanaWorkloadSpecFromFlags, solanaWorkloadSummary, solanaWorkloadText } from './gen-solana.js';

export const GEN_DEFAULTS = { accounts: 1000, txsPerBlock: 1000, blocks: 4, seed: 1 };

export const GEN_USAGE = `usage: preexec gen --out DIR [--force] [--workload ${WORKLOADS.join('|')}] [--accounts N] [--txs N] [--blocks N]
                   [--seed N] [--bad-sigs PERCENT] [--json]

Writes DIR/genesis.json and DIR/block-000.bin, block-001.bin, ...: a genesis and
blocks of signed v1 transfers (docs/transactions.md). The same flags and seed
give the same bytes on every machine.

  --out DIR            directory to create (required); its parent must exist
  --force              replace DIR if it exists and is not empty (else exit 2)
  --workload NAME      uniform (default): transfers between random accounts
                       hot: account 0 sends or receives every transfer
                       bad-sigs: uniform, with --bad-sigs % corrupted signatures
                       new-accounts: transfers to fresh keys
  --accounts N         accounts in genesis, at least 2 (default ${GEN_DEFAULTS.accounts})
  --txs N              transactions per block (default ${GEN_DEFAULTS.txsPerBlock})
  --blocks N           block files (default ${GEN_DEFAULTS.blocks})
  --seed N             non-negative integer (default ${GEN_DEFAULTS.seed})
  --bad-sigs PERCENT   bad-sigs only, 0 to 100 (default ${DEFAULT_BAD_SIG_PERCENT})
  --json               print {"out", "files", "workload", "transactions", "intended", "seconds"}

Progress (transactions signed) goes to stderr. DIR appears only when every file
is written: an interrupted run (Ctrl-C, SIGTERM) leaves nothing behind.
Exit codes: 0 written, 2 bad flag or --out, 1 environment (disk full, ...).

Example:
  preexec gen --out w --accounts 100 --txs 50 --blocks 2 --seed 7

Solana transactions instead (packets.b64 and lookup-tables.json; docs/cli.md):
  preexec gen --out DIR [--force] ${SOLANA_WORKLOAD_USAGE} [--json]`;

/** Workload flags shared by gen and bench. */
export const WORKLOAD_FLAGS = ['workload', 'accounts', 'txs', 'blocks', 'seed', 'bad-sigs'] as const;

export function workloadSpecFromFlags(flags: ParsedFlags, defaults: Omit<WorkloadSpec, 'workload'> & { workload?: WorkloadSpec['workload'] }): WorkloadSpec {
  const workload = flags.choice('workload', WORKLOADS, defaults.workload ?? 'uniform');
  const seed = flags.nonNegativeInt('seed', defaults.seed);
  let badSigPercent: number | undefined;
  if (flags.has('bad-sigs')) {
    if (workload !== 'bad-sigs') throw new UsageError(`--bad-sigs applies only to --workload bad-sigs, not ${workload}`);
    badSigPercent = flags.percent('bad-sigs');
  } else if (workload === 'bad-sigs') badSigPercent = DEFAULT_BAD_SIG_PERCENT;
  const accounts = flags.positiveInt('accounts', defaults.accounts);
  if (accounts < 2) throw new UsageError(`--accounts must be at least 2 (a transfer needs two accounts), got ${accounts}`);
  return {
    workload,
    accounts,
    txsPerBlock: flags.positiveInt('txs', defaults.txsPerBlock),
    blocks: flags.positiveInt('blocks', defaults.blocks),
    seed,
    ...(badSigPercent !== undefined ? { badSigPercent } : {}),
  };
}

export async function genCommand(argv: string[], io: CommandIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${GEN_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: ['out', ...WORKLOAD_FLAGS, ...SOLANA_ONLY_FLAGS], switches: ['json', 'force'] });
  const out = flags.required('out');
  const force = flags.has('force');
  const json = flags.has('json');
  const solanaSpec = flags.value('workload') === 'solana' ? solanaWorkloadSpecFromFlags(flags) : undefined;
  if (!solanaSpec) rejectSolanaOnlyFlags(flags, flags.value('workload') ?? 'uniform');
  const spec = solanaSpec ? undefined : workloadSpecFromFlags(flags, GEN_DEFAULTS);

  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const target = await checkOutTarget(out, force);
  const lock = await takeLock(target, out);
  // Whatever exists on disk for this run, removed on SIGINT/SIGTERM before exiting.
  let tmp: string | undefined;
  const cleanUpSync = async () => {
    const { rmSync } = await import('node:fs');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    lock.releaseSync();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanUpSync().then(() => {
      io.stderr(`preexec gen: interrupted (${signal}); nothing written to ${out}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const started = performance.now();
  const progress = createProgress(io, stderrIsTTY());
  const fmt = (n: number) => n.toLocaleString('en-US');
  let workload: Awaited<ReturnType<typeof generateWorkload>> | undefined;
  let solana: Awaited<ReturnType<typeof generateSolanaWorkload>> | undefined;
  const files: string[] = [];
  try {
    const onProgress = (done: number, total: number) => progress.update(`preexec gen: signing ${fmt(done)}/${fmt(total)} transactions`);
    if (solanaSpec) solana = await generateSolanaWorkload(solanaSpec, { signer: nodeSigner, onProgress });
    else workload = await generateWorkload(spec!, { signer: nodeSigner, onProgress });
    progress.done();
    tmp = await fs.mkdtemp(path.join(target.parent, `.${target.base}.tmp-`));
    // mkdtemp makes the directory private (0700); the result is an ordinary directory.
    await fs.chmod(tmp, 0o755);
    const contents = solana ? solanaWorkloadFiles(solana) : [
      { name: 'genesis.json', data: genesisToJson(workload!.genesis) as string | Uint8Array },
      ...workload!.blocks.map((block, b, all) => ({ name: blockFileName(b, all.length), data: blockToFile(block) })),
    ];
    for (const { name, data } of contents) {
      await fs.writeFile(path.join(tmp, name), data);
      files.push(name);
    }
    await moveIntoPlace(tmp, target.full, out, force);
    tmp = undefined;
  } catch (e) {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lock.release();
  }
  const seconds = (performance.now() - started) / 1000;
  if (solana) {
    if (json) io.stdout(`${JSON.stringify({ out, files, ...solanaWorkloadSummary(solana), seconds: Number(seconds.toFixed(3)) })}\n`);
    else io.stdout(`${solanaWorkloadText(out, solana).join('\n')}\n`);
    return 0;
  }
  if (!spec || !workload) throw new Error('unreachable: no workload generated');
  let intendedOk = 0;
  let intendedBadSignature = 0;
  for (const codes of workload.intended) for (const c of codes) c === 0 ? intendedOk++ : intendedBadSignature++;
  const summary = {
    out,
    files,
    workload: workload.spec,
    transactions: spec.txsPerBlock * spec.blocks,
    intended: { ok: intendedOk, badSignature: intendedBadSignature },
    seconds: Number(seconds.toFixed(3)),
  };
  if (json) io.stdout(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout(`wrote ${out}/: genesis.json (${spec.accounts} accounts) and ${workload.blocks.length} block file(s) of ${spec.txsPerBlock} transactions\n`);
    io.stdout(`workload ${spec.workload}, seed ${spec.seed}: ${intendedOk} transfers meant OK, ${intendedBadSignature} with bad signatures\n`);
  }
  return 0;
}

interface OutTarget { full: string; parent: string; base: string }

/** Refuses every --out that cannot become a fresh directory, naming why (exit 2). */
async function checkOutTarget(out: string, force: boolean): Promise<OutTarget> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  if (out === '') throw new UsageError('--out is empty: name a directory to create');
  const full = path.resolve(out);
  const cwd = process.cwd();
  const rel = path.relative(full, cwd);
  if (full === path.parse(full).root) throw new UsageError(`--out ${out}: the root directory cannot be replaced; name a new directory`);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new UsageError(`--out ${out}: is the current directory${rel === '' ? '' : ' or one above it'}, which cannot be replaced; name a new directory`);
  }
  const parent = path.dirname(full);
  const existing = await fs.lstat(full).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`--out ${out}: exists and is not a directory`);
  if (existing && !force && (await fs.readdir(full)).length > 0) throw new UsageError(`--out ${out}: directory exists and is not empty (--force replaces it)`);
  const parentStat = await fs.stat(parent).catch(() => undefined);
  if (!parentStat?.isDirectory()) throw new UsageError(`--out ${out}: parent directory ${parent} does not exist`);
  try {
    await fs.access(parent, (await import('node:fs')).constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: parent directory ${parent} is not writable`);
  }
  return { full, parent, base: path.basename(full) };
}

/**
 * An exclusive lock file `.NAME.lock` beside --out holding the owner's pid: a
 * second run on the same target is refused while the first is alive; a lock
 * left by a killed process (kill -9) is taken over.
 */
async function takeLock(target: OutTarget, out: string): Promise<{ release(): Promise<void>; releaseSync(): void }> {
  const fs = await import('node:fs/promises');
  const { rmSync } = await import('node:fs');
  const path = await import('node:path');
  const file = path.join(target.parent, `.${target.base}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      const releaseSync = () => { if (!released) { released = true; rmSync(file, { force: true }); } };
      return { releaseSync, release: async () => releaseSync() };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`--out ${out}: cannot create ${file} (${(e as NodeJS.ErrnoException).code})`);
      const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new UsageError(`--out ${out}: another preexec gen (pid ${owner}) is writing it; wait for it, or remove ${file} if it is gone`);
      }
      await fs.rm(file, { force: true }); // stale: its owner has exited
    }
  }
  throw new UsageError(`--out ${out}: another preexec gen is writing it`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Renames the finished directory to --out; with --force the old one is moved aside first and removed after. */
async function moveIntoPlace(tmp: string, full: string, out: string, force: boolean): Promise<void> {
  const fs = await import('node:fs/promises');
  let aside: string | undefined;
  if (force && (await fs.lstat(full).catch(() => undefined))) {
    aside = `${tmp}.old`;
    await fs.rename(full, aside);
  }
  try {
    // rename(2) replaces an empty directory atomically; a non-empty one was refused or moved aside.
    await fs.rename(tmp, full);
  } catch (e) {
    if (aside) await fs.rename(aside, full).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`--out ${out}: was created by someone else while this run wrote (${code})`);
    throw e;
  }
  if (aside) await fs.rm(aside, { recursive: true, force: true });
}

// `preexec gen`: writes a genesis and blocks of signed transactions for a
// named workload. All or nothing: files go to a temporary sibling directory
// that is renamed to --out only when every file is written.
import type { CommandIo } from '../cli.js';
import { UsageError, parseFlags, type ParsedFlags } from './args.js';
import { WORKLOADS, DEFAULT_BAD_SIG_PERCENT, generateWorkload, type WorkloadSpec } from '../workload/generate.js';
import { blockFileName, blockToFile, genesisToJson } from '../workload/files.js';
import { nodeSigner } from '../workload/signer-node.js';
import { generateSolanaWorkload } from '../workload/solana.js';
import { SOLANA_ONLY_FLAGS, SOLANA_WORKLOAD_USAGE, rejectSolanaOnlyFlags, solanaWorkloadFiles, solanaWorkloadSpecFromFlags, solanaWorkloadSummary, solanaWorkloadText } from './gen-solana.js';

export const GEN_USAGE = `usage: preexec gen --out DIR [--workload ${WORKLOADS.join('|')}] [--accounts N] [--txs N (per block)] [--blocks N] [--seed N] [--bad-sigs PERCENT] [--json]
       preexec gen --out DIR ${SOLANA_WORKLOAD_USAGE} [--json]`;

/** Workload flags shared by gen and bench. */
export const WORKLOAD_FLAGS = ['workload', 'accounts', 'txs', 'blocks', 'seed', 'bad-sigs'] as const;

export function workloadSpecFromFlags(flags: ParsedFlags, defaults: Omit<WorkloadSpec, 'workload'> & { workload?: WorkloadSpec['workload'] }): WorkloadSpec {
  const workload = flags.choice('workload', WORKLOADS, defaults.workload ?? 'uniform');
  const seedText = flags.value('seed');
  let seed = defaults.seed;
  if (seedText !== undefined) {
    if (!/^(0|[1-9][0-9]*)$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) throw new UsageError(`--seed must be a non-negative integer, got ${JSON.stringify(seedText)}`);
    seed = Number(seedText);
  }
  let badSigPercent: number | undefined;
  const badText = flags.value('bad-sigs');
  if (badText !== undefined) {
    if (workload !== 'bad-sigs') throw new UsageError(`--bad-sigs applies only to --workload bad-sigs, not ${workload}`);
    badSigPercent = Number(badText);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(badText) || badSigPercent > 100) throw new UsageError(`--bad-sigs must be a percentage in [0, 100], got ${JSON.stringify(badText)}`);
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
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${GEN_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: ['out', ...WORKLOAD_FLAGS, ...SOLANA_ONLY_FLAGS], switches: ['json'] });
  const out = flags.required('out');
  const solanaSpec = flags.value('workload') === 'solana' ? solanaWorkloadSpecFromFlags(flags) : undefined;
  if (!solanaSpec) rejectSolanaOnlyFlags(flags, flags.value('workload') ?? 'uniform');
  const spec = solanaSpec ? undefined : workloadSpecFromFlags(flags, { accounts: 1000, txsPerBlock: 1000, blocks: 4, seed: 1 });

  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  // Edge case: never write into (or over) a directory that already holds files.
  const existing = await fs.stat(out).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`--out ${out}: exists and is not a directory`);
  if (existing && (await fs.readdir(out)).length > 0) throw new UsageError(`--out ${out}: directory exists and is not empty`);
  const parent = path.dirname(path.resolve(out));
  if (!(await fs.stat(parent).catch(() => undefined))?.isDirectory()) throw new UsageError(`--out ${out}: parent directory ${parent} does not exist`);

  const started = performance.now();
  const solana = solanaSpec ? await generateSolanaWorkload(solanaSpec, { signer: nodeSigner }) : undefined;
  const workload = spec ? await generateWorkload(spec, { signer: nodeSigner }) : undefined;
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(out)}.tmp-`));
  const files: string[] = [];
  try {
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
    // rename(2) replaces an empty directory atomically; a non-empty one was refused above.
    await fs.rename(tmp, out);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const seconds = (performance.now() - started) / 1000;
  if (solana) {
    if (flags.has('json')) io.stdout(`${JSON.stringify({ out, files, ...solanaWorkloadSummary(solana), seconds: Number(seconds.toFixed(3)) })}\n`);
    else io.stdout(`${solanaWorkloadText(out, solana, seconds).join('\n')}\n`);
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
  if (flags.has('json')) io.stdout(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout(`wrote ${out}/: genesis.json (${spec.accounts} accounts) and ${workload.blocks.length} block file(s) of ${spec.txsPerBlock} transactions\n`);
    io.stdout(`workload ${spec.workload}, seed ${spec.seed}: ${intendedOk} transfers meant OK, ${intendedBadSignature} with bad signatures (${seconds.toFixed(1)} s)\n`);
  }
  return 0;
}

// `preexec gen --workload solana` and `preexec bench --format solana`: the
// Solana workload's flags, and its files (`packets.b64`: one standard base64
// transaction per line; `lookup-tables.json`: table address → addresses, all
// base58), the inputs `preexec solana` reads.
import { UsageError, type ParsedFlags } from './args.js';
import { base58Encode } from '../tx/solana/base58.js';
import { SOLANA_WORKLOAD_DEFAULTS, checkSolanaWorkloadSpec, type SolanaWorkload, type SolanaWorkloadSpec } from '../workload/solana.js';
import type { SolanaLookupTable } from '../tx/solana/encode.js';

/** Flags only the solana workload takes (it also takes --txs, --accounts, --seed and --bad-sigs). */
export const SOLANA_ONLY_FLAGS = ['v0', 'multisig', 'other-programs', 'hot', 'hot-accounts', 'duplicates', 'lookup-tables'] as const;

export const SOLANA_WORKLOAD_USAGE = `--workload solana [--txs N (packets)] [--accounts N] [--seed N] [--v0 PERCENT] [--multisig PERCENT] [--other-programs PERCENT]
       [--hot PERCENT] [--hot-accounts N] [--duplicates PERCENT] [--bad-sigs PERCENT] [--lookup-tables N]`;

const PERCENT_FLAGS: readonly (readonly [string, keyof SolanaWorkloadSpec])[] = [
  ['v0', 'v0Share'], ['multisig', 'multiSignerShare'], ['other-programs', 'otherProgramShare'], ['hot', 'hotShare'],
  ['duplicates', 'duplicateShare'], ['bad-sigs', 'badSignatureShare'],
];

/** Refuses the solana-only flags for any other workload. */
export function rejectSolanaOnlyFlags(flags: ParsedFlags, workload: string): void {
  for (const f of SOLANA_ONLY_FLAGS) if (flags.has(f)) throw new UsageError(`--${f} applies only to --workload solana, not ${workload}`);
}

export function solanaWorkloadSpecFromFlags(flags: ParsedFlags, defaults: Partial<SolanaWorkloadSpec> = {}): SolanaWorkloadSpec {
  if (flags.has('blocks')) throw new UsageError('--blocks does not apply to --workload solana (one file of --txs packets)');
  const spec: SolanaWorkloadSpec = { ...SOLANA_WORKLOAD_DEFAULTS, ...defaults };
  spec.seed = flags.nonNegativeInt('seed', spec.seed);
  spec.txs = flags.positiveInt('txs', spec.txs);
  spec.accounts = flags.positiveInt('accounts', spec.accounts);
  spec.hotAccounts = flags.positiveInt('hot-accounts', spec.hotAccounts);
  spec.lookupTables = flags.positiveInt('lookup-tables', spec.lookupTables);
  for (const [flag, key] of PERCENT_FLAGS) {
    const v = flags.percent(flag);
    if (v !== undefined) (spec as unknown as Record<string, number>)[key] = v / 100;
  }
  try {
    return checkSolanaWorkloadSpec(spec);
  } catch (e) {
    // The flag names, not the field names, are what the user typed.
    const flag: Record<string, string> = { accounts: '--accounts', txs: '--txs', hotAccounts: '--hot-accounts', lookupTables: '--lookup-tables' };
    const msg = (e as Error).message.replace(/^(\w+)/, (m) => flag[m] ?? m);
    throw new UsageError(msg);
  }
}

/** One standard padded base64 line per packet, newline-terminated. */
export function packetsToBase64Lines(packets: readonly Uint8Array[]): string {
  const lines = new Array<string>(packets.length);
  for (let i = 0; i < packets.length; i++) lines[i] = Buffer.from(packets[i].buffer, packets[i].byteOffset, packets[i].byteLength).toString('base64');
  return packets.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** `{"<table, base58>": ["<address, base58>", ...], ...}`, one table per line. */
export function lookupTablesToJson(tables: readonly SolanaLookupTable[]): string {
  const lines = tables.map((t) => `  ${JSON.stringify(base58Encode(t.address))}: [${t.addresses.map((a) => JSON.stringify(base58Encode(a))).join(', ')}]`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Lookup tables as the stage takes them (base58 table address → addresses). */
export function lookupTablesToMap(tables: readonly SolanaLookupTable[]): Map<string, readonly Uint8Array[]> {
  return new Map(tables.map((t) => [base58Encode(t.address), t.addresses]));
}

export const SOLANA_FILES = { packets: 'packets.b64', lookupTables: 'lookup-tables.json' } as const;

export function solanaWorkloadFiles(w: SolanaWorkload): { name: string; data: string }[] {
  return [
    { name: SOLANA_FILES.packets, data: packetsToBase64Lines(w.packets) },
    { name: SOLANA_FILES.lookupTables, data: lookupTablesToJson(w.lookupTables) },
  ];
}

/** What `gen --json` prints for a solana workload. */
export function solanaWorkloadSummary(w: SolanaWorkload): Record<string, unknown> {
  const valid = w.intended.filter((r) => r === '').length;
  return { workload: { workload: 'solana', ...w.spec }, transactions: w.packets.length, counts: w.counts, intended: { valid, duplicate: w.counts.duplicate, badSignature: w.counts.badSignature } };
}

export function solanaWorkloadText(out: string, w: SolanaWorkload): string[] {
  const c = w.counts;
  return [
    `wrote ${out}/: ${SOLANA_FILES.packets} (${w.packets.length} Solana transactions, ${c.signatures} signatures) and ${SOLANA_FILES.lookupTables} (${w.lookupTables.length} tables)`,
    `workload solana, seed ${w.spec.seed}: ${c.legacy} legacy, ${c.v0} v0, ${c.multiSigner} multi-signer, ${c.otherProgram} other-program, ${c.hot} writing a popular account; ${c.duplicate} duplicates, ${c.badSignature} bad signatures`,
  ];
}

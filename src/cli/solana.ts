// `preexec solana --in FILE [--lookup-tables FILE] [--rules R] [--backend B]
// [--batch-size N] [--json]` (docs/solana.md). FILE holds one packet per line in
// base64; a bad packet gets its reason, only a bad file or flag is an error.
import type { CommandIo } from '../cli.js';
import { parseFlags, readInputFile, wantsHelp } from './args.js';
import { compileProgress } from './progress.js';
import { RULE_SETS } from '../ed25519/batch.js';
import { createSolanaStage, DEFAULT_SOLANA_BATCH_SIZE, SOLANA_REASONS } from '../solana/stage.js';
import { parseSolanaPacketLines } from '../tx/solana/base64-lines.js';
import { LookupTableFormatError, normalizeLookupTables } from '../tx/solana/locks.js';
import { parseStrictJson } from '../json-strict.js';

/** Parses the lookup tables file: {"<table, base58>": ["<address, base58>", ...], ...}. */
export function parseLookupTablesFile(raw: Uint8Array, source: string): Map<string, Uint8Array[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new LookupTableFormatError(`${source}: not UTF-8 text`);
  }
  // Strict: a table named twice is refused rather than the last one silently kept.
  const value = parseStrictJson(text, { name: source });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LookupTableFormatError(`${source}: expected an object {"<table address>": ["<address>", ...], ...}`);
  }
  try {
    return normalizeLookupTables(value as Record<string, string[]>);
  } catch (e) {
    throw new LookupTableFormatError(`${source}: ${(e as Error).message}`);
  }
}

export const SOLANA_USAGE = `usage: preexec solana --in FILE [--lookup-tables FILE] [--rules zip215|ref10|solana]
                      [--backend auto|webgpu|cpu] [--batch-size N] [--json]

Runs Solana packets through the pre-execution checks (docs/solana.md): parse and
sanitize, drop duplicates, verify every signature, resolve account locks through
address lookup tables, and group the valid transactions into conflict-free batches.
No program is executed.

  --in FILE              one transaction per line, standard padded base64 of its wire bytes;
                         a final newline ends the file, any other empty line is an error
  --lookup-tables FILE   JSON {"<table address, base58>": ["<address, base58>", ...], ...}
                         (default: no tables; a v0 lookup then fails with address_lookup)
  --rules R              signature rule set (default solana)
  --backend B            auto (default: the GPU on a hardware adapter, else the CPU, and the
                         output says why), webgpu or cpu
  --batch-size N         most transactions per batch, a whole number >= 1 (default ${DEFAULT_SOLANA_BATCH_SIZE})
  --json                 one JSON object: {"transactions", "valid" (one 0/1 per line), "reasons"
                         (one per line, "" when valid), "batches" (0-based line indexes),
                         "signatures", "rules", "backend", "batchSize", "timings"}

A bad transaction is never an error: it gets its reason (malformed, sanitize, duplicate,
bad_signature, address_lookup, account_locks).

Exit codes: 0 done, 2 bad flag or unreadable file, 1 environment (no GPU for --backend webgpu, ...).

Example:
  preexec solana --in solana.b64 --lookup-tables solana-tables.json --backend cpu --json`;

export async function solanaCommand(argv: string[], io: CommandIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${SOLANA_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: ['in', 'lookup-tables', 'rules', 'backend', 'batch-size'], switches: ['json'] });
  const path = flags.required('in');
  const rules = flags.choice('rules', RULE_SETS, 'solana');
  const backend = flags.choice('backend', ['auto', 'webgpu', 'cpu'] as const, 'auto');
  const batchSize = flags.positiveInt('batch-size', DEFAULT_SOLANA_BATCH_SIZE);
  const tablesPath = flags.value('lookup-tables');
  const lookupTables = tablesPath === undefined ? undefined : parseLookupTablesFile(await readInputFile(tablesPath, '--lookup-tables'), `--lookup-tables ${tablesPath}`);
  const packets = parseSolanaPacketLines(await readInputFile(path, '--in'), `--in ${path}`);

  const stage = await createSolanaStage({ rules, backend, lookupTables, batchSize, onCompileProgress: compileProgress(io, false) });
  let result;
  try {
    result = await stage.process(packets);
  } finally {
    await stage.close();
  }
  const valid = Array.from(result.valid, (v) => (v ? '1' : '0')).join('');
  if (flags.has('json')) {
    io.stdout(`${JSON.stringify({
      transactions: result.transactions, valid, reasons: result.reasons, batches: result.batches, signatures: result.signatures,
      rules, backend: result.backend, ...(stage.fallbackReason ? { fallbackReason: stage.fallbackReason } : {}), batchSize, timings: result.timings,
    })}\n`);
    return 0;
  }
  const counts = new Map<string, number>();
  for (const r of result.reasons) if (r) counts.set(r, (counts.get(r) ?? 0) + 1);
  const accepted = result.transactions - result.reasons.filter((r) => r !== '').length;
  let out = `${result.transactions} transaction${result.transactions === 1 ? '' : 's'}: ${accepted} valid`;
  for (const reason of SOLANA_REASONS) if (counts.get(reason)) out += `, ${counts.get(reason)} ${reason}`;
  out += `\n${result.signatures} signature${result.signatures === 1 ? '' : 's'} checked under ${rules} on ${result.backend}; `;
  out += `${result.batches.length} batch${result.batches.length === 1 ? '' : 'es'} of at most ${batchSize}\n`;
  const shown = result.reasons.map((r, i) => [r, i] as const).filter(([r]) => r !== '').slice(0, 10);
  for (const [r, i] of shown) out += `  line ${i + 1}: ${r} (${result.details[i]})\n`;
  if (counts.size > 0 && shown.length < result.transactions - accepted) out += `  ... ${result.transactions - accepted - shown.length} more rejected lines (--json lists every reason)\n`;
  if (stage.fallbackReason) out += `backend auto chose the CPU: ${stage.fallbackReason}\n`;
  const t = result.timings;
  out += `timings (ms): decode ${t.decodeMs.toFixed(1)}, dedup ${t.dedupMs.toFixed(1)}, verify ${t.verifyMs.toFixed(1)}, locks ${t.locksMs.toFixed(1)}, batches ${t.batchMs.toFixed(1)}, total ${t.totalMs.toFixed(1)}\n`;
  io.stdout(out);
  return 0;
}

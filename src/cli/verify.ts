// `preexec verify --in FILE [--rules R] [--backend B] [--json]` (docs/cli.md).
// FILE holds JSON lines {"publicKey": hex, "signature": hex, "message": hex}.
// Every line is checked before anything is verified: one bad line refuses
// the whole file, naming the line, with nothing on stdout.
import type { CommandIo } from '../cli.js';
import { parseFlags, readTextFile, wantsHelp } from './args.js';
import { checkFields, parseStrictJson } from '../json-strict.js';
import { compileProgress } from './progress.js';
import { RULE_SETS, packSignatureBatch, type SignatureItem } from '../ed25519/batch.js';
import { backendFor, createVerifier, DEFAULT_RULES } from '../ed25519/verifier.js';
import { fromHex } from '../hex.js';

export class VerifyInputFormatError extends Error {
  override name = 'VerifyInputFormatError';
}

const FIELDS = [['publicKey', 32], ['signature', 64], ['message', -1]] as const;
const FIELD_NAMES = new Set<string>(FIELDS.map(([name]) => name));

/** Parses the JSON-lines input; `source` names the file in errors. */
export function parseVerifyInput(text: string, source: string): SignatureItem[] {
  // Lines one at a time (no array of every line: 256 MiB of empty lines would
  // be 256 million strings). A final newline ends the last line; it does not start an empty one.
  const items: SignatureItem[] = [];
  for (let start = 0, i = 0; start < text.length; i++) {
    let stop = text.indexOf('\n', start);
    if (stop < 0) stop = text.length;
    items.push(parseVerifyLine(text.slice(start, stop), i, source));
    start = stop + 1;
  }
  return items;
}

function parseVerifyLine(raw: string, i: number, source: string): SignatureItem {
  const where = `${source} line ${i + 1}`;
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.trim() === '') throw new VerifyInputFormatError(`${where}: empty line`);
  let value: unknown;
  try {
    // Strict: a repeated field would otherwise verify the last one silently.
    value = parseStrictJson(line, { name: where });
  } catch (e) {
    throw new VerifyInputFormatError((e as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new VerifyInputFormatError(`${where}: expected an object {"publicKey", "signature", "message"}`);
  }
  try {
    checkFields(value, FIELD_NAMES, where);
  } catch (e) {
    throw new VerifyInputFormatError((e as Error).message);
  }
  const record = value as Record<string, unknown>;
  const bytes: Record<string, Uint8Array> = {};
  for (const [name, length] of FIELDS) {
    const field = record[name];
    if (field === undefined) throw new VerifyInputFormatError(`${where}: missing "${name}"`);
    if (typeof field !== 'string') throw new VerifyInputFormatError(`${where}: "${name}" must be a hex string`);
    try {
      bytes[name] = fromHex(field, `"${name}"`);
    } catch (e) {
      throw new VerifyInputFormatError(`${where}: ${(e as Error).message}`);
    }
    if (length >= 0 && bytes[name].length !== length) {
      throw new VerifyInputFormatError(`${where}: "${name}" has ${bytes[name].length} bytes, expected ${length}`);
    }
  }
  return { publicKey: bytes.publicKey, signature: bytes.signature, message: bytes.message };
}

export const VERIFY_USAGE = `usage: preexec verify --in FILE [--rules zip215|ref10|solana] [--backend auto|webgpu|cpu] [--json]

Verifies ed25519 signatures under one rule set (docs/verification.md).

  --in FILE     JSON lines, one signature per line:
                {"publicKey": "<64 hex>", "signature": "<128 hex>", "message": "<hex, any length>"}
                a final newline ends the file; every line is checked before any work
  --rules R     zip215 (default ${DEFAULT_RULES}), ref10 (OpenSSL, Go, dalek verify)
                or solana (Agave's verify_strict)
  --backend B   auto (default: the GPU when a hardware adapter is faster, else the CPU,
                and the output says why), webgpu or cpu
  --json        one JSON object: {"valid": "<one 0 or 1 per line>", "count", "rules", "backend",
                "fallbackReason" (auto on the CPU)}

Exit codes: 0 verified (whatever the verdicts), 2 bad flag or input line,
1 environment (no GPU for --backend webgpu, ...).

Example:
  preexec verify --in speccheck.jsonl --rules ref10 --backend cpu --json`;

export async function verifyCommand(argv: string[], io: CommandIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${VERIFY_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: ['in', 'rules', 'backend'], switches: ['json'] });
  const path = flags.required('in');
  const rules = flags.choice('rules', RULE_SETS, DEFAULT_RULES);
  const backend = flags.choice('backend', ['auto', 'webgpu', 'cpu'] as const, 'auto');
  const text = await readTextFile(path, '--in');
  const items = parseVerifyInput(text, `--in ${path}`);
  const batch = packSignatureBatch(items);

  const verifier = await createVerifier({ rules, backend, onCompileProgress: compileProgress(io, false) });
  let valid: Uint8Array;
  try {
    valid = await verifier.verify(batch);
  } finally {
    await verifier.close();
  }
  const verdicts = Array.from(valid, (v) => (v ? '1' : '0')).join('');
  // Name the backend that verified this batch, not the one large batches get.
  const usedBackend = backendFor(verifier, items.length);
  const fallbackReason = backend === 'auto' && usedBackend === 'cpu'
    ? (verifier.fallbackReason ?? (verifier.crossoverItems !== undefined ? `${items.length} items, below the measured GPU crossover of ${verifier.crossoverItems}` : undefined))
    : undefined;
  if (flags.has('json')) {
    io.stdout(`${JSON.stringify({ valid: verdicts, count: items.length, rules, backend: usedBackend, ...(fallbackReason ? { fallbackReason } : {}) })}\n`);
  } else {
    const invalidLines: number[] = [];
    valid.forEach((v, i) => { if (!v) invalidLines.push(i + 1); });
    const accepted = items.length - invalidLines.length;
    let out = `verified ${items.length} signature${items.length === 1 ? '' : 's'} under ${rules} on ${usedBackend}: ${accepted} valid, ${invalidLines.length} invalid\n`;
    if (invalidLines.length > 0) out += `invalid: line${invalidLines.length === 1 ? '' : 's'} ${invalidLines.join(', ')}\n`;
    if (fallbackReason) out += `backend auto chose the CPU: ${fallbackReason}\n`;
    io.stdout(out);
  }
  return 0;
}

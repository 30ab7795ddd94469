// `preexec solana` (docs/solana.md): JSON output shape, human output, a bad packet
// is a reason (never an error), and a bad file or flag is one line on stderr,
// exit 2, nothing on stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base58Encode } from '../src/tx/solana/base58.js';
import { parseSolanaPacketLines } from '../src/tx/solana/base64-lines.js';
import { runCommand, scratchFiles } from './support/cli-run.js';
import { SOLANA_DOC_FILES, solanaDocExample } from './support/solana-doc-example.js';
import { signedTransaction, SYSTEM_PROGRAM as SYSTEM, systemTransfer, testAddress } from './support/solana-packets.js';

const { dir, file } = scratchFiles('preexec-solana-');
const run = (...argv: string[]) => runCommand('solana', ...argv);

const TABLE = testAddress(900);
const transfer = (from: number, to: Uint8Array) => systemTransfer(from, to, 5);
const viaTable = signedTransaction({
  signers: [3], others: [SYSTEM], readonlyUnsigned: 1, version: 0,
  instructions: [{ programIdIndex: 1, accounts: [0, 2] }], lookups: [{ table: TABLE, writable: [0], readonly: [] }],
});
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const a = transfer(1, testAddress(10));
const c = transfer(2, testAddress(10));
const lines = [b64(a), b64(a), 'not base64!', b64(c), b64(viaTable), b64(a.subarray(0, 50))];
const input = file('packets.b64', lines.join('\n') + '\n');
const tables = file('tables.json', JSON.stringify({ [base58Encode(TABLE)]: [base58Encode(testAddress(10))] }));

describe('preexec solana', () => {
  it('prints the docs/solana.md JSON object', async () => {
    const r = await run('--in', input, '--lookup-tables', tables, '--backend', 'cpu', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      transactions: 6,
      valid: '100110',
      reasons: ['', 'duplicate', 'malformed', '', '', 'malformed'],
      // a, c and viaTable all write testAddress(10): one level each.
      batches: [[0], [3], [4]],
      signatures: 3,
      rules: 'solana',
      backend: 'cpu',
      batchSize: 64,
    });
    for (const k of ['decodeMs', 'dedupMs', 'verifyMs', 'locksMs', 'batchMs', 'totalMs']) expect(typeof out.timings[k]).toBe('number');
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('without the tables the lookup fails; --batch-size and --rules are honoured', async () => {
    const r = await run('--in', input, '--backend', 'cpu', '--json', '--batch-size', '1', '--rules', 'ref10');
    const out = JSON.parse(r.stdout);
    expect(out.reasons[4]).toBe('address_lookup');
    expect(out.rules).toBe('ref10');
    expect(out.batches).toEqual([[0], [3]]);
  });

  it('prints a short human summary', async () => {
    const r = await run('--in', input, '--lookup-tables', tables, '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^6 transactions: 3 valid, 2 malformed, 1 duplicate\n3 signatures checked under solana on cpu; 3 batches of at most 64\n/);
    expect(r.stdout).toMatch(/line 3: malformed \(not base64\)/);
    expect(r.stdout).toMatch(/timings \(ms\): decode/);
  });

  it('takes CRLF and an empty file', async () => {
    const crlf = file('crlf.b64', `${b64(a)}\r\n${b64(c)}`);
    expect(JSON.parse((await run('--in', crlf, '--backend', 'cpu', '--json')).stdout).valid).toBe('11');
    const empty = file('empty.b64', '');
    const out = JSON.parse((await run('--in', empty, '--backend', 'cpu', '--json')).stdout);
    expect(out).toMatchObject({ transactions: 0, valid: '', reasons: [], batches: [], signatures: 0 });
  });

  it('refuses a bad file or flag with one line on stderr, exit 2, nothing on stdout', async () => {
    const bad: [string[], RegExp][] = [
      [['--in', file('gap.b64', `${b64(a)}\n\n${b64(c)}\n`)], /--in .*gap\.b64 line 2: empty line/],
      [['--in', file('blank.b64', '\n')], /line 1: empty line/],
      [['--in', join(dir, 'missing.b64')], /no such file/],
      [['--in', input, '--lookup-tables', file('t1.json', '[1]')], /expected an object/],
      [['--in', input, '--lookup-tables', file('t2.json', '{"x"')], /not JSON/],
      [['--in', input, '--lookup-tables', file('t6.json', '{"' + base58Encode(TABLE) + '": [], "' + base58Encode(TABLE) + '": []}')], /duplicate key/],
      [['--in', input, '--lookup-tables', file('t3.json', '{"0OIl": []}')], /not a base58 digit/],
      [['--in', input, '--lookup-tables', file('t4.json', JSON.stringify({ [base58Encode(TABLE)]: 'x' }))], /expected an array/],
      [['--in', input, '--lookup-tables', file('t5.json', JSON.stringify({ [base58Encode(TABLE)]: ['1111'] }))], /expected 32/],
      [['--in', input, '--batch-size', '0'], /--batch-size must be a positive integer/],
      [['--in', input, '--batch-size', '2.5'], /--batch-size/],
      [['--in', input, '--rules', 'ed448'], /--rules must be one of/],
      [['--in', input, '--workers', '2'], /unknown flag --workers/],
      [[], /missing --in/],
    ];
    for (const [argv, message] of bad) {
      const r = await run(...argv, '--backend', 'cpu', '--json');
      expect(r.stdout, argv.join(' ')).toBe('');
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe('base64 lines', () => {
  const parse = (text: string) => parseSolanaPacketLines(new TextEncoder().encode(text), 'f');
  it('decodes canonical padded base64 and refuses anything else as not base64 (null)', () => {
    const samples = [Uint8Array.of(), Uint8Array.of(1), Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3), Uint8Array.of(255, 254, 253, 252), a];
    for (const s of samples.slice(1)) expect(Array.from(parse(b64(s) + '\n')[0]!)).toEqual(Array.from(s));
    // Unpadded, bad characters, padding inside, URL alphabet, non-zero bits under the padding, whitespace.
    for (const bad of ['AQ', 'AQI', 'AQ=', 'A===', 'AQ==AQ==', '-_8=', 'AR==', 'AQL=', ' AQ==', 'AQ== ', 'ÄQ==']) {
      expect(parse(bad + '\n')[0], bad).toBeNull();
    }
    // Packets are 8-byte aligned views of one buffer.
    const two = parse(`${b64(Uint8Array.of(1, 2, 3))}\n${b64(Uint8Array.of(4))}\n`);
    expect(two[1]!.byteOffset % 8).toBe(0);
    expect(two[1]!.buffer).toBe(two[0]!.buffer);
  });
});

describe('docs/examples Solana inputs', () => {
  it('are what test/support/solana-doc-example.ts generates (rerun it after changing it)', () => {
    const { packets, tables } = solanaDocExample();
    const examples = join(import.meta.dirname, '..', 'docs', 'examples');
    expect(readFileSync(join(examples, SOLANA_DOC_FILES.packets), 'utf8')).toBe(packets);
    expect(readFileSync(join(examples, SOLANA_DOC_FILES.tables), 'utf8')).toBe(tables);
  });
});

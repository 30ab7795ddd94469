// `preexec verify` (docs/cli.md): golden output per rule set, human output, and
// bad input refused with the line number, nothing on stdout, exit 2.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../src/hex.js';
import { runCommand, scratchFiles } from './support/cli-run.js';
import { SPECCHECK_ROWS, speccheckCases } from './support/ed25519-cases.js';

const { dir, file } = scratchFiles('preexec-verify-');
const run = (...argv: string[]) => runCommand('verify', ...argv);

const line = (c: { publicKey: Uint8Array; signature: Uint8Array; message: Uint8Array }) =>
  JSON.stringify({ publicKey: toHex(c.publicKey), signature: toHex(c.signature), message: toHex(c.message) });
const speccheckFile = file('speccheck.jsonl', speccheckCases().map(line).join('\n') + '\n');
const vToBits = (row: string) => row.replace(/V/g, '1').replace(/X/g, '0');

describe('preexec verify', () => {
  it('prints docs/verification.md rows as JSON for each rule set', async () => {
    for (const rules of ['zip215', 'ref10', 'solana'] as const) {
      const r = await run('--in', speccheckFile, '--rules', rules, '--backend', 'cpu', '--json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`{"valid":"${vToBits(SPECCHECK_ROWS[rules])}","count":12,"rules":"${rules}","backend":"cpu"}\n`);
    }
  });

  it('defaults to zip215 and auto (the CPU here), with human output', async () => {
    const r = await run('--in', speccheckFile);
    expect(r.code).toBe(0);
    // auto names why it verified on the CPU (no adapter or a software one here).
    expect(r.stdout).toMatch(/^verified 12 signatures under zip215 on cpu: 9 valid, 3 invalid\ninvalid: lines 7, 8, 9\nbackend auto chose the CPU: (no GPU: |the adapter \(.*\) is a software implementation)[^\n]*\n$/);
  });

  it('accepts CRLF line ends and an empty file', async () => {
    const crlf = file('crlf.jsonl', speccheckCases().slice(0, 3).map(line).join('\r\n'));
    expect((await run('--in', crlf, '--backend', 'cpu', '--json', '--rules', 'solana')).stdout)
      .toBe('{"valid":"000","count":3,"rules":"solana","backend":"cpu"}\n');
    const empty = file('empty.jsonl', '');
    expect((await run('--in', empty, '--backend', 'cpu', '--json')).stdout).toBe('{"valid":"","count":0,"rules":"zip215","backend":"cpu"}\n');
  });

  it('refuses a bad line naming it, with nothing on stdout', async () => {
    const good = line(speccheckCases()[0]);
    const g = JSON.parse(good) as Record<string, string>;
    const bad: Array<[string, string, RegExp]> = [
      ['not JSON', '{"publicKey": ', /line 2: not JSON/],
      ['not an object', '[1, 2]', /line 2: expected an object/],
      ['missing field', JSON.stringify({ publicKey: g.publicKey, signature: g.signature }), /line 2: missing "message"/],
      ['non-string field', JSON.stringify({ ...g, message: 12 }), /line 2: "message" must be a hex string/],
      ['non-hex', JSON.stringify({ ...g, signature: `zz${g.signature.slice(2)}` }), /line 2: "signature": not a hex digit "z" at position 0/],
      ['odd hex', JSON.stringify({ ...g, message: 'abc' }), /line 2: "message": odd number of hex digits/],
      ['short key', JSON.stringify({ ...g, publicKey: g.publicKey.slice(2) }), /line 2: "publicKey" has 31 bytes, expected 32/],
      ['long signature', JSON.stringify({ ...g, signature: `${g.signature}00` }), /line 2: "signature" has 65 bytes, expected 64/],
      ['empty line', '', /line 2: empty line/],
    ];
    for (const [what, text, reason] of bad) {
      const path = file(`bad-${what.replace(/ /g, '-')}.jsonl`, `${good}\n${text}\n${good}\n`);
      const r = await run('--in', path, '--backend', 'cpu', '--json');
      expect(r.code, what).toBe(2);
      expect(r.stdout, what).toBe('');
      expect(r.stderr, what).toMatch(reason);
      expect(r.stderr.trimEnd().split('\n'), what).toHaveLength(1);
    }
  });

  it('refuses bad flags and missing files', async () => {
    expect((await run()).stderr).toMatch(/missing --in/);
    expect((await run('--in', speccheckFile, '--rules', 'ed448')).stderr).toMatch(/--rules must be one of zip215\|ref10\|solana/);
    expect((await run('--in', speccheckFile, '--backend', 'cuda')).stderr).toMatch(/--backend must be one of auto\|webgpu\|cpu/);
    const missing = await run('--in', join(dir, 'nope.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const binary = file('binary.jsonl', new Uint8Array([0xff, 0xfe, 0x0a]));
    expect((await run('--in', binary, '--backend', 'cpu')).stderr).toMatch(/not UTF-8 text/);
  });
});

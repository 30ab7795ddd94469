// Runs every example of docs/*.md and of the README (conventions in
// docs/README.md): `$ preexec ...` lines against the built CLI, whose stdout
// must match the lines shown; `ts` blocks type-checked (strict) against the
// built package and run with Node, each of which must exit 0 by itself.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libraryExamples, matchesExpected, outputLines, shellExamples, type CodeBlock } from './support/doc-examples.js';
import { USER_TSCONFIG } from './support/doc-examples.js';

const ROOT = join(import.meta.dirname, '..');
const DOCS = join(ROOT, 'docs');
const CLI = join(ROOT, 'dist', 'cli.js');
const PAGES = [...readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => join('docs', f)), 'README.md'];

interface Ran { stdout: string; stderr: string; code: number }

function runNode(args: string[], cwd: string, timeoutMs = 300_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

let scratch: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  scratch = mkdtempSync(join(tmpdir(), 'preexec-docs-'));
});
afterAll(() => { if (scratch) rmSync(scratch, { recursive: true, force: true }); });

let blockCounter = 0;
function examplesCopy(): string {
  const dir = join(scratch, `ex-${blockCounter++}`);
  cpSync(join(DOCS, 'examples'), dir, { recursive: true });
  return dir;
}

describe('command-line examples', () => {
  for (const page of PAGES) {
    const blocks = shellExamples(readFileSync(join(ROOT, page), 'utf8'), page);
    for (const block of blocks) {
      it(`${page}:${block.line}`, async () => {
        const cwd = examplesCopy();
        for (const c of block.commands) {
          const ran = await runNode([CLI, ...c.args], cwd);
          const where = `${page}:${c.line} preexec ${c.args.join(' ')}`;
          expect(ran.code, `${where}: exit status (stderr: ${ran.stderr.trim()})`).toBe(c.exitCode);
          const actual = outputLines(ran.stdout);
          if (!matchesExpected(actual, c.expected)) {
            expect(actual.join('\n'), `${where}: stdout`).toBe(c.expected.join('\n'));
          }
        }
      });
    }
  }
});

describe('library examples', () => {
  const examples: { page: string; block: CodeBlock; file: string }[] = [];
  for (const page of PAGES) {
    for (const block of libraryExamples(readFileSync(join(ROOT, page), 'utf8'))) {
      examples.push({ page, block, file: `${page.replace(/[^a-z0-9]+/gi, '_')}_${block.line}` });
    }
  }
  let project: string;

  it('type-check with strict settings against the built package', async () => {
    project = join(scratch, 'ts-project');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(join(project, 'node_modules', '@webgpu'), { recursive: true });
    symlinkSync(ROOT, join(project, 'node_modules', 'webgpu-preexec'));
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(project, 'node_modules', '@types'));
    symlinkSync(join(ROOT, 'node_modules', '@webgpu', 'types'), join(project, 'node_modules', '@webgpu', 'types'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(USER_TSCONFIG));
    for (const e of examples) writeFileSync(join(project, 'src', `${e.file}.ts`), e.block.body);
    const tsc = await runNode([join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project);
    expect(tsc.stdout + tsc.stderr, 'tsc errors').toBe('');
    expect(tsc.code).toBe(0);
  });

  for (const e of examples) {
    it(`${e.page}:${e.block.line} runs and exits by itself`, async () => {
      expect(project, 'type-check first').toBeDefined();
      const ran = await runNode([join(project, 'out', `${e.file}.js`)], examplesCopy(), 120_000);
      expect(ran.code, `stderr: ${ran.stderr.trim()}`).toBe(0);
    });
  }
});

describe('the example conventions themselves', () => {
  it('match stdout exactly, with ... for a run of characters or of lines', () => {
    expect(matchesExpected(['a 1', 'b'], ['a 1', 'b'])).toBe(true);
    expect(matchesExpected(['a 1', 'b'], ['a 2', 'b'])).toBe(false);
    expect(matchesExpected(['a 1', 'b'], ['a 1'])).toBe(false);
    expect(matchesExpected(['{"x":1,"w":12}'], ['{"x":1,"w":...}'])).toBe(true);
    expect(matchesExpected(['{"x":2,"w":12}'], ['{"x":1,"w":...}'])).toBe(false);
    expect(matchesExpected(['head', 'x', 'y', 'tail'], ['head', '...', 'tail'])).toBe(true);
    expect(matchesExpected(['head', 'tail'], ['head', '...', 'tail'])).toBe(true);
    expect(matchesExpected(['head', 'x'], ['head', '...', 'tail'])).toBe(false);
    expect(matchesExpected([], [])).toBe(true);
    expect(matchesExpected(['(a.b)'], ['(a.b)'])).toBe(true);
    expect(matchesExpected(['(axb)'], ['(a.b)'])).toBe(false);
  });

  it('parse $ preexec lines, continuations, quotes and [exit N]; refuse other commands and shell syntax', () => {
    const page = ['text', '```sh', '$ preexec merkle --in "my leaves.txt" \\', '  --json', '{"root":"..."}', '$ preexec nope', '[exit 2]', '```', '```sh', 'npm install x', '```'].join('\n');
    const blocks = shellExamples(page, 'page.md');
    expect(blocks).toHaveLength(1);
    expect(blocks[0].commands).toEqual([
      { args: ['merkle', '--in', 'my leaves.txt', '--json'], expected: ['{"root":"..."}'], exitCode: 0, line: 3 },
      { args: ['nope'], expected: [], exitCode: 2, line: 6 },
    ]);
    expect(() => shellExamples('```sh\n$ ls\n```', 'p.md')).toThrow(/must run preexec/);
    expect(() => shellExamples('```sh\n$ preexec run > out.txt\n```', 'p.md')).toThrow(/shell syntax/);
    expect(() => shellExamples('```sh\n$ preexec run | head\n```', 'p.md')).toThrow(/shell syntax/);
    expect(libraryExamples('```ts\nlet a = 1;\n```\n```ts fragment\nx\n```').map((b) => b.body)).toEqual(['let a = 1;']);
  });
});

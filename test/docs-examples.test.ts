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
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      // What `tsc --init` of TypeScript 5.9 writes, without skipLibCheck; target
      // es2022 because Node 20 cannot parse `await using` (TypeScript lowers it).
      compilerOptions: {
        module: 'nodenext', target: 'es2022', types: ['node'], strict: true,
        noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: true, isolatedModules: true, noUncheckedSideEffectImports: true,
        moduleDetection: 'force', skipLibCheck: false, outDir: 'out', rootDir: 'src',
      },
      include: ['src'],
    }));
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

// What a new user gets: `npm pack` of this checkout, installed into an empty
// project (from the npm cache, offline), type-checked by TypeScript 5.9 with
// `tsc --init`'s strict settings and no skipLibCheck, the README's library
// example run (it must exit by itself), `npx preexec --help`, and a clear
// error from require().
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { libraryExamples } from './support/doc-examples.js';
import { USER_TSCONFIG } from './support/doc-examples.js';

const ROOT = join(import.meta.dirname, '..');
const NPM_CLI = process.env.npm_execpath?.endsWith('.js') ? process.env.npm_execpath : undefined;

interface Ran { stdout: string; stderr: string; code: number }

function run(file: string, args: string[], cwd: string, timeoutMs = 600_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}
const npm = (args: string[], cwd: string) => (NPM_CLI ? run(process.execPath, [NPM_CLI, ...args], cwd) : run('npm', args, cwd));

interface LockEntry { version?: string; resolved?: string; integrity?: string; dev?: boolean; dependencies?: Record<string, string>; [k: string]: unknown }

/** A lockfile for the fresh project: the tarball, plus this repository's pinned production packages and @types/node. */
function freshLockfile(tarballName: string, typesNode: string): unknown {
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packed = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string>; license: string };
  const packages: Record<string, LockEntry> = {
    '': { name: 'fresh-user', dependencies: { 'webgpu-preexec': `file:../${tarballName}` }, devDependencies: { '@types/node': typesNode } },
    'node_modules/webgpu-preexec': {
      version: packed.version, resolved: `file:../${tarballName}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(join(work, tarballName))).digest('base64')}`,
      license: packed.license, dependencies: packed.dependencies, bin: packed.bin, engines: packed.engines,
    },
  };
  const wanted = new Set<string>(['@types/node']);
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (path === '' || !path.startsWith('node_modules/')) continue;
    const pkgName = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!entry.dev || wanted.has(pkgName) || pkgName === 'undici-types') {
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = entry;
      packages[path] = pkgName === '@types/node' || pkgName === 'undici-types' ? { ...rest, dev: true } : rest;
    }
  }
  return { name: 'fresh-user', lockfileVersion: 3, requires: true, packages };
}

let work: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'preexec-pack-'));
  const packed = await npm(['pack', '--pack-destination', work, '--silent'], ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const found = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!found) throw new Error(`npm pack wrote no tarball: ${packed.stdout} ${packed.stderr}`);
  const name = found;
  tarball = join(work, name);

  project = join(work, 'project');
  mkdirSync(join(project, 'src'), { recursive: true });
  const typesNode = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version as string;
  writeFileSync(join(project, 'package.json'), JSON.stringify({
    name: 'fresh-user', private: true, type: 'module',
    dependencies: { 'webgpu-preexec': `file:../${name}` },
    devDependencies: { '@types/node': typesNode },
  }));
  // Offline, a fresh project cannot resolve version ranges (the cache holds
  // tarballs, not registry metadata), so it gets a lockfile pinning every
  // package to the bytes this repository's own lockfile pins, which `npm ci`
  // put in the cache. What npm installs is still decided by the tarball's
  // package.json: `npm ci` refuses a lockfile that does not satisfy it.
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(freshLockfile(name, typesNode), null, 2));
  const installed = await npm(['ci', '--offline', '--no-audit', '--no-fund'], project);
  if (installed.code !== 0) throw new Error(`npm ci of the tarball failed: ${installed.stderr}`);
});
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

describe('the packed package, installed into a fresh project', () => {
  it('ships dist/, the shaders, LICENSE, docs and source maps with their sources, and no tests', () => {
    const pkgDir = join(project, 'node_modules', 'webgpu-preexec');
    const files = readdirSync(pkgDir);
    expect(files).toEqual(expect.arrayContaining(['dist', 'shaders', 'LICENSE', 'README.md', 'package.json', 'docs', 'cjs']));
    expect(files).not.toContain('test');
    expect(files).not.toContain('src');
    const map = JSON.parse(readFileSync(join(pkgDir, 'dist', 'index.js.map'), 'utf8')) as { sourcesContent?: string[] };
    expect(map.sourcesContent?.[0]).toMatch(/export/);
    expect(readFileSync(join(pkgDir, 'dist', 'index.d.ts'), 'utf8')).toMatch(/<reference types="@webgpu\/types"/);
  });

  it("type-checks the README's library example with TypeScript 5.9 strict, no skipLibCheck, and runs it to a clean exit", async () => {
    const readme = readFileSync(join(project, 'node_modules', 'webgpu-preexec', 'README.md'), 'utf8');
    const [example] = libraryExamples(readme);
    expect(example, 'a ts block in the README').toBeDefined();
    writeFileSync(join(project, 'src', 'example.ts'), example.body);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(USER_TSCONFIG));
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const cwd = join(work, 'example-data');
    cpSync(join(project, 'node_modules', 'webgpu-preexec', 'docs', 'examples'), cwd, { recursive: true });
    const ran = await run(process.execPath, [join(project, 'out', 'example.js')], cwd, 120_000);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^0 [0-9a-f]+ [0-9a-f]{64}$/m);
  });

  it('npx preexec --help works from the installed package', async () => {
    const r = await npm(['exec', '--offline', '--', 'preexec', '--help'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/usage: preexec <command>/);
    const v = await npm(['exec', '--offline', '--', 'preexec', 'merkle', '--help'], project);
    expect(v.stdout).toMatch(/usage: preexec merkle/);
  });

  it('require() says the package is an ES module', async () => {
    const r = await run(process.execPath, ['-e', "require('webgpu-preexec')"], project);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/webgpu-preexec is an ES module; use import\(\)/);
  });
});

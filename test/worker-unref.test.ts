// Idle worker threads do not keep Node alive: a program that never closes
// its verifier, hasher or pipeline exits by itself once nothing is in flight.
import { describe, expect, it } from 'vitest';
import { runFixture } from './support/fixture-run.js';

describe('worker threads and process exit', () => {
  it('a program that forgets close() exits once its last job is done', async () => {
    let doneAt = 0;
    const { code, stdout, stderr } = await runFixture('forget-to-close.ts', (out) => { if (!doneAt && out.includes('done')) doneAt = Date.now(); });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^done 11 32 32\n$/);
    // After its last job the program has nothing to do: it ends at once.
    expect(Date.now() - doneAt).toBeLessThan(5_000);
  });
});

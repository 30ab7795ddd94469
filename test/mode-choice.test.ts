// The 'auto' schedule's choice (src/exec/mode-choice.ts), with made-up
// timings: which mode runs when, and that a parallel mode needs the margin.
import { describe, expect, it } from 'vitest';
import { ModeChooser, MEASURED_BLOCKS, PARALLEL_MARGIN, PROBE_EVERY, type ExecutionMode } from '../src/exec/mode-choice.js';

const MODES: ExecutionMode[] = ['sequential', 'resolve-ahead', 'disjoint'];

/** Runs `blocks` blocks, each mode taking `ms[mode]` per record; returns the modes run. */
function drive(chooser: ModeChooser, ms: Record<ExecutionMode, number>, blocks: number): ExecutionMode[] {
  const out: ExecutionMode[] = [];
  for (let b = 0; b < blocks; b++) {
    const m = chooser.next();
    chooser.record(m, ms[m]);
    out.push(m);
  }
  return out;
}

describe('ModeChooser', () => {
  it('measures every mode in turn, then runs the fastest, probing the others once in PROBE_EVERY blocks', () => {
    const c = new ModeChooser(MODES);
    const modes = drive(c, { sequential: 1, 'resolve-ahead': 0.6, disjoint: 0.8 }, 3 * PROBE_EVERY);
    expect(modes.slice(0, 3 * MEASURED_BLOCKS)).toEqual([...Array(MEASURED_BLOCKS)].flatMap(() => MODES));
    const after = modes.slice(3 * MEASURED_BLOCKS);
    const probes = after.filter((m) => m !== 'resolve-ahead');
    // blocks 32 and 64 probe the other modes in turn
    expect(probes).toEqual(['sequential', 'disjoint']);
    expect(modes[PROBE_EVERY]).toBe('sequential');
    expect(modes[2 * PROBE_EVERY]).toBe('disjoint');
    expect(c.best()).toBe('resolve-ahead');
  });

  it('keeps sequential when no parallel mode is faster by the margin', () => {
    const c = new ModeChooser(MODES);
    drive(c, { sequential: 1, 'resolve-ahead': PARALLEL_MARGIN + 0.01, disjoint: 0.95 }, 20);
    expect(c.best()).toBe('sequential');
    const d = new ModeChooser(MODES);
    drive(d, { sequential: 1, 'resolve-ahead': PARALLEL_MARGIN, disjoint: 2 }, 20);
    expect(d.best()).toBe('resolve-ahead');
  });

  it('stops measuring a mode that clearly loses, running sequential in its turn', () => {
    const c = new ModeChooser(MODES);
    const modes = drive(c, { sequential: 1, 'resolve-ahead': 0.7, disjoint: 3 }, 3 * MEASURED_BLOCKS);
    // its warm-up block and one measured block
    expect(modes.filter((m) => m === 'disjoint')).toHaveLength(2);
    expect(c.best()).toBe('resolve-ahead');
  });

  it('does not keep the first block of a mode (it compiles and attaches)', () => {
    const c = new ModeChooser(MODES);
    c.record('resolve-ahead', 100);
    expect(c.medians()['resolve-ahead']).toBeUndefined();
    c.record('resolve-ahead', 0.5);
    c.record('sequential', 9);
    c.record('sequential', 1);
    expect(c.medians()).toEqual({ 'resolve-ahead': 0.5, sequential: 1 });
  });

  it('follows a change: a mode that stops winning is dropped after its probes and block samples', () => {
    const c = new ModeChooser(MODES);
    drive(c, { sequential: 1, 'resolve-ahead': 0.6, disjoint: 0.8 }, 20);
    expect(c.best()).toBe('resolve-ahead');
    // the machine gets busy: resolve-ahead now loses; its own blocks show it
    drive(c, { sequential: 1, 'resolve-ahead': 1.5, disjoint: 1.4 }, 10);
    expect(c.best()).toBe('sequential');
  });

  it('needs sequential first', () => {
    expect(() => new ModeChooser(['disjoint', 'sequential'])).toThrow(/sequential comes first/);
  });
});

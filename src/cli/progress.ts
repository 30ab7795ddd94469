// Progress on stderr for long steps (signing, kernel compilation, bench runs):
// a redrawn line on a terminal, an occasional plain line otherwise. stdout
// carries only the answer.
import { isatty } from 'node:tty';
import type { CommandIo } from '../cli.js';

export interface Progress { update(text: string): void; done(text?: string): void }

/** `plainEveryMs`: the least time between two lines when stderr is not a terminal. */
export function createProgress(io: CommandIo, isTTY: boolean, plainEveryMs = 2000): Progress {
  // A step that ends within `plainEveryMs` prints no progress line at all.
  let last = isTTY ? 0 : Date.now();
  let shown = false;
  return {
    update(text) {
      const t = Date.now();
      if (isTTY) {
        if (t - last < 100) return;
        io.stderr(`\r\x1b[2K${text}`);
        shown = true;
      } else {
        if (t - last < plainEveryMs) return;
        io.stderr(`${text}\n`);
      }
      last = t;
    },
    done(text) {
      if (isTTY && shown) io.stderr('\r\x1b[2K');
      shown = false;
      last = isTTY ? 0 : Date.now();
      if (text) io.stderr(`${text}\n`);
    },
  };
}

/** stderr is a terminal (progress redraws one line) unless the command's caller says otherwise. */
export function stderrIsTTY(): boolean {
  if (typeof process === 'undefined') return false;
  // A command re-run to keep driver noise off stderr (src/cli.ts) writes its
  // own lines to the user's stderr through PREEXEC_STDERR_FD; its fd 2 is a pipe.
  const fd = process.env.PREEXEC_STDERR_FD;
  return fd === undefined ? process.stderr?.isTTY === true : isatty(Number(fd));
}

/** `onCompileProgress` for createVerifier: "compiling ... N s" on stderr, then the total. */
export function compileProgress(io: CommandIo, quiet: boolean): (elapsedMs: number, done: boolean) => void {
  const progress = createProgress(io, stderrIsTTY(), 4000);
  return (ms, done) => {
    if (done) progress.done(quiet ? undefined : `compiled the WGSL verify kernels in ${(ms / 1000).toFixed(1)} s`);
    else if (!quiet) progress.update(`compiling the WGSL verify kernels (once per process)... ${Math.round(ms / 1000)} s`);
  };
}

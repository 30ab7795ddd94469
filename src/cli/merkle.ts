// `preexec merkle --in FILE [--backend auto|webgpu|cpu] [--json]` (docs/cli.md):
// the RFC 6962 root of a file of hex leaves, one per line.
//
// File format: a line is one leaf in hex (either case). A final newline ends
// the file rather than adding a leaf; any other empty line is an empty leaf
// (so a file holding just "\n" is one empty leaf, and an empty file is the
// empty tree). CRLF line ends are accepted. Anything else that is not an
// even number of hex digits is an error naming the line.
import type { CommandIo } from '../cli.js';
import { hexDigit, toHex } from '../hex.js';
import { ResourceLimitError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { createMerkleHasher, type MerkleBackend } from '../merkle/hasher.js';
import type { Columnar } from '../gpu/staging.js';
import { firstInvalidUtf8, parseFlags, readInputFile, wantsHelp } from './args.js';

export class LeafFileFormatError extends Error {
  override name = 'LeafFileFormatError';
}

/**
 * Parses a leaf file (see above) into columnar leaves, straight from its bytes
 * (no string of the whole file: a file of any size under the cap parses, and
 * a byte that is not ASCII is named as such). At most LIMITS.leavesPerFile leaves.
 */
export function parseLeafFile(bytes: Uint8Array, name = 'input'): Columnar {
  // Pass 1: lines and digits, every line checked.
  let lines = 0;
  let digits = 0;
  let start = 0;
  const end = bytes.length;
  while (start < end) {
    let stop = bytes.indexOf(0x0a, start);
    if (stop < 0) stop = end;
    const lineEnd = stop > start && bytes[stop - 1] === 0x0d ? stop - 1 : stop;
    lines++;
    if (lines > LIMITS.leavesPerFile) throw new ResourceLimitError(`${name}: more than ${LIMITS.leavesPerFile} leaves (the cap on leaves per file)`);
    for (let i = start; i < lineEnd; i++) {
      if (hexDigit(bytes[i]) < 0) throw new LeafFileFormatError(`${name} line ${lines}: not a hex digit ${describeByte(bytes, i)} at position ${i - start}`);
    }
    if ((lineEnd - start) % 2 !== 0) throw new LeafFileFormatError(`${name} line ${lines}: odd number of hex digits (${lineEnd - start})`);
    digits += lineEnd - start;
    start = stop + 1;
  }
  // Pass 2: the bytes.
  const data = new Uint8Array(digits / 2);
  const offsets = new Uint32Array(lines + 1);
  let at = 0;
  let line = 0;
  start = 0;
  while (start < end) {
    let stop = bytes.indexOf(0x0a, start);
    if (stop < 0) stop = end;
    const lineEnd = stop > start && bytes[stop - 1] === 0x0d ? stop - 1 : stop;
    for (let i = start; i < lineEnd; i += 2) data[at++] = (hexDigit(bytes[i]) << 4) | hexDigit(bytes[i + 1]);
    offsets[++line] = at;
    start = stop + 1;
  }
  return { data, offsets };
}

/** Byte `i` as a message names it: whitespace by name, non-ASCII as a byte value. */
function describeByte(bytes: Uint8Array, i: number): string {
  const c = bytes[i];
  if (c === 0x20) return '(a space)';
  if (c === 0x09) return '(a tab)';
  if (c === 0x0d) return '(a carriage return)';
  if (c >= 0x80) return `(byte 0x${c.toString(16)}, not ASCII${firstInvalidUtf8(bytes.subarray(i, i + 4)) === 0 ? ': not UTF-8 either' : ''})`;
  if (c < 0x20 || c === 0x7f) return `(a control character, 0x${c.toString(16).padStart(2, '0')})`;
  return JSON.stringify(String.fromCharCode(c));
}

export const MERKLE_USAGE = `usage: preexec merkle --in FILE [--backend auto|webgpu|cpu] [--json]

Prints the RFC 6962 Merkle tree root (SHA-256) of the leaves in FILE (docs/merkle.md).

  --in FILE     one leaf per line, in hex (either case); an empty line is an empty leaf;
                a final newline ends the file; CRLF is accepted; an empty file is the empty tree
  --backend B   auto (default: the GPU on a hardware adapter, else the CPU, and the output
                says why), webgpu or cpu
  --json        one JSON object: {"root", "leaves", "backend", "adapter" (webgpu),
                "fallbackReason" (auto on the CPU)}

Exit codes: 0 done, 2 bad flag or input line, 1 environment (no GPU for --backend webgpu, ...).

Example:
  preexec merkle --in leaves.txt --backend cpu`;

export async function merkleCommand(argv: string[], io: CommandIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${MERKLE_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: ['in', 'backend'], switches: ['json'] });
  const path = flags.required('in');
  const backend = flags.choice<MerkleBackend>('backend', ['auto', 'webgpu', 'cpu'], 'auto');
  const leaves = parseLeafFile(await readInputFile(path, '--in'), path);
  const n = leaves.offsets.length - 1;
  const hasher = await createMerkleHasher({ backend });
  try {
    const root = toHex(await hasher.root(leaves));
    const fallbackReason = backend === 'auto' ? hasher.fallbackReason : undefined;
    if (flags.has('json')) {
      const out: Record<string, unknown> = { root, leaves: n, backend: hasher.backend };
      if (hasher.device) out.adapter = hasher.device.report.description || hasher.device.report.device || hasher.device.report.vendor;
      if (fallbackReason) out.fallbackReason = fallbackReason;
      io.stdout(`${JSON.stringify(out)}\n`);
    } else {
      io.stdout(`root     ${root}\nleaves   ${n}\nbackend  ${hasher.backend}${hasher.device?.report.isSoftware ? ' (software adapter)' : ''}${fallbackReason ? ` (auto: ${fallbackReason})` : ''}\n`);
    }
  } finally {
    await hasher.close();
  }
  return 0;
}

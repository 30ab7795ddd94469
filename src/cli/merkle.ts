// `preexec merkle --in FILE [--backend auto|webgpu|cpu] [--json]` (SPEC §6):
// the RFC 6962 root of a file of hex leaves, one per line.
//
// File format: a line is one leaf in hex (either case). A final newline ends
// the file rather than adding a leaf; any other empty line is an empty leaf
// (so a file holding just "\n" is one empty leaf, and an empty file is the
// empty tree). CRLF line ends are accepted. Anything else that is not an
// even number of hex digits is an error naming the line.
import type { CommandIo } from '../cli.js';
import { fromHex, toHex } from '../hex.js';
import { createMerkleHasher, type MerkleBackend } from '../merkle/hasher.js';
import { toColumnar } from '../merkle/reference.js';
import type { Columnar } from '../gpu/staging.js';
import { parseFlags, readInputFile, wantsHelp } from './args.js';

export class LeafFileFormatError extends Error {
  override name = 'LeafFileFormatError';
}

/** Parses a leaf file (see above) into columnar leaves. */
export function parseLeafFile(bytes: Uint8Array, name = 'input'): Columnar {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const parts: Uint8Array[] = [];
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let leaf: Uint8Array;
    try {
      leaf = fromHex(line, `${name} line ${i + 1}`);
    } catch (e) {
      throw new LeafFileFormatError((e as Error).message);
    }
    parts.push(leaf);
  });
  return toColumnar(parts);
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

import type { CommandIo } from '../cli.js';

// Placeholder until this command lands; it fails loudly rather than pretending.
export async function runCommand(_argv: string[], _io: CommandIo): Promise<number> {
  throw new Error('preexec run is not implemented yet');
}

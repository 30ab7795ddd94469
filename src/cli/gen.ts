import type { CommandIo } from '../cli.js';

// Placeholder until this command lands; it fails loudly rather than pretending.
export async function genCommand(_argv: string[], _io: CommandIo): Promise<number> {
  throw new Error('preexec gen is not implemented yet');
}

// What every transaction format module offers the rest of the project.

/** A decoded transaction, or why the bytes are not one. Decoding never throws for bad bytes. */
export type FormatDecodeResult<T, Reason extends string = string> =
  | { ok: true; tx: T }
  | { ok: false; reason: Reason; detail: string };

export interface TransactionFormat<T = unknown, Reason extends string = string> {
  /** The name used on the command line (`--format`) and in reports. */
  readonly name: string;
  /** One line for help texts. */
  readonly summary: string;
  /** Largest transaction in bytes (a record or packet longer than this is malformed). */
  readonly maxSize: number;
  decode(bytes: Uint8Array): FormatDecodeResult<T, Reason>;
}

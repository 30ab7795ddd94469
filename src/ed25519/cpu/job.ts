// How a batch travels to the CPU workers: one message per worker per job,
// never one per item. With SharedArrayBuffer (Node; cross-origin-isolated
// pages) the whole batch is copied once into a shared buffer and the workers
// take chunks from a shared counter, so slow items (zip215's exact path) do
// not leave one worker idle while another finishes. Without it, each worker
// gets a contiguous range copied into a transferred buffer.
import type { RuleSet } from '../batch.js';
import type { BatchColumns, CpuEngine } from './engine.js';

export interface SharedJob {
  buffer: SharedArrayBuffer;
  n: number;
  messagesLength: number;
  rules: RuleSet;
  engine: CpuEngine;
  /** Items taken from the counter at a time. */
  chunk: number;
}

export interface CopiedJob {
  /** The range's columns, messageOffsets rebased to 0; their buffers are transferred. */
  columns: BatchColumns;
  rules: RuleSet;
  engine: CpuEngine;
}

export interface CpuVerifyWorkerApi {
  /** Verifies chunks of a shared job until the counter passes n; returns how many items this worker did. */
  verifyShared(job: SharedJob): Promise<number>;
  /** Verifies a copied range; returns one byte per item. */
  verifyCopied(job: CopiedJob): Promise<Uint8Array>;
}

/** Byte offsets of each region in a shared job's buffer (each 4-byte aligned). */
export interface SharedLayout {
  counter: number;
  offsets: number;
  publicKeys: number;
  signatures: number;
  messages: number;
  results: number;
  byteLength: number;
}

export function sharedLayout(n: number, messagesLength: number): SharedLayout {
  const align4 = (x: number) => (x + 3) & ~3;
  const counter = 0;
  const offsets = 8;
  const publicKeys = offsets + 4 * (n + 1);
  const signatures = publicKeys + 32 * n;
  const messages = signatures + 64 * n;
  const results = align4(messages + messagesLength);
  return { counter, offsets, publicKeys, signatures, messages, results, byteLength: align4(results + n) };
}

/** Views of a shared job's regions. */
export function sharedViews(buffer: SharedArrayBuffer, n: number, messagesLength: number) {
  const l = sharedLayout(n, messagesLength);
  const columns: BatchColumns = {
    messageOffsets: new Uint32Array(buffer, l.offsets, n + 1),
    publicKeys: new Uint8Array(buffer, l.publicKeys, 32 * n),
    signatures: new Uint8Array(buffer, l.signatures, 64 * n),
    messages: new Uint8Array(buffer, l.messages, messagesLength),
  };
  return { columns, counter: new Int32Array(buffer, l.counter, 1), results: new Uint8Array(buffer, l.results, n) };
}

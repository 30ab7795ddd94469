// The columnar signature batch of docs/verification.md, shared by every backend.
import { DestroyedError, requireObject } from '../errors.js';

export type RuleSet = 'zip215' | 'ref10' | 'solana';
export const RULE_SETS: readonly RuleSet[] = ['zip215', 'ref10', 'solana'];

export interface SignatureBatch {
  /** 32·n bytes. */
  publicKeys: Uint8Array;
  /** 64·n bytes: R (32) then S (32) per item. */
  signatures: Uint8Array;
  /** Every message back to back. */
  messages: Uint8Array;
  /** n + 1 offsets into `messages`: non-decreasing, first 0, last messages.length. */
  messageOffsets: Uint32Array;
}

export interface SignatureItem {
  publicKey: Uint8Array;
  signature: Uint8Array;
  message: Uint8Array;
}

export class BatchFormatError extends Error {
  override name = 'BatchFormatError';
}

/** A verifier (any backend) used after destroy(), or destroyed while a call was in flight. */
export class VerifierDestroyedError extends DestroyedError {
  override name = 'VerifierDestroyedError';
}

/** Number of items in a batch (n), after checking its structure. */
export function batchSize(batch: SignatureBatch): number {
  validateBatch(batch);
  return batch.messageOffsets.length - 1;
}

/**
 * Throws BatchFormatError naming what is wrong with a structurally broken
 * batch; a batch that passes can be verified item by item without bounds
 * surprises.
 */
export function validateBatch(batch: SignatureBatch): void {
  requireObject(batch, 'batch');
  const { publicKeys, signatures, messages, messageOffsets } = batch;
  if (!(publicKeys instanceof Uint8Array)) throw new BatchFormatError('publicKeys must be a Uint8Array');
  if (!(signatures instanceof Uint8Array)) throw new BatchFormatError('signatures must be a Uint8Array');
  if (!(messages instanceof Uint8Array)) throw new BatchFormatError('messages must be a Uint8Array');
  if (!(messageOffsets instanceof Uint32Array)) throw new BatchFormatError('messageOffsets must be a Uint32Array');
  if (messageOffsets.length < 1) throw new BatchFormatError('messageOffsets must hold n + 1 entries (at least one)');
  const n = messageOffsets.length - 1;
  if (publicKeys.length !== 32 * n) throw new BatchFormatError(`publicKeys has ${publicKeys.length} bytes, expected 32 × ${n} = ${32 * n}`);
  if (signatures.length !== 64 * n) throw new BatchFormatError(`signatures has ${signatures.length} bytes, expected 64 × ${n} = ${64 * n}`);
  if (messageOffsets[0] !== 0) throw new BatchFormatError(`messageOffsets[0] is ${messageOffsets[0]}, expected 0`);
  for (let i = 1; i <= n; i++) {
    if (messageOffsets[i] < messageOffsets[i - 1]) {
      throw new BatchFormatError(`messageOffsets decreases at item ${i - 1} (${messageOffsets[i - 1]} then ${messageOffsets[i]})`);
    }
  }
  if (messageOffsets[n] !== messages.length) {
    throw new BatchFormatError(`messageOffsets[${n}] is ${messageOffsets[n]}, expected messages.length = ${messages.length}`);
  }
}

/**
 * A copy of a (validated) batch in fresh, unshared ArrayBuffers. Verifiers
 * take one when called: the caller may reuse or zero its buffers as soon as
 * verify() returns its promise, and SharedArrayBuffer-backed columns reach
 * backends (WebGPU's writeBuffer) that only accept plain ones.
 */
export function copyBatch(batch: SignatureBatch): SignatureBatch {
  return {
    publicKeys: batch.publicKeys.slice(),
    signatures: batch.signatures.slice(),
    messages: batch.messages.slice(),
    messageOffsets: batch.messageOffsets.slice(),
  };
}

/** Packs items into a batch, checking each item's key and signature length. */
export function packSignatureBatch(items: readonly SignatureItem[]): SignatureBatch {
  const n = items.length;
  let total = 0;
  items.forEach((item, i) => {
    if (item.publicKey.length !== 32) throw new BatchFormatError(`item ${i}: public key has ${item.publicKey.length} bytes, expected 32`);
    if (item.signature.length !== 64) throw new BatchFormatError(`item ${i}: signature has ${item.signature.length} bytes, expected 64`);
    total += item.message.length;
  });
  if (total > 0xffffffff) throw new BatchFormatError(`messages total ${total} bytes, more than u32 offsets can address`);
  const publicKeys = new Uint8Array(32 * n);
  const signatures = new Uint8Array(64 * n);
  const messages = new Uint8Array(total);
  const messageOffsets = new Uint32Array(n + 1);
  let at = 0;
  items.forEach((item, i) => {
    publicKeys.set(item.publicKey, 32 * i);
    signatures.set(item.signature, 64 * i);
    messages.set(item.message, at);
    at += item.message.length;
    messageOffsets[i + 1] = at;
  });
  return { publicKeys, signatures, messages, messageOffsets };
}

/** Item i of a (validated) batch, as views into the batch's buffers. */
export function batchItem(batch: SignatureBatch, i: number): SignatureItem {
  return {
    publicKey: batch.publicKeys.subarray(32 * i, 32 * i + 32),
    signature: batch.signatures.subarray(64 * i, 64 * i + 64),
    message: batch.messages.subarray(batch.messageOffsets[i], batch.messageOffsets[i + 1]),
  };
}

/** Items [start, end) of a validated batch as a batch of their own (copies offsets, views bytes). */
export function sliceBatch(batch: SignatureBatch, start: number, end: number): SignatureBatch {
  const base = batch.messageOffsets[start];
  const messageOffsets = new Uint32Array(end - start + 1);
  for (let i = start; i <= end; i++) messageOffsets[i - start] = batch.messageOffsets[i] - base;
  return {
    publicKeys: batch.publicKeys.subarray(32 * start, 32 * end),
    signatures: batch.signatures.subarray(64 * start, 64 * end),
    messages: batch.messages.subarray(base, batch.messageOffsets[end]),
    messageOffsets,
  };
}

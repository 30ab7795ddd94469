// The docs/transactions.md state root, kept up to date incrementally: after a block only
// the touched accounts' leaves (appended accounts included) go to the tree.
import type { AccountState } from './account-state.js';
import { ACCOUNT_BYTES } from './account-state.js';
import type { IncrementalMerkleTree } from '../merkle/incremental.js';

export interface StateRoot {
  readonly tree: IncrementalMerkleTree;
  /** Hands a block's touched slots and their 48-byte leaves to the tree. */
  update(touched: Uint32Array, leaves: Uint8Array): Promise<void>;
  /** The root over every account in slot order. */
  root(): Promise<Uint8Array>;
  destroy(): void;
}

/**
 * Loads every current account into `tree` (empty, leafSize 48) and returns
 * the tracker. The tree's size must follow the state's account count; a
 * mismatch means a block's touches were lost, and is reported, not hidden.
 */
export async function createStateRoot(state: AccountState, tree: IncrementalMerkleTree): Promise<StateRoot> {
  if (tree.size !== 0) throw new RangeError(`state root: the tree must start empty, it has ${tree.size} leaves`);
  if (state.count > 0) {
    const indices = new Uint32Array(state.count);
    for (let i = 0; i < indices.length; i++) indices[i] = i;
    await tree.setLeaves(indices, state.allLeaves());
  }
  return {
    tree,
    async update(touched, leaves) {
      if (leaves.length !== touched.length * ACCOUNT_BYTES) {
        throw new RangeError(`state root: ${leaves.length} leaf bytes for ${touched.length} touched accounts`);
      }
      if (touched.length > 0) await tree.setLeaves(touched, leaves);
      if (tree.size !== state.count) throw new Error(`state root: the tree has ${tree.size} leaves but the state ${state.count} accounts`);
    },
    root: () => tree.root(),
    destroy: () => tree.destroy(),
  };
}

// Account state (docs/transactions.md): shared-memory accounts, genesis, incremental state root.
export {
  AccountState, findCell, findCellBefore, probeFrom, hashKey,
  ACCOUNT_BYTES, LEAF_WORDS, RECORD_WORDS, KEY_WORDS, BALANCE_LO, BALANCE_HI, NONCE_LO, NONCE_HI, SLOT_PLUS_ONE, TOUCH_MARK, TOUCH_INDEX,
} from './account-state.js';
export type { Account, StateBuffers } from './account-state.js';
export { parseGenesis, stateFromGenesis, loadGenesis, GenesisFormatError } from './genesis.js';
export type { GenesisAccount } from './genesis.js';
export { createStateRoot } from './state-root.js';
export type { StateRoot } from './state-root.js';

// RFC 6962 Merkle trees: CPU reference, WebGPU and CPU backends, incremental tree.
export { EMPTY_ROOT, leafHash, nodeHash, merkleRoot, inclusionProof, verifyInclusion, proofPositions, toColumnar, MerkleInputError } from './reference.js';
export type { Leaves, Columnar } from './reference.js';
export { createMerkleHasher } from './hasher.js';
export type { MerkleHasher, MerkleHasherOptions, MerkleBackend } from './hasher.js';
export { createIncrementalMerkleTree } from './incremental.js';
export type { IncrementalMerkleTree, IncrementalTreeOptions } from './incremental.js';
export { sha256 } from './sha256.js';

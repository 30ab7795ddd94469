// Worker side of the CPU backend: the root (and the path inside it) of one
// aligned subtree.
import { exposeWorkerApi } from '../pool/worker-pool.js';
import { hashLeaves, merkleLevels, proofPositions } from './reference.js';

export interface MerkleWorkerApi {
  subtree(data: Uint8Array, offsets: Uint32Array, index: number): { root: Uint8Array; proof: Uint8Array[] };
}

const api: MerkleWorkerApi = {
  subtree(data, offsets, index) {
    const levels = merkleLevels(hashLeaves({ data, offsets }));
    const proof = index >= 0 ? proofPositions(index, levels[0].length).map(([l, p]) => levels[l][p]) : [];
    return { root: levels[levels.length - 1][0], proof };
  },
};

await exposeWorkerApi(api);

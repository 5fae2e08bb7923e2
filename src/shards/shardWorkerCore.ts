import { loadWasmKernel } from '../kernel/loadWasmKernel.js';
import { Shard, type BackwardStep } from '../experiment/shard.js';
import type { ShardReply, ShardRequest } from './shardMessages.js';

type Post = (reply: ShardReply, transfer: Transferable[]) => void;

/**
 * The inside of a shard worker, independent of the transport: feed it requests in order; it
 * answers each with its result (transferred, not copied) or an error message.
 */
export function shardWorkerCore(post: Post): (request: ShardRequest) => Promise<void> {
  let shard: Shard | undefined;
  const need = () => {
    if (!shard) throw new Error('shard worker used before init');
    return shard;
  };
  return async (request) => {
    try {
      let result: Float64Array | Uint32Array | BackwardStep | null = null;
      if (request.op === 'init') {
        shard = new Shard(await loadWasmKernel(request.module, request.build), request.config, request.rowStart, request.rows);
      } else if (request.op === 'start') result = need().startPattern(request.patternIndex);
      else if (request.op === 'layer') result = need().runLayer();
      else if (request.op === 'prepare') need().prepareLayer();
      else if (request.op === 'probe') result = need().probeLayer();
      else if (request.op === 'scale') need().scaleWeights(request.factor);
      else if (request.op === 'commit') result = need().commitLayer();
      else if (request.op === 'hist') result = need().histogram(request.of, request.edges);
      else if (request.op === 'backstart') need().startBackward();
      else if (request.op === 'back') result = need().backwardLayer(request.layer);
      else throw new Error(`unknown request ${(request as { op: string }).op}`);
      const buffers = result === null ? [] : ArrayBuffer.isView(result) ? [result.buffer] : [result.gradA.buffer, result.gradZ.buffer, result.deltaZ.buffer, result.aPrev.buffer];
      post({ id: request.id, ok: true, result }, buffers as Transferable[]);
    } catch (error) {
      post({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }, []);
    }
  };
}

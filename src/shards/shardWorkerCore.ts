import { loadWasmKernel } from '../kernel/loadWasmKernel.js';
import { Shard } from '../experiment/shard.js';
import { answersRequest, transferablesOf, type ShardReply, type ShardRequest } from '../experiment/shardProtocol.js';

type Post = (reply: ShardReply, transfer: Transferable[]) => void;

/**
 * The inside of a shard worker, independent of the transport: feed it requests in order; it
 * answers each with its result (its buffers transferred, not copied) or an error message.
 */
export function shardWorkerCore(post: Post): (request: ShardRequest) => Promise<void> {
  let shard: Shard | undefined;
  return async (request) => {
    try {
      let result: unknown = null;
      if (request.method === 'init') {
        const { module, build, config, rowStart, rows, seat } = request.args[0];
        // a pooled worker's previous shard goes first, so its memory is not held beside the new one's
        shard = undefined;
        shard = new Shard(await loadWasmKernel(module, build), config, rowStart, rows, seat);
      } else {
        if (!shard) throw new Error('shard worker used before init');
        const method = shard[request.method] as ((...args: unknown[]) => unknown) | undefined;
        if (typeof method !== 'function') throw new Error(`unknown request ${request.method}`);
        result = method.apply(shard, request.args) ?? null;
      }
      if (answersRequest(request.method)) post({ id: request.id, ok: true, result }, transferablesOf(result));
    } catch (error) {
      // a one-way request's failure has nobody to go to; it cannot fail but for a worker used before init
      if (answersRequest(request.method)) post({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }, []);
    }
  };
}

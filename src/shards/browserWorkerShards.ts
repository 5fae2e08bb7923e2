import { startShardWorker } from '../pageAssets.js';
import { rowGroupOf } from '../experiment/blocks/blockKinds.js';
import type { ExperimentConfig } from '../model/config.js';
import type { ShardHandle, ShardReply } from '../experiment/shardProtocol.js';
import { shardRanges } from './shardRanges.js';
import { drawRingSeats } from '../experiment/sharedDraws.js';
import { workerShard, type WorkerPort } from './workerShard.js';

/** Workers that finished a run and wait for the next: starting one costs ~60–90 ms, a live update ~100. */
const idle: Worker[] = [];
const IDLE_LIMIT = 16;

/**
 * One lease of a browser Web Worker as a WorkerPort: its listeners last as long as the lease;
 * terminating fails whatever is still pending, releasing puts the worker back in the pool.
 */
function leasePort(worker: Worker): WorkerPort {
  const replies: ((reply: ShardReply) => void)[] = [], failures: ((e: Error) => void)[] = [];
  const onMessage = (event: MessageEvent<ShardReply>) => replies.forEach((l) => l(event.data));
  const onError = (event: ErrorEvent) => failures.forEach((f) => f(new Error(event.message || 'worker failed')));
  worker.addEventListener('message', onMessage);
  worker.addEventListener('error', onError);
  const detach = () => {
    worker.removeEventListener('message', onMessage);
    worker.removeEventListener('error', onError);
  };
  return {
    post: (request, transfer) => worker.postMessage(request, transfer),
    onReply: (listener) => replies.push(listener),
    onFailure: (listener) => failures.push(listener),
    terminate: () => {
      detach();
      worker.terminate();
      failures.forEach((f) => f(new Error('cancelled')));
    },
    release: () => {
      detach();
      if (idle.length < IDLE_LIMIT) idle.push(worker);
      else worker.terminate();
    },
  };
}

/** One Web Worker per shard, from the pool where it has one, each instantiating `module` (compiled once by the page). */
export function browserWorkerShards(config: ExperimentConfig, threads: number, module: WebAssembly.Module, build: string): Promise<ShardHandle[]> {
  // a page that is not cross-origin isolated has no SharedArrayBuffer: each worker then draws every W itself
  const ranges = shardRanges(config.batch, threads, rowGroupOf(config)), seats = drawRingSeats(config, ranges.length);
  return Promise.all(ranges.map((range, i) => workerShard(leasePort(idle.pop() ?? startShardWorker(new URL('./shardWorker.js', import.meta.url))), config, range, module, build, seats[i])));
}

import type { ExperimentConfig } from '../model/config.js';
import type { ShardHandle, ShardReply } from '../experiment/shardProtocol.js';
import { shardRanges } from './shardRanges.js';
import { workerShard, type WorkerPort } from './workerShard.js';

/** A browser Web Worker as a WorkerPort; terminating it fails whatever is still pending. */
function browserPort(worker: Worker): WorkerPort {
  const failures: ((e: Error) => void)[] = [];
  worker.addEventListener('error', (event) => failures.forEach((f) => f(new Error(event.message || 'worker failed'))));
  return {
    post: (request) => worker.postMessage(request),
    onReply: (listener) => worker.addEventListener('message', (event: MessageEvent<ShardReply>) => listener(event.data)),
    onFailure: (listener) => failures.push(listener),
    terminate: () => {
      worker.terminate();
      failures.forEach((f) => f(new Error('cancelled')));
    },
  };
}

/** One Web Worker per shard, each instantiating `module` (compiled once by the page). */
export function browserWorkerShards(config: ExperimentConfig, threads: number, module: WebAssembly.Module, build: string): Promise<ShardHandle[]> {
  return Promise.all(
    shardRanges(config.batch, threads).map((range) =>
      workerShard(browserPort(new Worker(new URL('./shardWorker.js', import.meta.url), { type: 'module' })), config, range, module, build),
    ),
  );
}

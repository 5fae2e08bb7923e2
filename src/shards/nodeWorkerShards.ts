import { Worker } from 'node:worker_threads';
import { builtFile } from '../kernel/builtFile.js';
import type { ExperimentConfig } from '../model/config.js';
import type { ShardHandle, ShardReply } from '../experiment/shardProtocol.js';
import { shardRanges } from './shardRanges.js';
import { workerShard, type WorkerPort } from './workerShard.js';

/**
 * Workers that finished a run and wait for the next (a sweep runs hundreds of runs; starting a
 * worker costs tens of ms). They are unref'd while idle, so they never keep the process alive.
 */
const idle: Worker[] = [];
const IDLE_LIMIT = 16;

/** One lease of a worker thread as a WorkerPort: its listeners last as long as the lease; `pool`: released to the pool, else ended. */
function leasePort(worker: Worker, pool: boolean): WorkerPort {
  worker.ref();
  const replies: ((reply: ShardReply) => void)[] = [], failures: ((e: Error) => void)[] = [];
  const onMessage = (reply: ShardReply) => replies.forEach((l) => l(reply));
  const onError = (error: Error) => failures.forEach((f) => f(error));
  const onExit = (code: number) => failures.forEach((f) => f(new Error(`shard worker exited with code ${code}`)));
  worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  const detach = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  return {
    post: (request) => worker.postMessage(request),
    onReply: (listener) => replies.push(listener),
    onFailure: (listener) => failures.push(listener),
    terminate: () => {
      detach();
      void worker.terminate();
      failures.forEach((f) => f(new Error('cancelled')));
    },
    release: () => {
      detach();
      // a worker kept idle holds its shard's memory (a batch-sized buffer or more) until its next run
      if (!pool) return void worker.terminate();
      worker.unref();
      if (idle.length < IDLE_LIMIT) idle.push(worker);
      else void worker.terminate();
    },
  };
}

/** How many workers wait in the pool (tests: a single run leaves none holding memory). */
export const pooledWorkerCount = (): number => idle.length;

function newWorker(): Worker {
  // the workers inherit the process's flags except those that only make sense for its entry
  // (node --input-type=module -e …, as a library user may run us, would make every worker fail)
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  const worker = new Worker(builtFile('dist/nodeShardWorker.js'), { execArgv });
  // an idle worker that dies (it should not) leaves the pool rather than failing the next run
  worker.on('exit', () => idle.includes(worker) && idle.splice(idle.indexOf(worker), 1));
  return worker;
}

/**
 * One worker thread per shard, from the pool where it has one, each with its own instance of `module`.
 * `pool`: closed shards hand their workers back for the next run (a sweep's hundreds of runs) instead of ending them.
 */
export async function nodeWorkerShards(config: ExperimentConfig, threads: number, module: WebAssembly.Module, build: string, pool = false): Promise<ShardHandle[]> {
  return Promise.all(shardRanges(config.batch, threads).map((range) => workerShard(leasePort(idle.pop() ?? newWorker(), pool), config, range, module, build)));
}

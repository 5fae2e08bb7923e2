import { rowGroupOf } from '../experiment/blocks/blockKinds.js';
import { Worker } from 'node:worker_threads';
import { builtFile } from '../builtFile.js';
import type { ExperimentConfig } from '../model/config.js';
import type { ShardHandle, ShardReply } from '../experiment/shardProtocol.js';
import { shardRanges } from './shardRanges.js';
import { drawRingSeats } from '../experiment/sharedDraws.js';
import { workerShard, type WorkerPort } from './workerShard.js';

/**
 * Workers that finished a run and wait for the next (a sweep runs hundreds of runs; starting a
 * worker costs tens of ms). They are unref'd while idle, so they never keep the process alive.
 */
const idle: Worker[] = [];
const IDLE_LIMIT = 16;

/** One lease of a worker thread as a WorkerPort: its listeners last as long as the lease. */
function leasePort(worker: Worker): WorkerPort {
  worker.ref();
  const replies: ((reply: ShardReply) => void)[] = [], failures: ((e: Error) => void)[] = [];
  const onMessage = (reply: ShardReply) => replies.forEach((l) => l(reply));
  const onError = (error: Error) => failures.forEach((f) => f(error));
  const onExit = (code: number) => failures.forEach((f) => f(new Error(`shard worker exited with code ${code}`)));
  worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  const detach = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  return {
    post: (request, transfer) => worker.postMessage(request, transfer as never),
    onReply: (listener) => replies.push(listener),
    onFailure: (listener) => failures.push(listener),
    terminate: () => {
      detach();
      void worker.terminate();
      failures.forEach((f) => f(new Error('cancelled')));
    },
    release: () => {
      detach();
      worker.unref();
      if (idle.length < IDLE_LIMIT) idle.push(worker);
      else void worker.terminate();
    },
  };
}

/** How many workers wait in the pool (tests: a single run leaves none holding memory). */
export const pooledWorkerCount = (): number => idle.length;

/**
 * Ends every idle worker, resolving once their threads have exited. A worker kept idle holds its
 * shard's WASM memory (at the default run two batch-sized buffers and more) until its next run: a run
 * ends the pool when it is done, unless a sweep keeps it for its next point; within a run, the seeds
 * reuse it. Awaited, the threads' memory is gone before whatever comes next (the figures) allocates.
 */
export async function endIdleWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
}

/**
 * The process's flags as a worker takes them. --input-type only makes sense for the entry (node
 * --input-type=module -e …, as a library user may run us, would make every worker fail). V8's flags and
 * the process-wide ones (node --max-old-space-size=8192 …) a worker refuses; they already hold for
 * every thread. Node names the refused flags only by refusing them, so the first worker learns the list.
 */
let workerFlags: readonly string[] = process.execArgv.filter((a) => !a.startsWith('--input-type'));

function newWorker(): Worker {
  const file = builtFile('dist/nodeShardWorker.js');
  let worker: Worker;
  try {
    worker = new Worker(file, { execArgv: [...workerFlags] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const refused = workerFlags.filter((flag) => (error as Error).message.includes(flag));
    workerFlags = refused.length > 0 ? workerFlags.filter((flag) => !refused.includes(flag)) : [];
    return newWorker();
  }
  // an idle worker that dies (it should not) leaves the pool rather than failing the next run
  worker.on('exit', () => idle.includes(worker) && idle.splice(idle.indexOf(worker), 1));
  return worker;
}

/** One worker thread per shard, from the pool where it has one, each with its own instance of `module`; closed shards hand their workers back. */
export async function nodeWorkerShards(config: ExperimentConfig, threads: number, module: WebAssembly.Module, build: string): Promise<ShardHandle[]> {
  const ranges = shardRanges(config.batch, threads, rowGroupOf(config)), seats = drawRingSeats(config, ranges.length);
  return Promise.all(ranges.map((range, i) => workerShard(leasePort(idle.pop() ?? newWorker()), config, range, module, build, seats[i])));
}

import { Worker } from 'node:worker_threads';
import { builtFile } from '../kernel/builtFile.js';
import type { ExperimentConfig } from '../model/config.js';
import type { ShardHandle, ShardReply } from '../experiment/shardProtocol.js';
import { shardRanges } from './shardRanges.js';
import { workerShard, type WorkerPort } from './workerShard.js';

function nodePort(worker: Worker): WorkerPort {
  return {
    post: (request) => worker.postMessage(request),
    onReply: (listener) => worker.on('message', (reply: ShardReply) => listener(reply)),
    onFailure: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`shard worker exited with code ${code}`)));
    },
    terminate: () => void worker.terminate(),
  };
}

/** One worker thread per shard, each with its own instance of `module`. */
export async function nodeWorkerShards(config: ExperimentConfig, threads: number, module: WebAssembly.Module, build: string): Promise<ShardHandle[]> {
  const script = builtFile('dist/nodeShardWorker.js');
  // the workers inherit the process's flags except those that only make sense for its entry
  // (node --input-type=module -e …, as a library user may run us, would make every worker fail)
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  return Promise.all(shardRanges(config.batch, threads).map((range) => workerShard(nodePort(new Worker(script, { execArgv })), config, range, module, build)));
}

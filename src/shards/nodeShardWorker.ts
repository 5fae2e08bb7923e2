// Node worker_threads entry of a shard (bundled to dist/nodeShardWorker.js).
import { parentPort } from 'node:worker_threads';
import { shardWorkerCore } from './shardWorkerCore.js';
import type { ShardRequest } from '../experiment/shardProtocol.js';

if (!parentPort) throw new Error('nodeShardWorker must run in a worker thread');
const port = parentPort;
const handle = shardWorkerCore((reply, transfer) => port.postMessage(reply, transfer as never));
// Requests are handled strictly one after another, in arrival order.
let queue = Promise.resolve();
port.on('message', (request: ShardRequest) => {
  queue = queue.then(() => handle(request));
});

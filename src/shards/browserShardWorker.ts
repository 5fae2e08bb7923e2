// Web Worker entry of a shard (bundled to dist/web/shardWorker.js).
import { shardWorkerCore } from './shardWorkerCore.js';
import type { ShardRequest } from '../experiment/shardProtocol.js';

// Typed by hand: the project's lib is DOM, not WebWorker.
const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ShardRequest>) => void): void;
};
const handle = shardWorkerCore((reply, transfer) => scope.postMessage(reply, transfer));
let queue = Promise.resolve();
scope.addEventListener('message', (event: MessageEvent<ShardRequest>) => {
  queue = queue.then(() => handle(event.data));
});

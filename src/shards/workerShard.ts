import type { ExperimentConfig } from '../model/config.js';
import { answersRequest, requestTransferables, shardHandle, type ShardHandle, type ShardReply, type ShardRequest } from '../experiment/shardProtocol.js';
import type { RowRange } from './shardRanges.js';
import type { DrawRingSeat } from '../experiment/sharedDraws.js';

/** The little a worker must offer: Node's worker_threads.Worker and the browser's Worker both fit. */
export interface WorkerPort {
  /** Sends a request, moving the `transfer` buffers rather than copying them. */
  post(request: ShardRequest, transfer: Transferable[]): void;
  onReply(listener: (reply: ShardReply) => void): void;
  onFailure(listener: (error: Error) => void): void;
  terminate(): void;
  /** Hands an idle worker back for the next run instead of ending it (a pool); without it, close terminates. */
  release?(): void;
}

/** A ShardHandle whose shard lives in a worker; requests are answered in the order sent. */
export async function workerShard(port: WorkerPort, config: ExperimentConfig, range: RowRange, module: WebAssembly.Module, build: string, seat?: DrawRingSeat): Promise<ShardHandle> {
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: ShardReply) => void; reject: (e: Error) => void }>();
  port.onReply((reply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    p?.resolve(reply);
  });
  port.onFailure((error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  let closed = false;
  const send = (id: number, method: ShardRequest['method'], args: unknown[]) => {
    // a closed shard's worker is gone or serves another run: nothing it is asked can be answered
    if (closed) throw new Error('shard closed');
    const request = { id, method, args } as ShardRequest;
    port.post(request, requestTransferables(request));
  };
  const call = async (method: ShardRequest['method'], args: unknown[]): Promise<unknown> => {
    // a request without an answer: nothing is pending, so the worker can still go back to the pool
    if (!answersRequest(method)) return send(-1, method, args), null;
    const id = nextId++;
    const reply = await new Promise<ShardReply>((resolve, reject) => {
      // a reply comes in a later task, so it finds its entry; a closed shard throws before one is made
      send(id, method, args);
      pending.set(id, { resolve, reject });
    });
    if (!reply.ok) throw new Error(`shard rows ${range.rowStart}…${range.rowStart + range.rows - 1}: ${reply.error}`);
    return reply.result;
  };

  await call('init', [{ config, rowStart: range.rowStart, rows: range.rows, module, build, ...(seat ? { seat } : {}) }]);
  // an idle worker can serve the next run; one with requests in flight (a cancel) is stopped where it is
  const close = () => {
    if (closed) return;
    closed = true;
    if (pending.size === 0 && port.release) port.release();
    else port.terminate();
  };
  return shardHandle(range.rowStart, range.rows, call, close);
}

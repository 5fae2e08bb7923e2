import type { ExperimentConfig } from '../model/config.js';
import { shardHandle, type ShardHandle, type ShardReply, type ShardRequest } from '../experiment/shardProtocol.js';
import type { RowRange } from './shardRanges.js';

/** The little a worker must offer: Node's worker_threads.Worker and the browser's Worker both fit. */
export interface WorkerPort {
  post(request: ShardRequest): void;
  onReply(listener: (reply: ShardReply) => void): void;
  onFailure(listener: (error: Error) => void): void;
  terminate(): void;
}

/** A ShardHandle whose shard lives in a worker; requests are answered in the order sent. */
export async function workerShard(port: WorkerPort, config: ExperimentConfig, range: RowRange, module: WebAssembly.Module, build: string): Promise<ShardHandle> {
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
  const call = (method: ShardRequest['method'], args: unknown[]): Promise<unknown> =>
    new Promise<ShardReply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      port.post({ id, method, args } as ShardRequest);
    }).then((reply) => {
      if (!reply.ok) throw new Error(`shard rows ${range.rowStart}…${range.rowStart + range.rows - 1}: ${reply.error}`);
      return reply.result;
    });

  await call('init', [{ config, rowStart: range.rowStart, rows: range.rows, module, build }]);
  return shardHandle(range.rowStart, range.rows, call, () => port.terminate());
}

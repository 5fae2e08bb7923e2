import type { ExperimentConfig } from '../model/config.js';
import type { ShardHandle } from './shardHandle.js';
import type { ShardReply, ShardRequest } from './shardMessages.js';
import type { RowRange } from './shardRanges.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The little a worker must offer: Node's worker_threads.Worker and the browser's Worker both fit. */
export interface WorkerPort {
  post(request: ShardRequest, transfer: Transferable[]): void;
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
  const call = <T>(request: WithoutId<ShardRequest>, transfer: Transferable[] = []): Promise<T> =>
    new Promise<ShardReply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      port.post({ ...request, id } as ShardRequest, transfer);
    }).then((reply) => {
      if (!reply.ok) throw new Error(`shard rows ${range.rowStart}…${range.rowStart + range.rows - 1}: ${reply.error}`);
      return reply.result as T;
    });

  await call({ op: 'init', config, rowStart: range.rowStart, rows: range.rows, module, build });
  return {
    rowStart: range.rowStart,
    rows: range.rows,
    startPattern: (patternIndex) => call({ op: 'start', patternIndex }),
    runLayer: () => call({ op: 'layer' }),
    prepareLayer: () => call({ op: 'prepare' }),
    probeLayer: () => call({ op: 'probe' }),
    scaleWeights: (factor) => call({ op: 'scale', factor }),
    commitLayer: () => call({ op: 'commit' }),
    startBackward: () => call({ op: 'backstart' }),
    backwardLayer: (layer) => call({ op: 'back', layer }),
    histogram: (of, edges) => call({ op: 'hist', of, edges }),
    close: () => port.terminate(),
  };
}

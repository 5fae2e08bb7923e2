import type { ExperimentConfig } from '../model/config.js';

/** Requests from the orchestrator to a shard worker (Node worker_threads or a browser Web Worker). */
export type ShardRequest =
  | { id: number; op: 'init'; config: ExperimentConfig; rowStart: number; rows: number; module: WebAssembly.Module; build: string }
  | { id: number; op: 'start'; patternIndex: number }
  | { id: number; op: 'layer' | 'prepare' | 'probe' | 'commit' | 'backstart' }
  | { id: number; op: 'back'; layer: number }
  | { id: number; op: 'scale'; factor: number }
  | { id: number; op: 'hist'; of: 'z' | 'a'; edges: Float64Array };

import type { BackwardStep } from '../experiment/shard.js';

export type ShardReply = { id: number; ok: true; result: Float64Array | Uint32Array | BackwardStep | null } | { id: number; ok: false; error: string };

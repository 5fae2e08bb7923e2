// The one definition of how the orchestrator talks to a shard: the list of Shard methods it calls.
// The handle type, the worker messages, the local and worker handles and the worker's dispatch
// are all derived from this list and from Shard's own signatures.
import type { ExperimentConfig } from '../model/config.js';
import type { Shard } from './shard.js';
import type { DrawRingSeat } from './sharedDraws.js';

/**
 * The calls, made in order: startPattern; per layer either runLayer, or prepareLayer, probeLayer /
 * scaleWeights as LSUV needs, (normalized plain blocks with batch norm) linearLayer, and commitLayer; histograms after a histogram layer; startBackward and
 * backwardLayer with --backward; recycle whenever the host is done with a step's arrays.
 */
export const SHARD_METHODS = ['startPattern', 'runLayer', 'prepareLayer', 'probeLayer', 'scaleWeights', 'commitLayer', 'linearLayer', 'startBackward', 'backwardLayer', 'finishBackward', 'histograms', 'startTangent', 'tangentLayer', 'tangentEigenvalues', 'recycle'] as const satisfies readonly (keyof Shard)[];
export type ShardMethod = (typeof SHARD_METHODS)[number];

/** One shard of batch rows as the orchestrator sees it, in this thread or in a worker: Shard's methods, asynchronous. */
export type ShardHandle = {
  readonly rowStart: number;
  readonly rows: number;
  close(): void;
} & { [M in ShardMethod]: (...args: Parameters<Shard[M]>) => Promise<ReturnType<Shard[M]>> };

/** What a worker needs to build its Shard. */
export interface ShardInit {
  config: ExperimentConfig;
  rowStart: number;
  rows: number;
  module: WebAssembly.Module;
  build: string;
  /** The ring the shards draw each forward layer's W in (absent: each shard draws every W itself). */
  seat?: DrawRingSeat;
}

export type ShardRequest = { id: number; method: 'init'; args: [ShardInit] } | { [M in ShardMethod]: { id: number; method: M; args: Parameters<Shard[M]> } }[ShardMethod];
export type ShardReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** A handle whose every method is `call(method, args)`. */
export function shardHandle(rowStart: number, rows: number, call: (method: ShardMethod, args: unknown[]) => Promise<unknown>, close: () => void): ShardHandle {
  const methods = Object.fromEntries(SHARD_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)]));
  return { rowStart, rows, close, ...methods } as ShardHandle;
}

/** Whether a worker answers `method`: recycle is one-way (nothing waits on it, and a run's last arrays are handed back as it ends). */
export const answersRequest = (method: ShardRequest['method']): boolean => method !== 'recycle';

/** The buffers a request moves to the shard rather than copies: the arrays handed back by recycle. */
export function requestTransferables(request: ShardRequest): Transferable[] {
  return request.method === 'recycle' ? request.args[0].map((a) => a.buffer as ArrayBuffer) : [];
}

/**
 * Below this many bytes a shard's arrays are not handed back: a new array that small costs less than
 * the message (about 25 µs in Chromium, which the page's live size would pay ~120 times a run).
 */
export const HAND_BACK_MIN_BYTES = 1 << 16;

/**
 * Hands each shard the arrays of its own steps that the host has read (arrays[i] for shards[i]), so its
 * next steps are copied into them. Nothing waits on it: a shard closed meanwhile just drops them.
 */
export function handBack(shards: readonly ShardHandle[], arrays: readonly (readonly (Float64Array | undefined)[])[]): void {
  shards.forEach((shard, i) => {
    const own = arrays[i].filter((a): a is Float64Array => a !== undefined && a.length > 0);
    if (own.reduce((bytes, a) => bytes + a.byteLength, 0) >= HAND_BACK_MIN_BYTES) shard.recycle(own).catch(() => undefined);
  });
}

/** The buffers of a result, moved to the orchestrator rather than copied: typed arrays, alone or as fields of an object. */
export function transferablesOf(result: unknown): Transferable[] {
  if (ArrayBuffer.isView(result)) return [result.buffer as ArrayBuffer];
  if (result !== null && typeof result === 'object') return Object.values(result).flatMap((v) => (ArrayBuffer.isView(v) ? [v.buffer as ArrayBuffer] : []));
  return [];
}

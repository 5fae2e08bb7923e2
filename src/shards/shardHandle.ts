import type { BackwardStep } from '../experiment/shard.js';

/**
 * One shard of batch rows as the orchestrator sees it, whether it runs in this thread or in a
 * worker. Calls are made in order: startPattern; per layer either runLayer, or prepareLayer,
 * probeLayer / scaleWeights as LSUV needs, and commitLayer; histogram after a histogram layer;
 * close at the end.
 */
export interface ShardHandle {
  readonly rowStart: number;
  readonly rows: number;
  /** Draws the pattern's input; resolves to the per-row statistics of x. */
  startPattern(patternIndex: number): Promise<Float64Array>;
  /** Draws and commits the next layer; resolves to its per-row statistics. */
  runLayer(): Promise<Float64Array>;
  prepareLayer(): Promise<void>;
  /** Per-row statistics of z of the prepared layer, x untouched. */
  probeLayer(): Promise<Float64Array>;
  scaleWeights(factor: number): Promise<void>;
  commitLayer(): Promise<Float64Array>;
  startBackward(): Promise<void>;
  backwardLayer(layer: number): Promise<BackwardStep>;
  /** Counts of this shard's z or a of the layer just run over the given edges. */
  histogram(of: 'z' | 'a', edges: Float64Array): Promise<Uint32Array>;
  close(): void;
}

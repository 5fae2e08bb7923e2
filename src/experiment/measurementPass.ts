// A measurement pass after the forward pass: a sequence of shard calls over a pattern's layers, with
// the cross-shard reductions between them, adding fields to the layer records. The runner runs every
// registered pass a config asks for (passes.ts), in order, on the shards that hold the pattern's
// forward state; a new measurement is one pass file and its record fields, not another loop.
import type { Kernel } from '../kernel/kernelExports.js';
import type { PatternResult } from '../metrics/results.js';
import type { ExperimentConfig } from '../model/config.js';
import type { ShardHandle } from './shardProtocol.js';

/** What a pass gets of the forward pass besides the shards. */
export interface PassContext {
  config: ExperimentConfig;
  shards: ShardHandle[];
  result: PatternResult;
  /** σw² of every layer's weights as drawn (LSUV's fitted ones). */
  weightVariances: number[];
  /** A kernel instance on the orchestrating thread, for whole-batch reductions (the weight gradient). */
  createKernel?: () => Promise<Kernel>;
}

export interface MeasurementPass {
  readonly name: string;
  /** Whether this config asks for the pass (the backward pass: --backward). */
  runs(config: ExperimentConfig): boolean;
  /** The layers in the order the pass visits them. */
  layers(config: ExperimentConfig): number[];
  /** Before the first layer (the backward pass: draw the upstream gradient); returns the pass's per-pattern state. */
  start(context: PassContext): Promise<unknown>;
  /** One layer: its shard calls and reductions, written into result.layers[layer − 1]. */
  layer(context: PassContext, layer: number, state: unknown): Promise<void>;
  /** After the last layer (the backward pass: χ's theory over the measured records). */
  finish?(context: PassContext): void;
}

/** Runs one pass over a pattern's layers. */
export async function runPass(pass: MeasurementPass, context: PassContext): Promise<void> {
  const state = await pass.start(context);
  for (const layer of pass.layers(context.config)) await pass.layer(context, layer, state);
  pass.finish?.(context);
}

import { attachJacobianTheory } from '../predictions/jacobianTheory.js';
import { layerWidths } from '../model/config.js';
import type { MeasurementPass, PassContext } from './measurementPass.js';

/**
 * --spectrum: the input–output Jacobian of every layer at the batch's first spectrumInputs rows,
 * formed exactly by pushing the n₀ unit tangents of each input through the forward pass (W drawn
 * again from its stream, each input's x carried forward by the same kernel, T ← D·W·T per block);
 * records E‖J‖²_F/n₀ over the inputs per layer, against ∏χ.
 */
export const TANGENT_PASS: MeasurementPass = {
  name: 'tangent',
  runs: (config) => config.spectrum,
  layers: (config) => Array.from({ length: config.depth }, (_, i) => i + 1),

  async start({ shards }: PassContext): Promise<void> {
    await Promise.all(shards.map((s) => s.startTangent()));
  },

  async layer({ config, shards, result }: PassContext, layer: number): Promise<void> {
    // every shard's inputs, in row order: the same sum for any split of the batch
    const norms = (await Promise.all(shards.map((s) => s.tangentLayer(layer)))).flatMap((part) => Array.from(part));
    let sum = 0;
    for (const v of norms) sum += v;
    result.layers[layer - 1].jacobian_sq_mean = sum / (norms.length * layerWidths(config)[0]);
  },

  finish: ({ config, result, weightVariances }: PassContext) => attachJacobianTheory(config, result, weightVariances),
};

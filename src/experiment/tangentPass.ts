import { attachJacobianTheory, attachSpectrumTheory } from '../predictions/jacobianTheory.js';
import { measuredSpectrum } from '../metrics/jacobianSpectrum.js';
import { layerWidths } from '../model/config.js';
import type { MeasurementPass, PassContext } from './measurementPass.js';

const SPECTRUM_NOTE =
  "eigenvalues of J Jᵀ, J = ∂x_l/∂x_0 at each of the batch’s first `inputs` rows (at its own pre-activations), pooled over the inputs: the min(n_0, n_l) nonzero ones per input (J Jᵀ and JᵀJ share them), from the Gram matrix in float64; those at or below 1e-12 of the largest (zero within the float32 tangents’ rounding: a dead ReLU unit removes a direction, and a deep linear product’s smallest singular values fall below it) are counted in `zeros` and left out of the log10 histogram; a norm's Jacobian enters at the input's own z, a batch norm's with the batch statistics held fixed (dropping their O(1/B) dependence on the sample); a residual block adds its branch's JVP to the skip; the Gram matrix and its tridiagonal form computed on the kernel; theory, by free probability for plain blocks of any widths (null for normalized and residual blocks): the mean and variance, the support's right edge eig_max, the density of log10 λ over the nonzero eigenvalues on the grid log10_lambda (null where the nonzero part is a single atom) and zero_fraction, the share of eigenvalues at 0";

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
    const widths = layerWidths(config), n0 = widths[0], nl = widths[layer];
    result.layers[layer - 1].jacobian_sq_mean = sum / (norms.length * n0);
    if (!config.histLayers.includes(layer)) return;
    // at a histogram layer, the whole spectrum: each input's eigenvalues of JJᵀ in float64, pooled in input order
    const eigenvalues: Float64Array[] = [], m = Math.min(n0, nl);
    for (const part of await Promise.all(shards.map((s) => s.tangentEigenvalues()))) {
      for (let at = 0; at < part.length; at += m) eigenvalues.push(part.subarray(at, at + m));
    }
    (result.spectrum ??= { inputs: config.spectrumInputs, note: SPECTRUM_NOTE, layers: [] }).layers.push({ layer, ...measuredSpectrum(eigenvalues, config.bins), theory: null });
  },

  finish({ config, result, weightVariances }: PassContext): void {
    attachJacobianTheory(config, result, weightVariances);
    attachSpectrumTheory(config, result, weightVariances);
  },
};

import type { PatternResult } from '../metrics/results.js';
import { layerWidths, normOf, patternHasBlocks, type ExperimentConfig } from '../model/config.js';
import { moments } from '../theory/moments.js';
import { blockTheory } from './patternTheory.js';

/**
 * χ of each step down: σw²·(n_out/n_in)·S(q), S = E[φ′(z)²], at the length map's q of the layer below, with
 * the σw² the layer's weights actually have (`weightVariances[l − 1]`; LSUV's fitted one). Null
 * where that q is 0 or non-finite (a dead or overflowed layer: nothing to evaluate φ′ at).
 * A norm divides the gradient by the scale it divided its input by (batch norm: each channel's standard
 * deviation, so the mean channel variance; layer norm: the row's, about √E[·²]; nf: β = √E[·²]), and
 * batch and layer norm also take out the gradient's mean and its part along h, 1 of B or n directions;
 * so a normalized plain step divides χ by that variance of the layer's z. A residual block passes δx
 * on and adds its branch's: χ = 1 + α²·σw²·S(q_h)/v, v that variance of the block's input x with a
 * norm and 1 without (W is fresh, so the two are uncorrelated).
 */
export function attachGradientTheory(config: ExperimentConfig, result: PatternResult, weightVariances: number[]): void {
  const widths = layerWidths(config);
  const pattern = config.patterns.find((p) => p.name === result.name)!;
  const { S } = moments(pattern.activation, config.leakyAlpha);
  const norm = normOf(config, pattern), residual = config.residual;
  const blocks = patternHasBlocks(config, pattern) ? blockTheory(config, pattern) : undefined;
  const usable = (...v: number[]) => v.every((x) => Number.isFinite(x) && x > 0);
  // the variance N divides by: batch norm a channel's, the others the whole input's E[·²]
  const divisor = (i: number) => (norm === 'none' ? 1 : norm === 'batch' ? blocks![i].norm_input_ch_var : blocks![i].norm_input_ex2);
  if (residual !== undefined) {
    result.layers.forEach((record, i) => {
      const qh = blocks![i].h_ex2, q = divisor(i), s2 = weightVariances[i];
      record.grad_chi = usable(qh, q, s2) ? 1 + residual * residual * s2 * S(qh) / q : null;
    });
    return;
  }
  for (let layer = 2; layer <= config.depth; layer++) {
    const below = result.layers[layer - 2];
    const q = pattern.init === 'lsuv' ? below.z_ex2 : below.theory?.z_ex2 ?? below.z_ex2;
    const s2 = weightVariances[layer - 1], normInput = blocks ? divisor(layer - 1) : 1;
    result.layers[layer - 1].grad_chi = usable(q, s2, normInput) ? (s2 * (widths[layer] / widths[layer - 1]) * S(q)) / normInput : null;
  }
}

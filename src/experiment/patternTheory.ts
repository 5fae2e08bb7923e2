import { layerWidths, type ExperimentConfig } from '../model/config.js';
import { heSlope, resolvedGain, sigmaW2 } from '../model/inits.js';
import type { PatternSpec } from '../model/patterns.js';
import { lengthMap, type LayerTheory } from '../theory/lengthMap.js';
import { moments, zeroProbability } from '../theory/moments.js';

/**
 * The mean-field prediction for every layer of a pattern. LSUV fits each layer to Var(z) = 1 on
 * the batch, so its theory is q = 1 at every layer.
 */
export function patternTheory(config: ExperimentConfig, pattern: PatternSpec): LayerTheory[] {
  const widths = layerWidths(config);
  const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
  if (pattern.init === 'lsuv') {
    const v = moments(pattern.activation, config.leakyAlpha).V(1);
    return widths.slice(1).map(() => ({ z_ex2: 1, a_ex2: v, relu_ex2_ratio: v, zero_frac: zeroProbability(pattern.activation, config.leakyAlpha) }));
  }
  const s2 = widths.slice(1).map((nOut, i) => sigmaW2(pattern.init, widths[i], nOut, gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)) as number);
  return lengthMap(pattern.activation, s2, config.biasStd ** 2, config.leakyAlpha);
}

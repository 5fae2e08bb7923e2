import { layerWidths, normOf, patternHasBlocks, type ExperimentConfig } from '../model/config.js';
import { heSlope, resolvedGain, sigmaW2 } from '../model/inits.js';
import type { PatternSpec } from '../model/patterns.js';
import { correlationStep, phaseTheory, type PhaseTheory } from '../theory/correlationMap.js';
import { correlationTrail, lengthMapLayers, type LayerTheory } from '../theory/lengthMap.js';
import { moments, zeroProbability } from '../theory/moments.js';
import { measuredBlocks } from '../theory/finiteBatch.js';
import { residualStream, type BlockTheory } from '../theory/residualStream.js';

/** Each layer's σw² (weight variance × fan-in) for a pattern. */
export function weightVariances(config: ExperimentConfig, pattern: PatternSpec): number[] {
  const widths = layerWidths(config);
  const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
  return widths.slice(1).map((nOut, i) => sigmaW2(pattern.init, widths[i], nOut, gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)) as number);
}

/**
 * The mean-field prediction for every layer of a pattern. LSUV fits each layer to Var(z) = 1 on
 * the batch, so its theory is q = 1 at every layer, with the σw² = 1/V(1) that keeps it there (no bias).
 */
export function patternTheory(config: ExperimentConfig, pattern: PatternSpec): LayerTheory[] {
  return [...patternTheoryLayers(config, pattern)];
}

/** The residual stream's prediction for each block of a pattern (plain blocks without a norm: the length map's q, channel means not predicted); LSUV fits each linear output to E[·²] = 1. */
export function blockTheory(config: ExperimentConfig, pattern: PatternSpec): BlockTheory[] {
  return residualStream(pattern.activation, normOf(config, pattern), weightVariances(config, pattern), config.biasStd ** 2, config.residual, config.leakyAlpha, pattern.init === 'lsuv');
}

/** patternTheory one layer at a time (the correlation map costs ~1 ms a layer for φ without a closed form). */
export function* patternTheoryLayers(config: ExperimentConfig, pattern: PatternSpec): Generator<LayerTheory> {
  if (patternHasBlocks(config, pattern)) {
    // φ's input is h, with E[h²] = q_h; the correlation map of normalized and residual blocks is not derived here
    const { V } = moments(pattern.activation, config.leakyAlpha), zeros = zeroProbability(pattern.activation, config.leakyAlpha);
    // the stream fields as a batch of config.batch rows measures them (finiteBatch.ts): the record's own estimators
    const s2 = weightVariances(config, pattern), blocks = blockTheory(config, pattern);
    const measured = measuredBlocks(blocks, pattern.activation, normOf(config, pattern), config.batch, s2, config.biasStd ** 2, config.residual, config.leakyAlpha, pattern.init === 'lsuv');
    for (const [i, b] of blocks.entries()) {
      const a = V(b.h_ex2), m = measured[i];
      yield { z_ex2: b.h_ex2, a_ex2: a, relu_ex2_ratio: b.h_ex2 === 0 ? null : a / b.h_ex2, zero_frac: zeros, c: null, x_ex2: m.x_ex2, x_ch_var: m.x_ch_var, x_sq_ch_mean: m.x_sq_ch_mean, ...(m.branch_ch_var === undefined ? {} : { branch_ch_var: m.branch_ch_var }) };
    }
    return;
  }
  if (pattern.init === 'lsuv') {
    const v = moments(pattern.activation, config.leakyAlpha).V(1);
    const ones = Array.from({ length: config.depth }, () => 1);
    const c = correlationTrail(pattern.activation, ones, ones.map((_, l) => (l === 0 ? 1 : 1 / v)), 0, config.leakyAlpha, config.inputCorr);
    for (const _ of ones) yield { z_ex2: 1, a_ex2: v, relu_ex2_ratio: v, zero_frac: zeroProbability(pattern.activation, config.leakyAlpha), c: c.next().value as number | null };
    return;
  }
  yield* lengthMapLayers(pattern.activation, weightVariances(config, pattern), config.biasStd ** 2, config.leakyAlpha, config.inputCorr);
}

/** The σw² and σb² a pattern's deep layers have (the last layer's): what the phase diagram's axes are. LSUV: 1/V(1) and 0. */
export function patternSigmas(config: ExperimentConfig, pattern: PatternSpec): { sigma_w2: number; sigma_b2: number } {
  if (pattern.init === 'lsuv') return { sigma_w2: 1 / moments(pattern.activation, config.leakyAlpha).V(1), sigma_b2: 0 };
  return { sigma_w2: weightVariances(config, pattern).at(-1)!, sigma_b2: config.biasStd ** 2 };
}

/**
 * q*, c*, χ₁, χ_c and ξ_c of a pattern, with the last layer's σw² (the one a deep net settles under)
 * and σb² = bias-std², from the first layer's q. LSUV: σw² = 1/V(1), σb² = 0 (q* = 1).
 */
export function patternPhase(config: ExperimentConfig, pattern: PatternSpec): PhaseTheory {
  if (pattern.init === 'lsuv') return phaseTheory(pattern.activation, 1 / moments(pattern.activation, config.leakyAlpha).V(1), 0, 1, config.leakyAlpha);
  const s2 = weightVariances(config, pattern), b2 = config.biasStd ** 2;
  return phaseTheory(pattern.activation, s2[s2.length - 1], b2, s2[0] + b2, config.leakyAlpha);
}

/** Points of the c-map grid over [−1, 1]. */
const C_MAP_POINTS = 41;

/**
 * The correlation map C(c) of a pattern's deep layers (the last layer's σw², σb²) on a grid of c, at
 * q* where it is positive and finite, else at `lastQ` (the last layer's q); null where neither is.
 */
export function patternCMap(config: ExperimentConfig, pattern: PatternSpec, phase: PhaseTheory, lastQ: number): { q: number; c: number[]; next: number[] } | null {
  const usable = (q: number | null): q is number => q !== null && q > 0 && Number.isFinite(q);
  const q = usable(phase.q_star) ? phase.q_star : usable(lastQ) ? lastQ : null;
  if (q === null) return null;
  const lsuv = pattern.init === 'lsuv';
  const s2 = lsuv ? 1 / moments(pattern.activation, config.leakyAlpha).V(1) : weightVariances(config, pattern).at(-1)!, b2 = lsuv ? 0 : config.biasStd ** 2;
  const half = (C_MAP_POINTS - 1) / 2;
  const c = Array.from({ length: C_MAP_POINTS }, (_, i) => (i - half) / half);
  return { q, c, next: c.map((v) => correlationStep(pattern.activation, q, v, s2, b2, config.leakyAlpha)) };
}

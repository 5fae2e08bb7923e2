// The theory of attention and transformer blocks, per block: where the token kernel has a derivation
// (tokenCorrelation.ts), E[x²] and token_corr through the blocks; elsewhere none (the record has no theory).
import { normOf, type ExperimentConfig } from '../model/config.js';
import { weightVariances } from './patternTheory.js';
import type { PatternSpec } from '../model/patterns.js';
import type { LayerTheory } from '../theory/lengthMap.js';
import { moments, zeroProbability } from '../theory/moments.js';
import { mlpStep, uniformAttentionStep, type TokenState } from '../theory/tokenCorrelation.js';

/**
 * Why a config's attention blocks have no theory here, or null where they have one. Uniform attention
 * (--qk-gain 0) is derived over the whole sequence, so not for a causal mask, nor for shaped attention (whose
 * centred softmax is 0 at g = 0: the block is then token-wise, not derived here either).
 */
export function attentionTheoryGap(config: ExperimentConfig): string | null {
  if (config.qkGain > 0) return 'qk-gain > 0 (softmax of random logits)';
  if (config.causal) return 'causal mask (each token sees its own prefix)';
  if (config.attention === 'shaped') return 'shaped attention';
  return null;
}

/**
 * Each block's theory for uniform attention: the token kernel (q, c) through the attention sub-block, then for a
 * transformer the MLP sub-block's; the record's z and a fields are x for an attention block, the MLP's h and
 * φ(h) for a transformer block (as its MLP kind records them).
 */
export function* attentionTheoryLayers(config: ExperimentConfig, pattern: PatternSpec): Generator<LayerTheory | undefined> {
  // W_V, W_O and the MLP's W are all square with the pattern's init: every layer's σw², the first's
  const norm = normOf(config, pattern), s2 = weightVariances(config, pattern)[0], b2 = config.biasStd ** 2, alpha = config.residual, T = config.seqLen;
  const { V } = moments(pattern.activation, config.leakyAlpha), zeros = zeroProbability(pattern.activation, config.leakyAlpha);
  const gap = attentionTheoryGap(config);
  let state: TokenState = { q: 1, c: config.inputCorr };
  for (let l = 1; l <= config.depth; l++) {
    if (gap !== null) {
      yield undefined;
      continue;
    }
    state = uniformAttentionStep(state, T, s2, s2, norm, alpha);
    if (config.block === 'attention') {
      yield { z_ex2: state.q, a_ex2: state.q, relu_ex2_ratio: state.q === 0 ? null : 1, zero_frac: 0, c: null, token_corr: state.c, ...(norm !== 'none' || alpha !== undefined ? { x_ex2: state.q } : {}) };
      continue;
    }
    // φ's input h of the MLP sub-block: N(x) with a skip, N(W·x + b) without (a norm gives E[h²] = 1)
    const hEx2 = norm !== 'none' ? 1 : alpha !== undefined ? state.q : s2 * state.q + b2;
    state = mlpStep(state, pattern.activation, config.leakyAlpha, s2, b2, norm, alpha);
    const a = V(hEx2);
    yield { z_ex2: hEx2, a_ex2: a, relu_ex2_ratio: hEx2 === 0 ? null : a / hEx2, zero_frac: zeros, c: null, token_corr: state.c, ...(norm !== 'none' || alpha !== undefined ? { x_ex2: state.q } : {}) };
  }
}

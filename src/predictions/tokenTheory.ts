// The theory of attention and transformer blocks, per block: where the token kernel has a derivation
// (tokenCorrelation.ts), E[x²], token_corr and attn_entropy through the blocks; elsewhere none (the record has
// no theory).
import { normOf, type ExperimentConfig } from '../model/config.js';
import { weightVariances } from './patternTheory.js';
import type { PatternSpec } from '../model/patterns.js';
import type { LayerTheory } from '../theory/lengthMap.js';
import { moments, zeroProbability } from '../theory/moments.js';
import { attentionStep, mlpStep, type TokenState } from '../theory/tokenCorrelation.js';

/**
 * Why a config's attention blocks have no theory here, or null where they have one. The token kernel's map is
 * derived for a sequence whose tokens are exchangeable, which a causal mask breaks (each token sees its own
 * prefix).
 */
export function attentionTheoryGap(config: ExperimentConfig): string | null {
  return config.causal ? 'causal mask (each token sees its own prefix)' : null;
}

/**
 * Each block's theory: the token kernel (q, c) through the attention sub-block (uniform, softmax or shaped), then for a
 * transformer the MLP sub-block's; the record's z and a fields are x for an attention block, the MLP's h and
 * φ(h) for a transformer block (as its MLP kind records them).
 */
export function* attentionTheoryLayers(config: ExperimentConfig, pattern: PatternSpec): Generator<LayerTheory | undefined> {
  // W_V, W_O and the MLP's W are all square with the pattern's init: every layer's σw², the first's
  const norm = normOf(config, pattern), s2 = weightVariances(config, pattern)[0], b2 = config.biasStd ** 2, alpha = config.residual, T = config.seqLen;
  const { V } = moments(pattern.activation, config.leakyAlpha), zeros = zeroProbability(pattern.activation, config.leakyAlpha);
  const gap = attentionTheoryGap(config), rows = { qkGain: config.qkGain, shaped: config.attention === 'shaped' };
  let state: TokenState = { q: 1, c: config.inputCorr };
  for (let l = 1; l <= config.depth; l++) {
    if (gap !== null) {
      yield undefined;
      continue;
    }
    const attended = attentionStep(state, T, rows, s2, s2, norm, alpha), entropy = attended.entropy;
    state = { q: attended.q, c: attended.c };
    if (config.block === 'attention') {
      yield { z_ex2: state.q, a_ex2: state.q, relu_ex2_ratio: state.q === 0 ? null : 1, zero_frac: 0, c: null, token_corr: state.c, attn_entropy: entropy, ...(norm !== 'none' || alpha !== undefined ? { x_ex2: state.q } : {}) };
      continue;
    }
    // φ's input h of the MLP sub-block: N(x) with a skip, N(W·x + b) without (a norm gives E[h²] = 1)
    const hEx2 = norm !== 'none' ? 1 : alpha !== undefined ? state.q : s2 * state.q + b2;
    state = mlpStep(state, pattern.activation, config.leakyAlpha, s2, b2, norm, alpha);
    const a = V(hEx2);
    yield { z_ex2: hEx2, a_ex2: a, relu_ex2_ratio: hEx2 === 0 ? null : a / hEx2, zero_frac: zeros, c: null, token_corr: state.c, attn_entropy: entropy, ...(norm !== 'none' || alpha !== undefined ? { x_ex2: state.q } : {}) };
  }
}

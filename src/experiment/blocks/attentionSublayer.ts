// The attention sub-block of an attention or transformer block, over a shard's whole sequences:
// h = N(x), Q = h·W_Qᵀ, K = h·W_Kᵀ, V = h·W_Vᵀ, per head softmax(Q_h·K_hᵀ/√d_h)·V_h (the kernel's
// attentionForward), r = O·W_Oᵀ, then x ← x + α·r with --residual α, else x ← r (Dong et al. 2021's pure
// attention). No projection has a bias.
import { ATTENTION_ROLES, streamId } from '../../model/streams.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';

export interface AttentionSublayer {
  /** Draws W_Q, W_K (N(0, g²/width)), W_V and W_O (the pattern's init and gain) of `layer` and packs them. */
  drawWeights(layer: number): void;
  /** Runs the sub-block on every row of x in place (with a residual, the branch's channel sums into rSums, rSquares); returns per sequence and head the summed entropies of its attention rows. */
  run(): Float64Array;
}

export function attentionSublayer(core: ShardCore, norm: BlockNorm): AttentionSublayer {
  const p = core.plan, config = core.config, n = core.widths[0], tokens = config.seqLen, heads = config.heads, headDim = n / heads;
  const k = core.kernel.exports;
  const [query, key, value, output] = [0, 1, 2, 3].map((role) => p.attentionPackedAt(role));

  /** rows of `from` times the packed W at `packed`, into `to` (rows × n, the plan's row stride). */
  const project = (from: number, packed: number, to: number, rows: number) => k.gemm(from, p.rowStride, packed, to, p.rowStride, rows, n, n);

  return {
    drawWeights(layer: number): void {
      ATTENTION_ROLES.forEach((role, i) => {
        const stream = streamId(core.patternIndex, layer, role);
        if (role === 'query' || role === 'key') core.drawGaussianMatrix(stream, n, n, config.qkGain / Math.sqrt(n));
        else core.drawPatternMatrix(stream, n, n);
        k.packPanels(p.w, p.attentionPackedAt(i), n, n);
      });
    },

    run(): Float64Array {
      const sequences = core.rows / tokens, entropies = new Float64Array(sequences * heads);
      // shaped attention (Noci et al. 2023, arXiv 2306.17759): the logits also divided by a temperature τ = √width,
      // so the centred softmax is O(1/√width) and the block starts near the identity
      const shaped = config.attention === 'shaped', scale = 1 / Math.sqrt(headDim) / (shaped ? Math.sqrt(n) : 1);
      core.eachCall((r0, rows) => {
        const x = p.rowAt(p.x, r0), h = norm.norm === 'none' ? x : p.attentionH;
        norm.forward(x, h, rows, n);
        project(h, query, p.attentionQ, rows);
        project(h, key, p.attentionK, rows);
        project(h, value, p.attentionV, rows);
        k.attentionForward(p.attentionQ, p.attentionK, p.attentionV, p.rowStride, rows / tokens, tokens, heads, headDim, scale, config.causal ? 1 : 0, shaped ? 1 : 0, p.attentionOut, p.attentionScratch, p.attentionEntropy);
        entropies.set(core.mem.f64Slice(p.attentionEntropy, (rows / tokens) * heads), (r0 / tokens) * heads);
        // the branch r = O·W_Oᵀ (into Q's buffer, free by now), then the stream
        project(p.attentionOut, output, p.attentionQ, rows);
        if (config.residual !== undefined) core.channelSums(p.attentionQ, r0, rows, n, p.rSums, p.rSquares);
        if (config.residual !== undefined) k.addScaled(x, p.attentionQ, p.rowStride, rows, n, config.residual);
        else core.mem.copy(p.attentionQ, x, rows * p.rowStride * 4);
      }, p.sequenceRows);
      return entropies;
    },
  };
}

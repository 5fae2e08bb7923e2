// The attention sub-block of an attention or transformer block, over a shard's whole sequences:
// h = N(x), Q = h·W_Qᵀ, K = h·W_Kᵀ, V = h·W_Vᵀ, per head softmax(Q_h·K_hᵀ/√d_h)·V_h (the kernel's
// attentionForward), r = O·W_Oᵀ, then x ← x + α·r with --residual α, else x ← r (Dong et al. 2021's pure
// attention). No projection has a bias.
import { ATTENTION_ROLES, streamId } from '../../model/streams.js';
import type { BlockNorm } from '../blockNorm.js';
import type { ShardCore } from '../shardCore.js';

/** The rows (shard rows × width, in row order) whose products give the four weight gradients: G_Q = δQᵀ·h/B, likewise K and V, G_O = δrᵀ·O/B. */
export interface AttentionGradientRows {
  deltaQ: Float32Array;
  deltaK: Float32Array;
  deltaV: Float32Array;
  h: Float32Array;
  deltaR: Float32Array;
  out: Float32Array;
}

export interface AttentionSublayer {
  /** Draws W_Q, W_K (N(0, g²/width)), W_V and W_O (the pattern's init and gain) of `layer` and packs them (`transposed`: each Wᵀ too, for the backward pass). */
  drawWeights(layer: number, transposed?: boolean): void;
  /**
   * --backward: from δ of the sub-block's output x (the plan's delta) to δ of its input `input` (the kept x), in
   * place: the forward pass formed again from the input, then δr = α·δx (δx without a skip), δO = δr·W_O, the
   * softmax's backward pass (the kernel's attentionBackward), δh = δQ·W_Q + δK·W_K + δV·W_V, back through N,
   * plus δx itself with a skip. `drawn`: the layer's weights are packed already (drawWeights(layer, true)).
   */
  backward(layer: number, input: number, drawn?: boolean): AttentionGradientRows;
  /** Runs the sub-block on every row of x in place (with a residual, the branch's channel sums into rSums, rSquares); returns per sequence and head the summed entropies of its attention rows. */
  run(): Float64Array;
}

export function attentionSublayer(core: ShardCore, norm: BlockNorm): AttentionSublayer {
  const p = core.plan, config = core.config, n = core.widths[0], tokens = config.seqLen, heads = config.heads, headDim = n / heads;
  const k = core.kernel.exports;
  const [query, key, value, output] = [0, 1, 2, 3].map((role) => p.attentionPackedAt(role));

  // shaped attention (Noci et al. 2023, arXiv 2306.17759): the logits also divided by a temperature τ = √width,
  // so the centred softmax is O(1/√width) and the block starts near the identity
  const shaped = config.attention === 'shaped', scale = 1 / Math.sqrt(headDim) / (shaped ? Math.sqrt(n) : 1);

  /** rows of `from` times the packed W at `packed`, into `to` (rows × n, the plan's row stride). */
  const project = (from: number, packed: number, to: number, rows: number) => k.gemm(from, p.rowStride, packed, to, p.rowStride, rows, n, n);

  return {
    drawWeights(layer: number, transposed = false): void {
      ATTENTION_ROLES.forEach((role, i) => {
        const stream = streamId(core.patternIndex, layer, role);
        if (role === 'query' || role === 'key') core.drawGaussianMatrix(stream, n, n, config.qkGain / Math.sqrt(n));
        else core.drawPatternMatrix(stream, n, n);
        k.packPanels(p.w, p.attentionPackedAt(i), n, n);
        if (!transposed) return;
        k.transpose(p.w, p.wide, n, n);
        k.packPanels(p.wide, p.attentionTransposedAt(i), n, n);
      });
    },

    backward(layer: number, input: number, drawn = false): AttentionGradientRows {
      if (!drawn) this.drawWeights(layer, true);
      const rows = core.rows, alpha = config.residual, all = () => new Float32Array(rows * n);
      const grads: AttentionGradientRows = { deltaQ: all(), deltaK: all(), deltaV: all(), h: all(), deltaR: all(), out: all() };
      const keep = (into: Float32Array, ptr: number, r0: number, count: number) => into.set(core.mem.f32Rows(ptr, count, n, p.rowStride), r0 * n);
      core.eachCall((r0, count) => {
        const x = p.rowAt(input, r0), delta = p.rowAt(p.delta, r0), h = norm.norm === 'none' ? x : p.attentionH, sequences = count / tokens;
        // the forward pass of these rows again: h, Q, K, V and the heads' output O
        norm.forward(x, h, count, n);
        project(h, query, p.attentionQ, count);
        project(h, key, p.attentionK, count);
        project(h, value, p.attentionV, count);
        k.attentionForward(p.attentionQ, p.attentionK, p.attentionV, p.rowStride, sequences, tokens, heads, headDim, scale, config.causal ? 1 : 0, shaped ? 1 : 0, p.attentionOut, p.attentionScratch, p.attentionEntropy);
        // δr, δO = δr·W_O, and the softmax's δQ, δK, δV
        core.mem.copy(delta, p.attentionDeltaR, count * p.rowStride * 4);
        if (alpha !== undefined) k.scaleInPlace(p.attentionDeltaR, count * p.rowStride, alpha);
        project(p.attentionDeltaR, p.attentionTransposedAt(3), p.attentionDeltaOut, count);
        k.attentionBackward(p.attentionQ, p.attentionK, p.attentionV, p.attentionDeltaOut, p.rowStride, sequences, tokens, heads, headDim, scale, config.causal ? 1 : 0, shaped ? 1 : 0, p.attentionDeltaQ, p.attentionDeltaK, p.attentionDeltaV, p.attentionScratch);
        keep(grads.deltaQ, p.attentionDeltaQ, r0, count);
        keep(grads.deltaK, p.attentionDeltaK, r0, count);
        keep(grads.deltaV, p.attentionDeltaV, r0, count);
        keep(grads.h, h, r0, count);
        keep(grads.deltaR, p.attentionDeltaR, r0, count);
        keep(grads.out, p.attentionOut, r0, count);
        // δh = δQ·W_Q + δK·W_K + δV·W_V (into Q's buffer, then K's for each further term)
        project(p.attentionDeltaQ, p.attentionTransposedAt(0), p.attentionQ, count);
        project(p.attentionDeltaK, p.attentionTransposedAt(1), p.attentionK, count);
        k.addScaled(p.attentionQ, p.attentionK, p.rowStride, count, n, 1);
        project(p.attentionDeltaV, p.attentionTransposedAt(2), p.attentionK, count);
        k.addScaled(p.attentionQ, p.attentionK, p.rowStride, count, n, 1);
        // back through N (from its input x), then the skip's δx
        norm.backward(x, p.attentionQ, p.attentionV, count, n);
        if (alpha !== undefined) k.addScaled(delta, p.attentionQ, p.rowStride, count, n, 1);
        else core.mem.copy(p.attentionQ, delta, count * p.rowStride * 4);
      }, p.sequenceRows);
      return grads;
    },

    run(): Float64Array {
      const sequences = core.rows / tokens, entropies = new Float64Array(sequences * heads);
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

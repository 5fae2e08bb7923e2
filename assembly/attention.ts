// Softmax attention of each sequence and head, forward: the T × T attention of a head is small (T ≤ a few
// hundred), so it is formed row by row in f64 and never stored. Twin: src/kernel/reference/attention.ts.

/**
 * For `sequences` sequences of `tokens` consecutive rows (row stride `stride` f32) of Q, K and V at qPtr,
 * kPtr and vPtr, and `heads` heads of `headDim` columns each: per sequence, head and query row i, the
 * weights p_ij = softmax_j(scale·Σ_c Q_ic·K_jc) over j ≤ i when `causal`, all j otherwise, in f64 (the
 * largest logit subtracted before exp), and the head's output row Σ_j p_ij·V_j into outPtr (f32, same
 * layout). entropyPtr receives, per sequence and head (sequence-major, f64), Σ_i of the row's entropy
 * −Σ_j p_ij log p_ij (as log Σ_j e_ij − Σ_j p_ij·(l_ij − max_j l_ij)), summed over i in ascending order. `shaped`: the row is V_i + Σ_j (p_ij − 1/m_i)·V_j
 * instead, m_i the keys the row sees: the identity plus the centred softmax of Noci et al. 2023 (arXiv
 * 2306.17759, shaped attention; its temperature is the caller's `scale`).
 */
export function attentionForward(qPtr: usize, kPtr: usize, vPtr: usize, stride: i32, sequences: i32, tokens: i32, heads: i32, headDim: i32, scale: f64, causal: i32, shaped: i32, outPtr: usize, scratchPtr: usize, entropyPtr: usize): void {
  for (let s = 0; s < sequences; s++) {
    for (let h = 0; h < heads; h++) {
      const col = <usize>(h * headDim);
      let entropy: f64 = 0;
      for (let i = 0; i < tokens; i++) {
        const row = <usize>(s * tokens + i), q = qPtr + ((row * <usize>stride + col) << 2);
        const last = causal ? i : tokens - 1;
        // logits into scratch (f64), then their softmax in place
        let largest = -Infinity;
        for (let j = 0; j <= last; j++) {
          const k = kPtr + (((<usize>(s * tokens + j)) * <usize>stride + col) << 2);
          let dot: f64 = 0;
          for (let c = 0; c < headDim; c++) dot += <f64>load<f32>(q + (<usize>c << 2)) * <f64>load<f32>(k + (<usize>c << 2));
          const logit = scale * dot;
          store<f64>(scratchPtr + (<usize>j << 3), logit);
          if (logit > largest) largest = logit;
        }
        // the row's entropy −Σ p_j log p_j = log Σ e_j − Σ e_j·(l_j − largest) / Σ e_j: one log a row, not one a weight
        let total: f64 = 0, weighted: f64 = 0;
        for (let j = 0; j <= last; j++) {
          const at = scratchPtr + (<usize>j << 3), shifted = load<f64>(at) - largest, e = Math.exp(shifted);
          store<f64>(at, e);
          total += e;
          weighted += e * shifted;
        }
        entropy += Math.log(total) - weighted / total;
        for (let j = 0; j <= last; j++) {
          const at = scratchPtr + (<usize>j << 3);
          store<f64>(at, load<f64>(at) / total);
        }
        const out = outPtr + ((row * <usize>stride + col) << 2);
        const centre: f64 = shaped ? 1.0 / <f64>(last + 1) : 0;
        for (let c = 0; c < headDim; c++) {
          let sum: f64 = shaped ? <f64>load<f32>(vPtr + (((row * <usize>stride + col) + <usize>c) << 2)) : 0;
          for (let j = 0; j <= last; j++) sum += (load<f64>(scratchPtr + (<usize>j << 3)) - centre) * <f64>load<f32>(vPtr + ((((<usize>(s * tokens + j)) * <usize>stride + col) + <usize>c) << 2));
          store<f32>(out + (<usize>c << 2), <f32>sum);
        }
      }
      store<f64>(entropyPtr + ((<usize>(s * heads + h)) << 3), entropy);
    }
  }
}

/**
 * The backward pass of attentionForward for upstream gradients δO at dOutPtr (same layout as its output):
 * per sequence and head, with p_i the query row's softmax weights (formed again), δP_ij = δO_i·V_j,
 * δS_ij = p_ij·(δP_ij − Σ_k p_ik·δP_ik), δQ_i = scale·Σ_j δS_ij·K_j, δK_j = scale·Σ_i δS_ij·Q_i and
 * δV_j = Σ_i p_ij·δO_i (`shaped`: Σ_i (p_ij − 1/m_i)·δO_i + δO_j, as its forward pass), summed over i ascending in f64 (scratch: 2·tokens + 2·tokens·headDim f64), stored as f32.
 */
export function attentionBackward(qPtr: usize, kPtr: usize, vPtr: usize, dOutPtr: usize, stride: i32, sequences: i32, tokens: i32, heads: i32, headDim: i32, scale: f64, causal: i32, shaped: i32, dqPtr: usize, dkPtr: usize, dvPtr: usize, scratchPtr: usize): void {
  const p = scratchPtr, dp = p + (<usize>tokens << 3), dk = dp + (<usize>tokens << 3), dv = dk + ((<usize>tokens * <usize>headDim) << 3);
  for (let s = 0; s < sequences; s++) {
    for (let h = 0; h < heads; h++) {
      const col = <usize>(h * headDim);
      memory.fill(dk, 0, (<usize>(2 * tokens * headDim)) << 3);
      for (let i = 0; i < tokens; i++) {
        const last = causal ? i : tokens - 1;
        // shaped: V's weight is p_ij − 1/m_i (m_i = last + 1 keys), and token i's own V passes with weight 1
        const uniform: f64 = shaped ? 1 / <f64>(last + 1) : 0;
        let largest = -Infinity;
        for (let j = 0; j <= last; j++) {
          let dot: f64 = 0;
          for (let c = 0; c < headDim; c++) dot += <f64>load<f32>(cell(qPtr, stride, tokens, s, i, col, c)) * <f64>load<f32>(cell(kPtr, stride, tokens, s, j, col, c));
          const logit = scale * dot;
          store<f64>(p + (<usize>j << 3), logit);
          if (logit > largest) largest = logit;
        }
        let total: f64 = 0;
        for (let j = 0; j <= last; j++) {
          const e = Math.exp(load<f64>(p + (<usize>j << 3)) - largest);
          store<f64>(p + (<usize>j << 3), e);
          total += e;
        }
        let weighted: f64 = 0;
        for (let j = 0; j <= last; j++) {
          const pj = load<f64>(p + (<usize>j << 3)) / total;
          store<f64>(p + (<usize>j << 3), pj);
          let d: f64 = 0;
          for (let c = 0; c < headDim; c++) d += <f64>load<f32>(cell(dOutPtr, stride, tokens, s, i, col, c)) * <f64>load<f32>(cell(vPtr, stride, tokens, s, j, col, c));
          store<f64>(dp + (<usize>j << 3), d);
          weighted += pj * d;
        }
        for (let c = 0; c < headDim; c++) {
          let dq: f64 = 0;
          const qic = <f64>load<f32>(cell(qPtr, stride, tokens, s, i, col, c)), doc = <f64>load<f32>(cell(dOutPtr, stride, tokens, s, i, col, c));
          for (let j = 0; j <= last; j++) {
            const pj = load<f64>(p + (<usize>j << 3)), ds = pj * (load<f64>(dp + (<usize>j << 3)) - weighted);
            dq += ds * <f64>load<f32>(cell(kPtr, stride, tokens, s, j, col, c));
            const kAt = dk + ((<usize>j * <usize>headDim + <usize>c) << 3), vAt = dv + ((<usize>j * <usize>headDim + <usize>c) << 3);
            store<f64>(kAt, load<f64>(kAt) + scale * ds * qic);
            store<f64>(vAt, load<f64>(vAt) + (pj - uniform) * doc);
          }
          if (shaped) {
            const own = dv + ((<usize>i * <usize>headDim + <usize>c) << 3);
            store<f64>(own, load<f64>(own) + doc);
          }
          store<f32>(cell(dqPtr, stride, tokens, s, i, col, c), <f32>(scale * dq));
        }
      }
      for (let j = 0; j < tokens; j++) for (let c = 0; c < headDim; c++) {
        store<f32>(cell(dkPtr, stride, tokens, s, j, col, c), <f32>load<f64>(dk + ((<usize>j * <usize>headDim + <usize>c) << 3)));
        store<f32>(cell(dvPtr, stride, tokens, s, j, col, c), <f32>load<f64>(dv + ((<usize>j * <usize>headDim + <usize>c) << 3)));
      }
    }
  }
}

/** The f32 at column col + c of row s·tokens + j. */
// @ts-ignore: decorator
@inline function cell(base: usize, stride: i32, tokens: i32, s: i32, j: i32, col: usize, c: i32): usize {
  return base + ((((<usize>(s * tokens + j)) * <usize>stride) + col + <usize>c) << 2);
}

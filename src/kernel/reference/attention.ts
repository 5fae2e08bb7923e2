// Pure-TS twin of assembly/attention.ts (the same sums in the same order; exp and log are the engine's,
// so results agree to a few ulp, not bit for bit).
import type { KernelMemory } from '../kernelMemory.js';

export function attentionForward(mem: KernelMemory, qPtr: number, kPtr: number, vPtr: number, stride: number, sequences: number, tokens: number, heads: number, headDim: number, scale: number, causal: number, shaped: number, outPtr: number, scratchPtr: number, entropyPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64, scratch = scratchPtr >>> 3;
  for (let s = 0; s < sequences; s++) {
    for (let h = 0; h < heads; h++) {
      const col = h * headDim;
      let entropy = 0;
      for (let i = 0; i < tokens; i++) {
        const row = s * tokens + i, q = (qPtr >>> 2) + row * stride + col, last = causal ? i : tokens - 1;
        const [total, weighted] = expLogits(f32, f64, q, (kPtr >>> 2) + s * tokens * stride + col, stride, headDim, scale, last, scratch);
        entropy += Math.log(total) - weighted / total;
        for (let j = 0; j <= last; j++) f64[scratch + j] /= total;
        const out = (outPtr >>> 2) + row * stride + col;
        const centre = shaped ? 1 / (last + 1) : 0;
        for (let c = 0; c < headDim; c++) {
          let sum = shaped ? f32[(vPtr >>> 2) + row * stride + col + c] : 0;
          for (let j = 0; j <= last; j++) sum += (f64[scratch + j] - centre) * f32[(vPtr >>> 2) + (s * tokens + j) * stride + col + c];
          f32[out + c] = sum;
        }
      }
      f64[(entropyPtr >>> 3) + s * heads + h] = entropy;
    }
  }
}

export function attentionBackward(mem: KernelMemory, qPtr: number, kPtr: number, vPtr: number, dOutPtr: number, stride: number, sequences: number, tokens: number, heads: number, headDim: number, scale: number, causal: number, shaped: number, dqPtr: number, dkPtr: number, dvPtr: number, scratchPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64, p = scratchPtr >>> 3, dp = p + tokens, dk = dp + tokens, dv = dk + tokens * headDim;
  const at = (base: number, s: number, j: number, col: number, c: number) => (base >>> 2) + (s * tokens + j) * stride + col + c;
  for (let s = 0; s < sequences; s++) {
    for (let h = 0; h < heads; h++) {
      const col = h * headDim;
      f64.fill(0, dk, dk + 2 * tokens * headDim);
      for (let i = 0; i < tokens; i++) {
        const last = causal ? i : tokens - 1, uniform = shaped ? 1 / (last + 1) : 0;
        const [total] = expLogits(f32, f64, at(qPtr, s, i, col, 0), at(kPtr, s, 0, col, 0), stride, headDim, scale, last, p);
        let weighted = 0;
        for (let j = 0; j <= last; j++) {
          const pj = f64[p + j] / total;
          f64[p + j] = pj;
          let d = 0;
          for (let c = 0; c < headDim; c++) d += f32[at(dOutPtr, s, i, col, c)] * f32[at(vPtr, s, j, col, c)];
          f64[dp + j] = d;
          weighted += pj * d;
        }
        for (let c = 0; c < headDim; c++) {
          let dq = 0;
          const qic = f32[at(qPtr, s, i, col, c)], doc = f32[at(dOutPtr, s, i, col, c)];
          for (let j = 0; j <= last; j++) {
            const pj = f64[p + j], ds = pj * (f64[dp + j] - weighted);
            dq += ds * f32[at(kPtr, s, j, col, c)];
            f64[dk + j * headDim + c] += scale * ds * qic;
            f64[dv + j * headDim + c] += (pj - uniform) * doc;
          }
          if (shaped) f64[dv + i * headDim + c] += doc;
          f32[at(dqPtr, s, i, col, c)] = scale * dq;
        }
      }
      for (let j = 0; j < tokens; j++) for (let c = 0; c < headDim; c++) {
        f32[at(dkPtr, s, j, col, c)] = f64[dk + j * headDim + c];
        f32[at(dvPtr, s, j, col, c)] = f64[dv + j * headDim + c];
      }
    }
  }
}

/**
 * exp(logit_j − the largest) of query row `q` (an f32 index) against keys 0 … last, key j at `keys` + j·stride,
 * logit_j = scale·Σ_c q_c·k_jc, into f64 scratch from index `out`; returns their sum and Σ_j e_j·(logit_j − the
 * largest), from which the row's entropy follows (both passes' softmax).
 */
function expLogits(f32: Float32Array, f64: Float64Array, q: number, keys: number, stride: number, headDim: number, scale: number, last: number, out: number): [number, number] {
  let largest = -Infinity;
  for (let j = 0; j <= last; j++) {
    const k = keys + j * stride;
    let dot = 0;
    for (let c = 0; c < headDim; c++) dot += f32[q + c] * f32[k + c];
    const logit = scale * dot;
    f64[out + j] = logit;
    if (logit > largest) largest = logit;
  }
  let total = 0, weighted = 0;
  for (let j = 0; j <= last; j++) {
    const shifted = f64[out + j] - largest, e = Math.exp(shifted);
    f64[out + j] = e;
    total += e;
    weighted += e * shifted;
  }
  return [total, weighted];
}

// Pure-TS twin of assembly/activations.ts (same lanes and order of accumulation). Identity, ReLU and
// leaky ReLU are bit-identical; the transcendental ones agree to the last bit or two (V8's libm vs
// the kernel's).
import type { KernelMemory } from '../kernelMemory.js';
import { Activation, STAT_FIELDS } from '../layout.js';
import { RowAccumulator } from './rowAccumulator.js';

const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const fr = Math.fround;

function erfcPositive(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  return t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
}

function gelu(z: number): number {
  const u = -z * 0.7071067811865476;
  return 0.5 * z * (u >= 0 ? erfcPositive(u) : 2 - erfcPositive(-u));
}

/** φ on an f32 value, rounded to f32; ReLU is max(z, +0) (−0 → +0, NaN stays NaN), as in the kernel. */
export function phi(z: number, activation: number, alpha = 0): number {
  switch (activation) {
    case Activation.relu: return Math.max(z, 0);
    case Activation.leaky_relu: return z > 0 ? z : fr(fr(alpha) * z);
    case Activation.tanh: return fr(Math.tanh(z));
    case Activation.sigmoid: return fr(1 / (1 + Math.exp(-z)));
    case Activation.gelu: return fr(gelu(z));
    case Activation.selu: return fr(z > 0 ? SELU_LAMBDA * z : SELU_LAMBDA * SELU_ALPHA * Math.expm1(z));
    case Activation.silu: return fr(z / (1 + Math.exp(-z)));
    default: return z;
  }
}

export function activateWithStats(mem: KernelMemory, zPtr: number, zStride: number, aPtr: number, aStride: number, rows: number, cols: number, activation: number, alpha: number, statsPtr: number, _accPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64;
  const acc = new RowAccumulator();
  for (let r = 0; r < rows; r++) {
    const zRow = (zPtr >> 2) + r * zStride, aRow = (aPtr >> 2) + r * aStride;
    acc.reset();
    for (let c = 0; c < cols; c++) {
      const z = f32[zRow + c];
      const a = phi(z, activation, alpha);
      f32[aRow + c] = a;
      acc.add(c, z, a);
    }
    acc.finish(f64, (statsPtr >> 3) + r * STAT_FIELDS);
  }
}

export function multiplyByDerivative(mem: KernelMemory, deltaPtr: number, aPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void {
  const f32 = mem.f32;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = (deltaPtr >> 2) + r * stride + c, a = f32[(aPtr >> 2) + r * stride + c];
      let d = 1;
      switch (activation) {
        case Activation.relu: d = a > 0 ? 1 : 0; break;
        case Activation.leaky_relu: d = a > 0 ? 1 : fr(alpha); break;
        case Activation.tanh: d = fr(1 - fr(a * a)); break;
        case Activation.sigmoid: d = fr(a * fr(1 - a)); break;
        case Activation.selu: d = a > 0 ? fr(SELU_LAMBDA) : fr(a + fr(SELU_LAMBDA * SELU_ALPHA)); break;
      }
      f32[i] = f32[i] * d;
    }
  }
}

/** φ′(z) in f64, as the kernel's slopeAtZ. */
function slopeAtZ(z: number, activation: number, alpha: number): number {
  switch (activation) {
    case Activation.relu: return z > 0 ? 1 : 0;
    case Activation.leaky_relu: return z > 0 ? 1 : alpha;
    case Activation.tanh: { const t = Math.tanh(z); return 1 - t * t; }
    case Activation.sigmoid: { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); }
    case Activation.gelu: {
      const u = -z * 0.7071067811865476;
      const cdf = 0.5 * (u >= 0 ? erfcPositive(u) : 2 - erfcPositive(-u));
      return cdf + z * Math.exp(-0.5 * z * z) * 0.3989422804014327;
    }
    case Activation.selu: return z > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z);
    case Activation.silu: { const s = 1 / (1 + Math.exp(-z)); return s * (1 + z * (1 - s)); }
    default: return 1;
  }
}

export function multiplyBySlopeAtZ(mem: KernelMemory, deltaPtr: number, zPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void {
  const f32 = mem.f32;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = (deltaPtr >> 2) + r * stride + c;
      f32[i] = f32[i] * fr(slopeAtZ(f32[(zPtr >> 2) + r * stride + c], activation, fr(alpha)));
    }
  }
}

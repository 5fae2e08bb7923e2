// One GEMM benchmark case on one kernel instance: buffers, the timed call, and the result check.
import type { Kernel } from '../src/kernel/kernelExports.js';
import { Arena } from '../src/kernel/arena.js';
import { KernelMemory } from '../src/kernel/kernelMemory.js';
import { layerScratchBytes, PANEL_COLS, STAT_FIELDS, WIDE_COLS, zeroSkipScratchBytes } from '../src/kernel/layout.js';
import { normalCdf } from '../src/theory/erf.js';
import { gemmNaive } from './gemmNaive.js';

export type GemmVariant = 'dense' | 'dense-layer' | 'zero-skip' | 'ts-naive' | 'ts-blocked';

export interface GemmShape {
  m: number;
  k: number;
  n: number;
  /** Share of x set to exactly 0 (a ReLU output has ½). */
  zeroFraction: number;
}

const CALL_ROWS = 256;

/**
 * Sets up x (m × k, Gaussian with `zeroFraction` of it zeroed by a ReLU-like threshold) and W
 * (n × k) in the kernel's memory; run() performs the product once, check() verifies sampled
 * outputs against float64 dot products of the inputs.
 */
export class GemmCase {
  private readonly mem: KernelMemory;
  private readonly at: { x: number; x0: number; w: number; packed: number; wide: number; z: number; scratch: number; stats: number; end: number };
  private readonly samples: { r: number; j: number; expected: number; scale: number }[] = [];

  constructor(private readonly kernel: Kernel, private readonly variant: GemmVariant, readonly shape: GemmShape, seed = 1) {
    const { m, k, n } = shape, e = kernel.exports, stride = Math.max(k, n);
    this.mem = new KernelMemory(kernel.memory);
    const arena = new Arena(e.heapBase()), take = (bytes: number) => arena.take(bytes);
    const x = take(m * stride * 4), x0 = take(m * stride * 4), w = take(n * k * 4), packed = take(Math.ceil(n / PANEL_COLS) * PANEL_COLS * 4 * k), wide = take(Math.ceil(n / WIDE_COLS) * WIDE_COLS * 4 * k);
    const z = take(m * n * 4), scratch = take(Math.max(layerScratchBytes(stride), zeroSkipScratchBytes(stride, k))), stats = take(m * STAT_FIELDS * 8);
    this.at = { x, x0, w, packed, wide, z, scratch, stats, end: arena.end };
    this.mem.ensure(arena.end);
    for (let r = 0; r < m; r++) e.fillNormal(x0 + r * stride * 4, k, seed, 0, r * k, 1);
    // zero the smallest values: a threshold at the zeroFraction quantile of N(0,1) gives that share of zeros
    const threshold = quantile(shape.zeroFraction);
    const f32 = this.mem.f32;
    for (let i = x0 >> 2; i < (x0 >> 2) + m * stride; i++) if (f32[i] <= threshold) f32[i] = 0;
    e.fillNormal(w, n * k, seed, 1, 0, 1 / Math.sqrt(k));
    e.packPanels(w, packed, n, k);
    e.packWide(w, wide, n, k);
    this.restore();
    for (let s = 0; s < 16; s++) {
      const r = (s * 7919) % m, j = (s * 104729) % n;
      let dot = 0, scale = 0;
      for (let t = 0; t < k; t++) {
        const prod = f32[(x0 >> 2) + r * stride + t] * f32[(w >> 2) + j * k + t];
        dot += prod;
        scale += Math.abs(prod);
      }
      this.samples.push({ r, j, expected: dot, scale });
    }
  }

  /** The layer kernels overwrite x with a; put the input back (not timed). */
  restore(): void {
    const { m, k, n } = this.shape, stride = Math.max(k, n);
    this.mem.f32.copyWithin(this.at.x >> 2, this.at.x0 >> 2, (this.at.x0 >> 2) + m * stride);
  }

  run(): void {
    const { m, k, n } = this.shape, e = this.kernel.exports, a = this.at, stride = Math.max(k, n);
    for (let r0 = 0; r0 < m; r0 += CALL_ROWS) {
      const rows = Math.min(CALL_ROWS, m - r0), xAt = a.x + r0 * stride * 4;
      if (this.variant === 'dense' || this.variant === 'ts-blocked') e.gemm(xAt, stride, a.packed, a.z + r0 * n * 4, n, rows, k, n);
      else if (this.variant === 'ts-naive') gemmNaive(this.mem, xAt, stride, a.w, a.z + r0 * n * 4, n, rows, k, n);
      else {
        // identity activation keeps z visible in x for the check
        const layer = this.variant === 'zero-skip' ? e.zeroSkipLayer : e.denseLayer;
        layer(xAt, stride, this.variant === 'zero-skip' ? a.wide : a.packed, a.z + r0 * stride * 4, rows, k, n, 0, 0, 0, a.scratch, a.stats + r0 * STAT_FIELDS * 8);
      }
    }
  }

  /** Throws unless every sampled z is within f32 rounding of its float64 dot product. */
  check(): void {
    const { k, n } = this.shape;
    const layer = this.variant === 'zero-skip' || this.variant === 'dense-layer';
    const stride = layer ? Math.max(k, n) : n;
    for (const s of this.samples) {
      const got = this.mem.f32[(this.at.z >> 2) + s.r * stride + s.j];
      if (!(Math.abs(got - s.expected) <= 1e-6 * k * s.scale + 1e-30)) throw new Error(`${this.variant}: z[${s.r}][${s.j}] = ${got}, expected ${s.expected}`);
    }
  }
}

/** Standard normal quantile by bisection on the project's Φ. */
function quantile(p: number): number {
  if (p <= 0) return -Infinity;
  let lo = -10, hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

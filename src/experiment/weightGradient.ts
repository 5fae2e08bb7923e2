import type { Kernel } from '../kernel/kernelExports.js';
import { KernelMemory } from '../kernel/kernelMemory.js';
import { planWeightGradient } from '../kernel/weightGradientPlan.js';
import { ACTIVATIONS } from '../theory/activations.js';
import { STAT_A_SUMSQ, STAT_FIELDS } from '../kernel/layout.js';

/**
 * E[G²] over the entries of a layer's weight gradient G = δzᵀ·a / B, formed over the whole batch on
 * one kernel instance (rows in batch order), so it does not depend on how the batch was sharded.
 * As the forward kernel's x·Wᵀ: x = δzᵀ (nOut × B), W = aᵀ (nIn × B).
 */
export class WeightGradient {
  private readonly mem: KernelMemory;

  constructor(private readonly kernel: Kernel) {
    this.mem = new KernelMemory(kernel.memory);
  }

  meanSquare(deltaZ: Float32Array[], aPrev: Float32Array[], batch: number, nOut: number, nIn: number): number {
    const e = this.kernel.exports;
    const { deltaZ: dz, a, deltaZT: dzT, aT, packed, g, stats, acc, end } = planWeightGradient(batch, nOut, nIn, e.heapBase());
    this.mem.ensure(end);
    let row = 0;
    for (const part of deltaZ) this.mem.f32.set(part, (dz >>> 2) + row * nOut), (row += part.length / nOut);
    row = 0;
    for (const part of aPrev) this.mem.f32.set(part, (a >>> 2) + row * nIn), (row += part.length / nIn);
    e.transpose(dz, dzT, batch, nOut);
    e.transpose(a, aT, batch, nIn);
    e.packPanels(aT, packed, nIn, batch);
    e.gemm(dzT, batch, packed, g, nIn, nOut, batch, nIn);
    e.activateWithStats(g, nIn, g, nIn, nOut, nIn, ACTIVATIONS.identity.code, 0, stats, acc);
    let sumSq = 0;
    for (let r = 0; r < nOut; r++) sumSq += this.mem.f64[(stats >>> 3) + r * STAT_FIELDS + STAT_A_SUMSQ];
    return sumSq / (nOut * nIn) / (batch * batch);
  }
}

// The cost of the per-layer correlation sums (z_corr, a_corr) beside the layer itself, as Shard.commitLayer
// runs them: per call of LAYER_CALL_ROWS rows, denseLayer (z to a block buffer, a in place of x), then
// blockColumnSums over the call's z and a, each part timed on its own within the same pass (so the VM's
// swings, which last seconds, hit both alike).
import { Arena } from '../src/kernel/arena.js';
import type { Kernel } from '../src/kernel/kernelExports.js';
import { KernelMemory } from '../src/kernel/kernelMemory.js';
import { layerScratchBytes, STAT_A_SUMSQ, STAT_FIELDS, STAT_Z_SUMSQ } from '../src/kernel/layout.js';
import { LAYER_CALL_ROWS, SUM_BLOCK_ROWS } from '../src/kernel/memoryPlan.js';
import { unitRowFactor } from '../src/metrics/pairCorrelation.js';
import { ACTIVATIONS } from '../src/theory/activations.js';

export class CorrelationCase {
  private readonly mem: KernelMemory;
  private readonly at: Record<'x' | 'packed' | 'w' | 'zBlock' | 'stats' | 'scales' | 'zSums' | 'aSums' | 'scratch', number>;

  constructor(private readonly kernel: Kernel, readonly rows: number, readonly width: number) {
    const e = kernel.exports, n = width;
    this.mem = new KernelMemory(kernel.memory);
    const arena = new Arena(e.heapBase()), take = (b: number) => arena.take(b);
    const blocks = Math.ceil(rows / SUM_BLOCK_ROWS);
    this.at = {
      x: take(rows * n * 4), w: take(n * n * 4), packed: take(Math.ceil(n / 8) * 8 * n * 4), zBlock: take(LAYER_CALL_ROWS * n * 4), stats: take(rows * STAT_FIELDS * 8),
      scales: take(rows * 8), zSums: take(blocks * n * 8), aSums: take(blocks * n * 8), scratch: take(layerScratchBytes(n)),
    };
    this.mem.ensure(arena.end);
    for (let r = 0; r < rows; r++) e.fillNormal(this.at.x + r * n * 4, n, 1, 0, r * n, 1);
    // orthogonal-like scale for tanh: the values stay O(1) over repeated layers
    e.fillNormal(this.at.w, n * n, 1, 1, 0, 1 / Math.sqrt(n));
    e.packPanels(this.at.w, this.at.packed, n, n);
  }

  private sums(ptr: number, r0: number, rows: number, field: number, sums: number): void {
    const f64 = this.mem.f64, s = this.at.scales >> 3;
    for (let r = r0; r < r0 + rows; r++) f64[s + r] = unitRowFactor(f64[((this.at.stats + r * STAT_FIELDS * 8) >> 3) + field]);
    this.kernel.exports.blockColumnSums(ptr, this.width, rows, this.width, this.at.scales + r0 * 8, SUM_BLOCK_ROWS, sums + (r0 / SUM_BLOCK_ROWS) * this.width * 8);
  }

  /** One layer over every row as commitLayer runs it; seconds spent in the layer calls and in the correlation sums. */
  run(): { layer: number; sums: number } {
    const e = this.kernel.exports, { x, packed, zBlock, stats, scratch, zSums, aSums } = this.at, n = this.width;
    let layer = 0, sums = 0;
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const rows = Math.min(LAYER_CALL_ROWS, this.rows - r0), xr = x + r0 * n * 4;
      const t0 = performance.now();
      e.denseLayer(xr, n, packed, zBlock, rows, n, n, ACTIVATIONS.tanh.code, 0, 0, scratch, stats + r0 * STAT_FIELDS * 8);
      const t1 = performance.now();
      this.sums(zBlock, r0, rows, STAT_Z_SUMSQ, zSums);
      this.sums(xr, r0, rows, STAT_A_SUMSQ, aSums);
      layer += t1 - t0;
      sums += performance.now() - t1;
    }
    return { layer: layer / 1000, sums: sums / 1000 };
  }
}

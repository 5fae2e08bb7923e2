import type { Kernel } from '../kernel/kernelExports.js';
import { KernelMemory } from '../kernel/kernelMemory.js';
import { Activation, STAT_A_ZEROS, STAT_FIELDS } from '../kernel/layout.js';
import { planMemory, type MemoryPlan } from '../kernel/memoryPlan.js';
import { layerWidths, type ExperimentConfig } from './config.js';
import { weightStd } from './patterns.js';
import { streamId } from './streams.js';

// Work is handed to the kernel in modest calls: V8 first runs WASM in its baseline tier and
// switches to optimized code only for later calls, so one huge call would run unoptimized.
const FILL_CHUNK = 1 << 16;
const LAYER_CALL_ROWS = 256;
/** Zero fraction of x from which zeroSkipLayer is used (measured with `npm run bench`). */
export const ZERO_SKIP_THRESHOLD = 0.3;
const LEAKY_ALPHA = 0.01;

/**
 * A contiguous block of batch rows [rowStart, rowStart + rows) carried through every layer on one
 * kernel instance. Rows never interact, so shards are independent until statistics are reduced.
 */
export class Shard {
  private readonly plan: MemoryPlan;
  private readonly mem: KernelMemory;
  private readonly widths: number[];
  private layer = 0;
  private patternIndex = -1;
  private inputZeroFraction = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly config: ExperimentConfig,
    readonly rowStart: number,
    readonly rows: number,
  ) {
    this.widths = layerWidths(config);
    this.plan = planMemory(
      { rows, widths: this.widths, keepsFullZ: config.histLayers.length > 0, bins: config.bins },
      kernel.exports.heapBase(),
    );
    this.mem = new KernelMemory(kernel.memory);
    this.mem.ensure(this.plan.end);
  }

  /** Draws the pattern's input x ~ N(0,1); returns the per-row statistics of x (as "a"). */
  startPattern(patternIndex: number): Float64Array {
    const k = this.kernel.exports, p = this.plan, width = this.widths[0];
    this.patternIndex = patternIndex;
    this.layer = 0;
    const stream = streamId(patternIndex, 0);
    for (let r = 0; r < this.rows; r++) {
      // one call per row: chunked for the same reason as FILL_CHUNK
      k.fillNormal(p.x + r * p.rowStride * 4, width, this.config.seed, stream, (this.rowStart + r) * width, 1);
    }
    k.activateWithStats(p.x, p.rowStride, p.x, p.rowStride, this.rows, width, Activation.identity, 0, p.stats, p.scratch);
    return this.rowStats();
  }

  /** Runs the next layer: fresh W, z = x·Wᵀ, a = φ(z) in place of x; returns per-row statistics. */
  runLayer(): Float64Array {
    const k = this.kernel.exports, p = this.plan;
    const pattern = this.config.patterns[this.patternIndex];
    const layer = ++this.layer;
    const nIn = this.widths[layer - 1], nOut = this.widths[layer];
    const count = nOut * nIn, std = weightStd(pattern.init, nIn), stream = streamId(this.patternIndex, layer);
    for (let at = 0; at < count; at += FILL_CHUNK) {
      k.fillNormal(p.w + at * 4, Math.min(FILL_CHUNK, count - at), this.config.seed, stream, at, std);
    }
    // Both kernels give bit-identical results; the sparse one wins once enough of x is zero.
    const sparse = this.inputZeroFraction >= ZERO_SKIP_THRESHOLD;
    if (sparse) k.packWide(p.w, p.wide, nOut, nIn);
    else k.packPanels(p.w, p.packed, nOut, nIn);
    const keepZ = this.config.histLayers.includes(layer);
    const activation = Activation[pattern.activation];
    for (let r0 = 0; r0 < this.rows; r0 += LAYER_CALL_ROWS) {
      const offset = r0 * p.rowStride * 4;
      const args = [p.x + offset, p.rowStride, sparse ? p.wide : p.packed, keepZ ? p.z + offset : 0, Math.min(LAYER_CALL_ROWS, this.rows - r0), nIn, nOut, activation, LEAKY_ALPHA, 0, p.scratch, p.stats + r0 * STAT_FIELDS * 8] as const;
      if (sparse) k.zeroSkipLayer(...args);
      else k.denseLayer(...args);
    }
    return this.rowStats();
  }

  /** Counts of this shard's z or a of the layer just run, over the given bin edges. */
  histogram(of: 'z' | 'a', edges: Float64Array): Uint32Array {
    const k = this.kernel.exports, p = this.plan;
    const bins = edges.length - 1;
    if (of === 'z' && !this.config.histLayers.includes(this.layer)) throw new Error(`z of layer ${this.layer} was not kept`);
    this.mem.f64.set(edges, p.edges >> 3);
    this.mem.u32.fill(0, p.counts >> 2, (p.counts >> 2) + bins);
    k.histogram(of === 'z' ? p.z : p.x, p.rowStride, this.rows, this.widths[this.layer], p.edges, bins, p.counts);
    return this.mem.u32.slice(p.counts >> 2, (p.counts >> 2) + bins);
  }

  /** Copies out the per-row statistics and notes the zero fraction of a (the next layer's x). */
  private rowStats(): Float64Array {
    const at = this.plan.stats >> 3;
    const stats = this.mem.f64.slice(at, at + this.rows * STAT_FIELDS);
    let zeros = 0;
    for (let r = 0; r < this.rows; r++) zeros += stats[r * STAT_FIELDS + STAT_A_ZEROS];
    this.inputZeroFraction = zeros / (this.rows * this.widths[this.layer]);
    return stats;
  }
}

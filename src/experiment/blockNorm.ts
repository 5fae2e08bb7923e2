// A shard's normalization N of one pattern's blocks: which norm, its per-channel parameters per layer
// (batch norm's from the host's reduction, nf's 1/β from the theory), and the kernel calls of N and of
// its backward pass over blocks of rows. The parameters live in the plan's normMean and normScale
// (normalizeColumns), and the backward pass's m1 and m2 in normM1 and normM2, `cols` f64 each.
import type { Kernel } from '../kernel/kernelExports.js';
import type { KernelMemory } from '../kernel/kernelMemory.js';
import type { MemoryPlan } from '../kernel/memoryPlan.js';
import { NORM_EPSILON, normOf, type ExperimentConfig } from '../model/config.js';
import type { NormName } from '../theory/residualStream.js';
import { blockTheory } from '../predictions/patternTheory.js';

export class BlockNorm {
  norm: NormName = 'none';
  /** nf: β of every block (the predicted √E[·²] of N's input). */
  private betas: number[] = [];
  /** Per layer, the normalizeColumns parameters used (batch norm, nf), for the backward pass. */
  private params: Float64Array<ArrayBufferLike>[] = [];

  constructor(private readonly kernel: Kernel, private readonly mem: KernelMemory, private readonly plan: MemoryPlan, private readonly config: ExperimentConfig) {}

  startPattern(patternIndex: number): void {
    const pattern = this.config.patterns[patternIndex];
    this.norm = normOf(this.config, pattern);
    this.params = [];
    this.betas = this.norm === 'nf' ? blockTheory(this.config, pattern).map((b) => Math.sqrt(b.norm_input_ex2)) : [];
  }

  /** The parameters of `layer` into the plan's buffer: batch norm's from the host (each channel's mean and 1/√(σ² + ε)), nf's 0 and 1/β. */
  useLayer(layer: number, cols: number, batchNorm?: Float64Array): void {
    let params: Float64Array<ArrayBufferLike>;
    if (this.norm === 'batch') {
      if (!batchNorm || batchNorm.length !== 2 * cols) throw new Error(`batch norm of layer ${layer} needs ${2 * cols} parameters`);
      params = batchNorm;
    } else if (this.norm === 'nf') {
      params = new Float64Array(2 * cols).fill(1 / this.betas[layer - 1], cols);
    } else return;
    this.params[layer] = params;
    this.setParams(params, cols);
  }

  /** [mean, scale] or [mean, scale, m1, m2], `cols` each, into the plan's buffers in that order. */
  private setParams(params: Float64Array, cols: number): void {
    const p = this.plan, targets = [p.normMean, p.normScale, p.normM1, p.normM2];
    for (let i = 0; i * cols < params.length; i++) this.mem.setF64(targets[i], params.subarray(i * cols, (i + 1) * cols));
  }

  /** The forward parameters of `layer` again (the backward pass forms h anew from N's kept input). */
  useLayerAgain(layer: number): void {
    if (this.params[layer]) this.setParams(this.params[layer], this.params[layer].length / 2);
  }

  /**
   * The backward pass's parameters of `layer`: the forward ones again, with batch norm's m1 and m2 (the batch
   * means of δh and of δh·h per channel, `means`); nf's m1 = m2 = 0.
   */
  useLayerBackward(layer: number, cols: number, means?: Float64Array): void {
    if (this.norm !== 'batch' && this.norm !== 'nf') return;
    const params = new Float64Array(4 * cols);
    params.set(this.params[layer]);
    if (this.norm === 'batch') {
      if (!means || means.length !== 2 * cols) throw new Error(`batch norm's backward pass of layer ${layer} needs ${2 * cols} means`);
      params.set(means, 2 * cols);
    }
    this.setParams(params, cols);
  }

  /** h = N(v) for `rows` rows from `src` to `dst` (the plan's row stride), with the layer's parameters in place; none copies. */
  forward(src: number, dst: number, rows: number, cols: number): void {
    const k = this.kernel.exports, p = this.plan;
    if (this.norm === 'layer') k.normalizeRows(src, dst, p.rowStride, rows, cols, NORM_EPSILON);
    else if (this.norm === 'batch' || this.norm === 'nf') k.normalizeColumns(src, dst, p.rowStride, rows, cols, p.normMean, p.normScale);
    else if (src !== dst) this.mem.copy(src, dst, rows * p.rowStride * 4);
  }

  /** δ of N's input in place of δh (`delta`), from N's kept input v; `scratch` has room for the rows' h. */
  backward(input: number, delta: number, scratch: number, rows: number, cols: number): void {
    const k = this.kernel.exports, p = this.plan;
    if (this.norm === 'layer') k.normalizeRowsBackward(input, delta, p.rowStride, rows, cols, NORM_EPSILON);
    else if (this.norm !== 'none') {
      this.forward(input, scratch, rows, cols);
      k.normalizeColumnsBackward(delta, scratch, p.rowStride, rows, cols, p.normScale, p.normM1, p.normM2);
    }
  }
}

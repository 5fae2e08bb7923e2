import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { draw } from '../helpers/draws.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';
import { defaultConfig, NORM_EPSILON } from '../../src/model/config.js';
import { weightStd } from '../../src/model/inits.js';
import type { PatternSpec } from '../../src/model/patterns.js';
import { streamId } from '../../src/model/streams.js';
import { localShards } from '../../src/shards/localShards.js';
import { erf } from '../../src/theory/erf.js';
import { residualStream, type NormName } from '../../src/theory/residualStream.js';

// The backward pass of normalized and residual blocks against float64 central differences of the loss
// L = Σ g ⊙ (the net's output) through a float64 forward pass written out here: ∂L/∂v of every
// intermediate v, including the batch norm's dependence of every channel's mean and variance on every row.


const Phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
const phi = { tanh: Math.tanh, gelu: (z: number) => z * Phi(z) } as const;
type Matrix = number[][];
type Stage = 'x' | 'h' | 'a' | 'z';

/** N(·) of a B × n matrix in float64: batch (per column), layer (per row), nf (÷ β), none. */
function normalize(v: Matrix, norm: NormName, beta: number): Matrix {
  const B = v.length, n = v[0].length;
  const stats = (values: number[]) => {
    const mean = values.reduce((s, u) => s + u, 0) / values.length;
    return { mean, scale: 1 / Math.sqrt(values.reduce((s, u) => s + (u - mean) ** 2, 0) / values.length + NORM_EPSILON) };
  };
  if (norm === 'batch') {
    const cols = Array.from({ length: n }, (_, j) => stats(v.map((row) => row[j])));
    return v.map((row) => row.map((u, j) => (u - cols[j].mean) * cols[j].scale));
  }
  if (norm === 'layer') return v.map((row) => ((s) => row.map((u) => (u - s.mean) * s.scale))(stats(row)));
  if (norm === 'nf') return v.map((row) => row.map((u) => u / beta));
  return v.map((row) => row.slice());
  void B;
}

interface Net {
  B: number;
  n: number;
  L: number;
  norm: NormName;
  alpha?: number;
  act: keyof typeof phi;
  x0: Matrix;
  W: Matrix[];
  g: Matrix;
  betas: number[];
}

/** The loss, with `tap(layer, stage, values)` allowed to change each intermediate as it is formed. */
function loss(net: Net, W: Matrix[], tap: (layer: number, stage: Stage, v: Matrix) => void = () => {}): number {
  const times = (a: Matrix, w: Matrix) => a.map((row) => w.map((wj) => wj.reduce((s, wk, k) => s + wk * row[k], 0)));
  let x = net.x0.map((r) => r.slice());
  for (let l = 1; l <= net.L; l++) {
    if (net.alpha !== undefined) {
      const h = normalize(x, net.norm, net.betas[l - 1]);
      tap(l, 'h', h);
      const a = h.map((r) => r.map(phi[net.act]));
      tap(l, 'a', a);
      const r = times(a, W[l]);
      x = x.map((row, b) => row.map((u, j) => u + net.alpha! * r[b][j]));
    } else {
      const z = times(x, W[l]);
      tap(l, 'z', z);
      const h = normalize(z, net.norm, net.betas[l - 1]);
      tap(l, 'h', h);
      x = h.map((r) => r.map(phi[net.act]));
      tap(l, 'a', x);
    }
    tap(l, 'x', x);
  }
  return x.reduce((s, row, b) => s + row.reduce((t, u, j) => t + u * net.g[b][j], 0), 0);
}

/** E[(∂L/∂v)²] over the entries of an intermediate, and E[G²] with G = (∂L/∂W)/B, by central differences. */
function gradients(net: Net) {
  const step = 1e-5, ms = (v: number[]) => v.reduce((s, u) => s + u * u, 0) / v.length;
  const of = (layer: number, stage: Stage) => {
    const values: number[] = [];
    for (let b = 0; b < net.B; b++) {
      for (let j = 0; j < net.n; j++) {
        const at = (d: number) => loss(net, net.W, (l, s, v) => { if (l === layer && s === stage) v[b][j] += d; });
        values.push((at(step) - at(-step)) / (2 * step));
      }
    }
    return ms(values);
  };
  const weight = (layer: number) => {
    const values: number[] = [];
    for (let j = 0; j < net.n; j++) {
      for (let k = 0; k < net.n; k++) {
        const at = (d: number) => loss(net, net.W.map((w, l) => (l === layer ? w.map((row, jj) => row.map((u, kk) => (jj === j && kk === k ? u + d : u))) : w)));
        values.push((at(step) - at(-step)) / (2 * step) / net.B);
      }
    }
    return ms(values);
  };
  return Array.from({ length: net.L }, (_, i) => ({
    grad_x_ex2: of(i + 1, 'x'), grad_a_ex2: of(i + 1, 'a'), grad_z_ex2: of(i + 1, 'h'), grad_w_ex2: weight(i + 1),
  }));
}

const B = 6, N = 5, L = 3;
const CASES: [NormName, number | undefined][] = [['batch', undefined], ['layer', undefined], ['nf', undefined], ['none', 0.6], ['batch', 0.6], ['layer', 0.6], ['nf', 0.6]];

describe('--backward through normalized and residual blocks', () => {
  it.each(CASES)('norm %s, residual %s: E[δx²], E[δa²], E[δh²] and E[G²] of every block equal float64 central differences (batch 6, width 5, depth 3; tanh, GELU; 2 shards)', async (norm, alpha) => {
    const patterns: PatternSpec[] = [{ name: 'A) Xavier + tanh', init: 'xavier', activation: 'tanh' }, { name: 'B) He + GELU', init: 'he', activation: 'gelu' }];
    const config = defaultConfig({ batch: B, width: N, depth: L, histLayers: [2], patterns, backward: true, norm, ...(alpha === undefined ? {} : { residual: alpha }) });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2), createKernel: () => loadNodeKernel('wasm-simd') });
    results.forEach((result, index) => {
      const p = patterns[index], rows = (flat: number[]) => Array.from({ length: flat.length / N }, (_, b) => flat.slice(b * N, (b + 1) * N));
      const std = weightStd(p.init, N, N, 1, 'in');
      const W = [[], ...Array.from({ length: L }, (_, i) => rows(draw(streamId(index, i + 1), N * N, std)))] as Matrix[];
      const s2 = N * std * std;
      const betas = residualStream(p.activation, norm, new Array(L).fill(s2), 0, alpha).map((b) => Math.sqrt(b.norm_input_ex2));
      const net: Net = { B, n: N, L, norm, alpha, act: p.activation as keyof typeof phi, x0: rows(draw(streamId(index, 0), B * N)), W, g: rows(draw(streamId(index, 0, 'gradient'), B * N)), betas };
      const expected = gradients(net);
      for (let l = 0; l < L; l++) {
        const keys: ('grad_a_ex2' | 'grad_z_ex2' | 'grad_w_ex2' | 'grad_x_ex2')[] = ['grad_a_ex2', 'grad_z_ex2', 'grad_w_ex2', ...(alpha === undefined ? [] : ['grad_x_ex2' as const])];
        // float32 forward and backward against float64: 1e-4 relative
        for (const key of keys) expect(Math.abs(result.layers[l][key]! / expected[l][key] - 1), `${result.name} block ${l + 1} ${key}`).toBeLessThan(1e-4);
      }
    });
  }, 60_000);
});

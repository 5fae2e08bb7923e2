import { describe, expect, it } from 'vitest';
import { lengthMap } from '../../src/theory/lengthMap.js';
import { residualStream } from '../../src/theory/residualStream.js';

// The residual stream's mean-field map against the closed forms the issue derives (Brock et al. 2021):
// He + ReLU (σw² = 2, V(1) = ½, M(1) = 1/√(2π)).
describe('the residual stream', () => {
  it('He + ReLU, α = 1, with batch, layer or nf normalization: E[x²] = 1 + l, and the squared channel mean grows by σw²·M(1)² = 1/π per block', () => {
    for (const norm of ['batch'] as const) {
      residualStream('relu', norm, new Array(100).fill(2), 0, 1).forEach((b, i) => {
        expect(b.x_ex2).toBeCloseTo(2 + i, 12);
        expect(b.x_sq_ch_mean!).toBeCloseTo((i + 1) / Math.PI, 12);
        expect(b.x_ch_var!).toBeCloseTo(2 + i - (i + 1) / Math.PI, 12);
        expect(b.h_ex2).toBe(1);
        // the branch r = φ(h)·Wᵀ: E[r²] = σw²·V(1) = 1, of which σw²·M(1)² = 1/π is channel mean
        expect(b.branch_ch_var!).toBeCloseTo(1 - 1 / Math.PI, 12);
      });
    }
  });

  it('with layer norm or nf, E[x²] = 1 + l too, but h keeps the stream\'s channel means, so the mean shift per block is σw²·E[φ(u)φ(u′)] at the channel-mean share c = x_sq_ch_mean/q: more than 1/π, and at most σw²·V(1) = 1', () => {
    const batch = residualStream('relu', 'batch', new Array(60).fill(2), 0, 1);
    for (const norm of ['layer', 'nf'] as const) {
      const blocks = residualStream('relu', norm, new Array(60).fill(2), 0, 1);
      blocks.forEach((b, i) => {
        expect(b.x_ex2).toBeCloseTo(2 + i, 12);
        expect(b.norm_input_ex2).toBeCloseTo(1 + i, 12);
        const before = i === 0 ? 0 : blocks[i - 1].x_sq_ch_mean!, share = i === 0 ? 0 : before / (1 + i);
        // the arc-cosine kernel at q = 1: (sin θ + (π − θ)·cos θ)/(2π), θ = acos c
        const theta = Math.acos(share), step = 2 * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta)) / (2 * Math.PI);
        expect(b.x_sq_ch_mean! - before).toBeCloseTo(step, 10);
        if (i > 0) expect(b.x_sq_ch_mean!).toBeGreaterThan(batch[i].x_sq_ch_mean!);
      });
    }
  });

  it('N\'s input: E[·²] and the channel variance batch norm divides by (plain: σw²·(q − x\'s squared channel means); residual: the stream\'s x_ch_var)', () => {
    const plain = residualStream('relu', 'batch', new Array(4).fill(2), 0.1);
    expect(plain[0]).toMatchObject({ norm_input_ex2: 2.1, norm_input_ch_var: 2 });
    for (const b of plain.slice(1)) expect(b.norm_input_ch_var).toBeCloseTo(2 * (0.5 - 1 / (2 * Math.PI)), 14);
    const stream = residualStream('relu', 'batch', new Array(5).fill(2), 0, 1);
    stream.forEach((b, i) => expect(b.norm_input_ch_var).toBe(i === 0 ? 1 : stream[i - 1].x_ch_var));
  });

  it('without normalization it grows geometrically: (1 + α²)ˡ for He + ReLU (α = 0.5), linearly with it (1 + l·α²·σw²·V(1))', () => {
    residualStream('relu', 'none', new Array(40).fill(2), 0, 0.5).forEach((b, i) => expect(b.x_ex2 / 1.25 ** (i + 1)).toBeCloseTo(1, 12));
    residualStream('relu', 'batch', new Array(40).fill(2), 0, 0.5).forEach((b, i) => expect(b.x_ex2).toBeCloseTo(1 + (i + 1) * 0.25, 12));
  });

  it('a bias adds α²·σb² to both E[x²] and the squared channel mean per block', () => {
    const withBias = residualStream('tanh', 'batch', new Array(10).fill(1), 0.09, 0.7), without = residualStream('tanh', 'batch', new Array(10).fill(1), 0, 0.7);
    withBias.forEach((b, i) => {
      expect(b.x_ex2 - without[i].x_ex2).toBeCloseTo((i + 1) * 0.49 * 0.09, 12);
      expect(b.x_sq_ch_mean! - without[i].x_sq_ch_mean!).toBeCloseTo((i + 1) * 0.49 * 0.09, 12);
    });
  });

  it('plain blocks: with normalization every block gives V(1), with channel means M(1) (batch norm) or the pair moment at the channel-mean share of z (layer norm, nf); without it the length map (channel means not predicted)', () => {
    for (const b of residualStream('relu', 'batch', new Array(5).fill(2), 0)) expect({ ...b, norm_input_ex2: 0, norm_input_ch_var: 0 }).toEqual({ x_ex2: 0.5, x_sq_ch_mean: 1 / (2 * Math.PI), x_ch_var: 0.5 - 1 / (2 * Math.PI), h_ex2: 1, norm_input_ex2: 0, norm_input_ch_var: 0 });
    // layer norm keeps z's channel means: ReLU at σw² = 2, σb² = 0 has share s_l = 2·x_sq_ch_mean/(2·½), and the next
    // block's squared channel mean is the arc-cosine pair moment at correlation s (Cho & Saul 2009, n = 1)
    const arcCosine = (c: number) => (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / (2 * Math.PI);
    let share = 0;
    for (const b of residualStream('relu', 'layer', new Array(5).fill(2), 0)) {
      expect(b.x_ex2).toBe(0.5);
      expect(b.x_sq_ch_mean!).toBeCloseTo(arcCosine(share), 14);
      share = b.x_sq_ch_mean! / 0.5;
    }
    const plain = residualStream('tanh', 'none', new Array(8).fill(1.5), 0.1), map = lengthMap('tanh', new Array(8).fill(1.5), 0.1);
    plain.forEach((b, i) => (expect(b.x_ex2).toBe(map[i].a_ex2), expect(b.h_ex2).toBe(map[i].z_ex2), expect(b.x_sq_ch_mean).toBeNull()));
  });
});

describe('batch norm over a finite batch: E[ā²] = M(1)² + shift/B and E[φ(ĥ)²] = V(1) + square/B', () => {
  it('closed forms: ReLU shift = ¼ − 1/(2π) (= 2·M·β + Var φ − a² − b²/2 with β = 1/(4√(2π)), a = ½, b = 1/√(2π)), square = 0 (φ² is homogeneous); identity: both 0, ĥ is exactly centred and scaled', async () => {
    const { batchNormTerms } = await import('../../src/theory/finiteBatch.js');
    const relu = batchNormTerms('relu');
    expect(relu.shift).toBeCloseTo(0.25 - 1 / (2 * Math.PI), 13);
    expect(relu.square).toBeCloseTo(0, 13);
    const identity = batchNormTerms('identity');
    expect(identity.shift).toBeCloseTo(0, 13);
    expect(identity.square).toBeCloseTo(0, 13);
  });
});

import { describe, expect, it } from 'vitest';
import { lengthMap } from '../src/theory/lengthMap.js';
import { residualStream } from '../src/theory/residualStream.js';

// The residual stream's mean-field map against the closed forms the issue derives (Brock et al. 2021):
// He + ReLU (σw² = 2, V(1) = ½, M(1) = 1/√(2π)).
describe('the residual stream', () => {
  it('He + ReLU, α = 1, with batch, layer or nf normalization: E[x²] = 1 + l, and the squared channel mean grows by σw²·M(1)² = 1/π per block', () => {
    for (const norm of ['batch', 'layer', 'nf'] as const) {
      residualStream('relu', norm, 2, 0, 100, 1).forEach((b, i) => {
        expect(b.x_ex2).toBeCloseTo(2 + i, 12);
        expect(b.x_sq_ch_mean!).toBeCloseTo((i + 1) / Math.PI, 12);
        expect(b.x_ch_var!).toBeCloseTo(2 + i - (i + 1) / Math.PI, 12);
        expect(b.h_ex2).toBe(1);
        // the branch r = φ(h)·Wᵀ: E[r²] = σw²·V(1) = 1, of which σw²·M(1)² = 1/π is channel mean
        expect(b.branch_ch_var!).toBeCloseTo(1 - 1 / Math.PI, 12);
      });
    }
  });

  it('without normalization it grows geometrically: (1 + α²)ˡ for He + ReLU (α = 0.5), linearly with it (1 + l·α²·σw²·V(1))', () => {
    residualStream('relu', 'none', 2, 0, 40, 0.5).forEach((b, i) => expect(b.x_ex2 / 1.25 ** (i + 1)).toBeCloseTo(1, 12));
    residualStream('relu', 'batch', 2, 0, 40, 0.5).forEach((b, i) => expect(b.x_ex2).toBeCloseTo(1 + (i + 1) * 0.25, 12));
  });

  it('a bias adds α²·σb² to both E[x²] and the squared channel mean per block', () => {
    const withBias = residualStream('tanh', 'layer', 1, 0.09, 10, 0.7), without = residualStream('tanh', 'layer', 1, 0, 10, 0.7);
    withBias.forEach((b, i) => {
      expect(b.x_ex2 - without[i].x_ex2).toBeCloseTo((i + 1) * 0.49 * 0.09, 12);
      expect(b.x_sq_ch_mean! - without[i].x_sq_ch_mean!).toBeCloseTo((i + 1) * 0.49 * 0.09, 12);
    });
  });

  it('plain blocks: with normalization every block gives V(1) with channel means M(1); without it the length map (channel means not predicted)', () => {
    for (const b of residualStream('relu', 'batch', 2, 0, 5)) expect(b).toEqual({ x_ex2: 0.5, x_sq_ch_mean: 1 / (2 * Math.PI), x_ch_var: 0.5 - 1 / (2 * Math.PI), h_ex2: 1 });
    const plain = residualStream('tanh', 'none', 1.5, 0.1, 8), map = lengthMap('tanh', new Array(8).fill(1.5), 0.1);
    plain.forEach((b, i) => (expect(b.x_ex2).toBe(map[i].a_ex2), expect(b.h_ex2).toBe(map[i].z_ex2), expect(b.x_sq_ch_mean).toBeNull()));
  });
});

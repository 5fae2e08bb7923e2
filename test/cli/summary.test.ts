import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import type { PatternResult } from '../../src/metrics/results.js';
import { patternSummary, runLine, sig4 } from '../../src/metrics/summary.js';

const fixture = (name: string): PatternResult[] => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')).patterns;

describe('the console summary', () => {
  it('prints 4 significant digits, scientific below 1e-3, so a 10⁻⁶ decay shows', () => {
    expect([0.99842, 1, 16, 0.015625, 0.0009537, 9.5367e-7, 0, -2.5e-5].map(sig4)).toEqual(['0.9984', '1.000', '16.00', '0.01563', '9.537e-4', '9.537e-7', '0.000', '-2.500e-5']);
    expect([null, undefined, NaN, Infinity, -Infinity].map(sig4)).toEqual(['nan', 'nan', 'nan', 'inf', '-inf']);
  });

  it('the [RUN] line shows --widths as given, and says what --seeds prints', () => {
    expect(runLine(defaultConfig({ widths: [32, 64, 16], batch: 64 }), 'wasm-simd', 2)).toBe('[RUN] kernel=wasm-simd  threads=2  batch=64 widths=32,64,16 seed=0');
    expect(runLine(defaultConfig({ seeds: 3, backward: true }), 'wasm-simd', 1)).toMatch(/seeds=3 \(per layer: the median over seeds; E\[a\^2\] with its 10–90% band; gradients: the first seed\)$/);
  });

  it('with --backward each layer adds E[δz²], E[δa²], E[G²] and χ; with --seeds the medians and E[a²]\'s band', () => {
    const backward = patternSummary(fixture('backward-run.json')[2]);
    expect(backward).toMatch(/\[L01\] .* E\[dz\^2\]=\S+ {2}E\[da\^2\]=\S+ {2}E\[G\^2\]=\S+$/m);
    expect(backward).toMatch(/\[L05\] .* chi=\d\.\d{3}/);
    const seeded = patternSummary(fixture('seeds-run.json')[0]);
    expect(seeded).toMatch(/\[L01\] E\[z\^2\]=\S+ {2}E\[a\^2\]=\S+ \(10–90%: \S+ … \S+\)/);
  });

  it('blocks with a norm or a residual show the stream: E[x²] of the block\'s output and its channel statistics, not only φ\'s input (which batch norm pins at 1)', () => {
    const blocks = fixture('blocks-run.json');
    const batch = blocks.find((p) => p.name.includes('batch norm'))!;
    const text = patternSummary(batch);
    const first = batch.layers[0];
    expect(text).toContain(`[L01] E[x^2]=${sig4(first.x_ex2)} (ch_mean^2=${sig4(first.x_sq_ch_mean)} ch_var=${sig4(first.x_ch_var)})  E[z^2]=`);
    // the stream grows by about α² per block (1 + l), while E[z^2] stays at 1
    expect(first.x_ex2).toBeCloseTo(first.x_sq_ch_mean! + first.x_ch_var!, 12);
    // plain runs are unchanged
    expect(patternSummary(fixture('backward-run.json')[2])).not.toContain('E[x^2]=');
  });
});

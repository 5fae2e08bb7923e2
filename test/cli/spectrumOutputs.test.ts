// --spectrum's outputs beyond one run's record: the seeds' band in metrics.json, and the sweep's points.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const run = (args: string[]) => {
  const out = mkdtempSync(join(tmpdir(), 'rsc-spectrum-out-'));
  const r = spawnSync(process.execPath, [CLI, ...args, '--out', out, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return out;
};

describe('--spectrum outputs', () => {
  it('with --seeds every seed takes the spectrum: metrics.json\'s spectrum gains a band per layer (10/50/90% of var/mean² and of the largest eigenvalue), the first seed near its range', () => {
    const out = run(['--spectrum', '--seeds', '4', '--batch', '32', '--width', '24', '--depth', '5', '--hist-layers', '2,5', '--pattern', 'he:relu', '--pattern', 'xavier:tanh']);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    for (const p of metrics.patterns) {
      const { layers, bands } = p.spectrum;
      expect(bands.map((b: { layer: number }) => b.layer)).toEqual([2, 5]);
      bands.forEach((b: { spread: Record<string, number>; eig_max: Record<string, number> }, i: number) => {
        const first = layers[i].eig_var / layers[i].eig_mean ** 2;
        expect(b.spread.p10).toBeLessThanOrEqual(b.spread.median);
        expect(b.spread.median).toBeLessThanOrEqual(b.spread.p90);
        // the first seed is one of the four, so it lies within their full range, which the band's type-7 quantiles nearly span
        expect(first).toBeGreaterThan(b.spread.p10 - (b.spread.p90 - b.spread.p10));
        expect(first).toBeLessThan(b.spread.p90 + (b.spread.p90 - b.spread.p10));
        expect(b.eig_max.p10).toBeLessThanOrEqual(b.eig_max.p90);
        expect(b.spread.p90 - b.spread.p10).toBeGreaterThan(0);
      });
    }
  });

  it('a sweep with --spectrum: each point carries the last layer\'s var/mean² and largest eigenvalue with their theory, equal to a single run\'s at that point', () => {
    const out = run(['sweep', '--spectrum', '--pattern', 'orthogonal:tanh', '--gain', '0.9,1.2', '--bias-std', '0.05', '--depth', '6', '--batch', '32', '--width', '24']);
    const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(sweep.points).toHaveLength(2);
    for (const point of sweep.points) {
      expect(Object.keys(point.spectrum)).toEqual(['layer', 'inputs', 'spread', 'eig_max', 'theory']);
      expect(point.spectrum.layer).toBe(6);
      const single = run(['--spectrum', '--pattern', 'orthogonal:tanh', '--gain', String(point.gain), '--bias-std', '0.05', '--depth', '6', '--batch', '32', '--width', '24', '--hist-layers', '6']);
      const layer = JSON.parse(readFileSync(join(single, 'metrics.json'), 'utf8')).patterns[0].spectrum.layers[0];
      expect(point.spectrum.spread).toBe(layer.eig_var / layer.eig_mean ** 2);
      expect(point.spectrum.eig_max).toBe(layer.eig_max);
      expect(point.spectrum.theory.spread).toBe(layer.theory.eig_var / layer.theory.eig_mean ** 2);
      expect(point.spectrum.theory.eig_max).toBe(layer.theory.eig_max);
    }
    // isometry is nearer at the smaller gain: its spread is the smaller
    expect(sweep.points[0].spectrum.theory.spread).toBeLessThan(sweep.points[1].spectrum.theory.spread);
  });
});

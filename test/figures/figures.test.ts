import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PatternResult } from '../../src/metrics/results.js';
import { phaseFigure } from '../../src/figures/phaseFigure.js';
import { sweepFigure } from '../../src/figures/sweepFigure.js';
import { sweepFigureSet } from '../../src/figures/sweepFigureSet.js';
import { benchFigure } from '../../src/figures/benchFigure.js';
import { depthFigure } from '../../src/figures/depthFigure.js';
import { sppFigure } from '../../src/figures/sppFigure.js';
import { tokensChart } from '../../src/figures/tokensFigure.js';
import { gradientChart } from '../../src/figures/gradientFigure.js';
import { comparisonChart } from '../../src/figures/comparisonFigure.js';
import { lineFigure } from '../../src/figures/lineFigure.js';
import { figureSet, histogramFileName } from '../../src/figures/figureSet.js';
import { jsdomDocument } from '../../src/figures/jsdomDocument.js';
import { rasterize } from '../../src/figures/rasterize.js';
import { serializeSvg } from '../../src/figures/serializeSvg.js';
import { decodePngSize } from '../helpers/png.js';
import { expectWellFormedXml } from '../helpers/xml.js';

const SNAPSHOTS = join(import.meta.dirname, '..', 'snapshots');
let patterns: PatternResult[];

/** Numbers rounded to 1 decimal so snapshots survive harmless last-digit changes. */
function normalize(svg: string): string {
  return svg.replace(/-?\d+\.\d+/g, (m) => (Math.round(Number(m) * 10) / 10).toFixed(1));
}

/** Compares with test/snapshots/NAME.svg; on a difference writes NAME-changed.svg next to it. */
function expectSnapshot(name: string, svg: string): void {
  const expectedPath = join(SNAPSHOTS, `${name}.svg`);
  const actual = normalize(svg);
  if (!existsSync(expectedPath)) {
    if (!process.env.UPDATE_SNAPSHOTS) throw new Error(`missing snapshot ${expectedPath} (run with UPDATE_SNAPSHOTS=1 to create it)`);
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(expectedPath, actual);
  }
  const expected = readFileSync(expectedPath, 'utf8');
  if (expected !== actual) writeFileSync(join(SNAPSHOTS, `${name}-changed.svg`), actual);
  expect(actual === expected, `${name}.svg differs from its snapshot; see ${name}-changed.svg`).toBe(true);
}

// Figures draw committed results (test/fixtures/, metrics.json of small CLI runs), not a live run:
//   backward-run.json  --batch 64 --width 32 --depth 6 --bins 12 --backward
//   seeds-run.json     --seeds 3 --batch 64 --width 32 --depth 6 --bins 12 --pattern he:relu --pattern xavier:tanh --pattern he:leaky_relu --leaky-alpha 0 --backward
//   depth-run.json     --batch 64 --width 32 --depth 6 --bins 12 --hist-layers all --pattern he:relu --pattern xavier:tanh
//   bench-bars.json    the benchmark figure's input
//   sweep-phase.json   sweep --pattern xavier:tanh --pattern he:relu --gain 0.5:2.5:5 --bias-std 0:0.3:3 --depth 8 --batch 64 --width 32 --input-corr 0.5
//   sweep-width.json   sweep --pattern he:relu --pattern xavier:tanh --width 16,32,64,128 --seeds 3 --depth 6 --batch 64 --input-corr 0.3
//   attention-compare.json  [{ label, result }] of --block attention --pattern xavier:identity --heads 2 --seq-len 8 --batch 64 --width 16 --depth 6: no skip; --residual 1 --qk-gain 0; --causal
//   sweep-attention-phase.json  sweep --block transformer --seq-len 8 --batch 64 --width 16 --depth 4 --heads 2 --norm layer --pattern he:relu --residual 0.5,1 --qk-gain 0:2:3
//   sweep-attention-gain.json   sweep --block attention --seq-len 8 --batch 64 --width 16 --depth 4 --heads 2 --residual 1 --pattern he:relu --pattern xavier:identity --qk-gain 0:2:3 --seeds 3
//   spectrum-run.json  --spectrum --spectrum-inputs 4 --batch 64 --width 32 --depth 6 --bins 12 --seeds 3 --pattern he:relu --pattern xavier:relu --pattern xavier:tanh --pattern he:gelu
//   attention-run.json --block attention --seq-len 8 --batch 64 --width 32 --depth 6 --bins 12 --heads 2 --qk-gain 0 --residual 1 --seeds 3 --pattern xavier:identity --pattern he:relu
//   blocks-run.json    --seeds 3 --batch 64 --width 32 --depth 8 --bins 12 --residual 1 --pattern he:relu:none --pattern he:relu:batch --pattern he:relu:nf --pattern xavier:tanh:layer --backward --hist-layers 8
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
let seeded: PatternResult[];

/** Each figure module and a snapshot drawn with it: every figure has one. */
const SNAPSHOT_OF: Record<string, string> = {
  histogramFigure: 'hist_C)_He_+_ReLU',
  ex2Figure: 'relu_spread_check_ex2',
  reluRatioFigure: 'relu_spread_check_relu_ratio',
  zeroFractionFigure: 'relu_zero_fraction',
  zex2Figure: 'relu_spread_check_zex2',
  gradientFigure: 'relu_spread_check_grad',
  finiteWidthFigure: 'finite_width_C)_He_+_ReLU',
  benchFigure: 'bench',
  depthFigure: 'depth_A)_He_+_ReLU',
  corrFigure: 'relu_spread_check_corr',
  cMapFigure: 'c_map_C)_He_+_ReLU',
  phaseFigure: 'phase_A)_Xavier_+_tanh',
  sweepFigure: 'sweep_width',
  sppFigure: 'blocks_spp_he_relu',
  jacobianFigure: 'relu_spread_check_jacobian',
  spectrumFigure: 'spectrum_A)_He_+_ReLU',
  tokensFigure: 'tokens_A)_Xavier_+_Identity',
  comparisonFigure: 'comparison_token_corr',
};

describe('figures', () => {
  beforeAll(() => {
    patterns = fixture('backward-run.json').patterns;
    seeded = fixture('seeds-run.json').patterns;
  });

  it('figureSet names the original six figures as the original does, then E[z²], the correlation, the gradient, the finite-width law and the c-maps', () => {
    expect(figureSet(patterns).map((j) => j.name)).toEqual([
      'hist_A)_Xavier_+_Identity',
      'hist_B)_Xavier_+_ReLU',
      'hist_C)_He_+_ReLU',
      'relu_spread_check_ex2',
      'relu_spread_check_relu_ratio',
      'relu_zero_fraction',
      'relu_spread_check_zex2',
      'relu_spread_check_corr',
      'relu_spread_check_grad',
      'finite_width_C)_He_+_ReLU',
      'c_map_A)_Xavier_+_Identity',
      'c_map_B)_Xavier_+_ReLU',
      'c_map_C)_He_+_ReLU',
    ]);
    expect(histogramFileName('X / Y')).toBe('hist_X___Y');
  });

  it('each figure matches its SVG snapshot: the backward run, the 3-seed run with log counts (bands, leaky α = 0, SELU-free), the benchmark', () => {
    const document = jsdomDocument();
    for (const job of figureSet(patterns)) expectSnapshot(job.name, serializeSvg(job.build({ document })));
    for (const job of figureSet(seeded, { logCounts: true })) expectSnapshot(`seeds_${job.name}`, serializeSvg(job.build({ document })));
    expectSnapshot('bench', serializeSvg(benchFigure(fixture('bench-bars.json'), { document })));
  });

  it('--spectrum adds the Jacobian figure after the gradient one: E‖J‖²/n₀ per layer over its theory, every pattern with a marker per layer', () => {
    const spectrum = fixture('spectrum-run.json').patterns as PatternResult[];
    const jobs = figureSet(spectrum);
    expect(jobs.map((j) => j.name).filter((n) => n.includes('jacobian'))).toEqual(['relu_spread_check_jacobian']);
    const job = jobs.find((j) => j.name === 'relu_spread_check_jacobian')!;
    const svg = job.build({ document: jsdomDocument() });
    expectSnapshot(job.name, serializeSvg(svg));
    expect(job.chart!.series.filter((s) => !s.dashed)).toHaveLength(4);
    expect(figureSet(patterns).some((j) => j.name.includes('jacobian'))).toBe(false);
    // and per pattern its spectrum at the histogram layers, on the page's Spectrum tab
    const spectra = jobs.filter((j) => j.name.startsWith('spectrum_') && j.name !== 'spectrum_depth' && j.name !== 'spectrum_edge');
    expect(spectra.map((j) => j.name)).toEqual(['spectrum_A)_He_+_ReLU', 'spectrum_B)_Xavier_+_ReLU', 'spectrum_C)_Xavier_+_tanh', 'spectrum_D)_He_+_GELU']);
    // the spread across depth, measured over free probability's line, on the same tab
    const depth = jobs.find((j) => j.name === 'spectrum_depth')!;
    expect(depth.panels).toEqual(['spectrum']);
    expectSnapshot('spectrum_depth', serializeSvg(depth.build({ document: jsdomDocument() })));
    // and the largest eigenvalue across depth over the support's right edge, with the seeds' band
    const edge = jobs.find((j) => j.name === 'spectrum_edge')!;
    expect(edge.panels).toEqual(['spectrum']);
    expect(edge.chart!.series.filter((s) => !s.dashed).every((s) => s.band && s.band.length === s.points.length)).toBe(true);
    expectSnapshot('spectrum_edge', serializeSvg(edge.build({ document: jsdomDocument() })));
    expect(depth.chart!.series.filter((s) => !s.dashed).map((s) => s.points.length)).toEqual([3, 3, 3, 3]);
    expect(spectra.every((j) => j.panels.length === 1 && j.panels[0] === 'spectrum')).toBe(true);
    const first = spectra[0].build({ document: jsdomDocument() });
    expectSnapshot(spectra[0].name, serializeSvg(first));
    // one panel per histogram layer (1, 5, 6), each with its bars and both means
    expect(first.querySelectorAll('.panel')).toHaveLength(3);
    expect(first.querySelectorAll('.measured-mean')).toHaveLength(3);
    expect(first.querySelectorAll('.theory-mean')).toHaveLength(3);
    // every layer has the support's right edge and the density curve (tanh's by the continuous law of D², too)
    expect(first.querySelectorAll('.theory-edge')).toHaveLength(3);
    expect(first.querySelectorAll('.theory-density')).toHaveLength(3);
    const tanh = spectra[2].build({ document: jsdomDocument() });
    expect(tanh.querySelectorAll('.theory-edge')).toHaveLength(3);
    expect(tanh.querySelectorAll('.theory-density')).toHaveLength(3);
  });

  it("a sweep's figures: phase_<pattern> per pattern for a 2-D sweep, with the χ₁ = 1 line; sweep_<option> for a 1-D one, a width sweep with the seeds' spread", () => {
    const document = jsdomDocument();
    const phase = fixture('sweep-phase.json'), width = fixture('sweep-width.json');
    expect(sweepFigureSet(phase).map((j) => j.name)).toEqual(['phase_A)_Xavier_+_tanh', 'phase_B)_He_+_ReLU']);
    expect(sweepFigureSet(width).map((j) => j.name)).toEqual(['sweep_width']);
    for (const job of [...sweepFigureSet(phase), ...sweepFigureSet(width)]) expectSnapshot(job.name, serializeSvg(job.build({ document })));
    // a phone's width: the panels stacked, a short title, the current point ringed
    const narrow = phaseFigure(phase, 'A) Xavier + tanh', { document, width: 370 }, { x: 1, y: 0.04 });
    expectSnapshot('phase_narrow_current', serializeSvg(narrow));
    expect(narrow.querySelectorAll('circle.current')).toHaveLength(2);
    const svg = phaseFigure(phase, 'A) Xavier + tanh', { document });
    // 5 gains × 3 biases in each of the two heat maps, and the critical line on both
    expect(svg.querySelectorAll('.cell')).toHaveLength(2 * 15);
    expect(svg.querySelectorAll('path.critical')).toHaveLength(2);
    expect(sweepFigure(width, { document }).querySelectorAll('.panel')).toHaveLength(3);
  });

  it('the gradient chart promises a dashed theory only where one is drawn: without any (a transformer block\'s MLP) its note says so', () => {
    expect(gradientChart(patterns).note).toMatch(/^dashed: mean-field χ/);
    const bare = patterns.map((p) => ({ ...p, layers: p.layers.map((l) => ({ ...l, theory: undefined })) })) as PatternResult[];
    const chart = gradientChart(bare);
    expect(chart.note).toBe('No theory drawn: the mean-field χ chain is the MLP blocks\', and attention blocks have none here.');
    expect(chart.extraLegend).toBeUndefined();
  });

  it('runs of different configurations on one chart: each run its colour and marker over its dashed theory, and a note naming the run without one (causal) and why', () => {
    const document = jsdomDocument(), runs = fixture('attention-compare.json');
    const chart = comparisonChart(runs);
    const svg = lineFigure(chart, { document });
    expectSnapshot('comparison_token_corr', serializeSvg(svg));
    expect(Array.from(svg.querySelectorAll('.markers')).map((m) => m.getAttribute('data-name')).sort()).toEqual(['causal', 'no skip', 'α = 1, qk-gain 0']);
    expect(new Set(Array.from(svg.querySelectorAll('.marker')).map((m) => m.getAttribute('data-marker'))).size).toBe(3);
    expect(svg.querySelectorAll('.markers .marker')).toHaveLength(3 * 6);
    expect(Array.from(svg.querySelectorAll('.series.theory')).map((t) => t.getAttribute('data-name'))).toEqual(['no skip (theory)', 'α = 1, qk-gain 0 (theory)']);
    expect(chart.note).toBe('No theory drawn for causal: causal mask (each token sees its own prefix).');
    expect(comparisonChart(runs, 'attn_entropy').series.filter((s) => s.dashed)).toHaveLength(2);
    expect(comparisonChart(runs.slice(0, 2)).note).toBe('dashed: infinite-width theory; a width-n run lies below it by O(1/n)');
  });

  it("an attention sweep's figures: the phase diagram over residual × qk-gain shows token_corr and attn_entropy with the theory's 0.5 contour; a qk-gain sweep draws both against g over their theory", () => {
    const document = jsdomDocument();
    const phase = fixture('sweep-attention-phase.json'), gain = fixture('sweep-attention-gain.json');
    const jobs = [...sweepFigureSet(phase), ...sweepFigureSet(gain)];
    expect(jobs.map((j) => j.name)).toEqual(['phase_A)_He_+_ReLU', 'sweep_qk_gain']);
    for (const job of jobs) expectSnapshot(`attention_${job.name}`, serializeSvg(job.build({ document })));
    const svg = jobs[0].build({ document });
    const titles = Array.from(svg.querySelectorAll('.panel > text[font-weight="bold"]')).map((t) => t.textContent);
    expect(titles).toEqual(["token_corr: mean pair cosine of a sequence's tokens", "attn_entropy: attention rows' entropy / log T"]);
    // 2 residuals × 3 gains in each heat map; no χ₁ line; token_corr's theory crosses 0.5 between g = 1 and 2 in both rows
    expect(svg.querySelectorAll('.cell')).toHaveLength(2 * 6);
    expect(svg.querySelectorAll('path.critical')).toHaveLength(0);
    const contour = svg.querySelectorAll('.panel')[0].querySelector('.theory-contour')!.getAttribute('d')!;
    expect(contour.match(/M/g)).toHaveLength(1);
    expect(svg.querySelectorAll('.theory-note')).toHaveLength(1);
    expect(svg.querySelectorAll('.no-theory')).toHaveLength(0);
    // without theory at a point (a causal mask), no contour and the note says so
    const bare = phaseFigure({ ...phase, points: phase.points.map((p: { last: object }) => ({ ...p, last: { ...p.last, theory: undefined } })) }, 'A) He + ReLU', { document });
    expect(bare.querySelectorAll('.theory-contour')).toHaveLength(0);
    expect(bare.querySelector('.no-theory')!.textContent).toBe('measured only: no theory here');
    const cells = Array.from(svg.querySelectorAll('.panel')[0].querySelectorAll('.cell'));
    expect(cells.map((c) => Number(c.getAttribute('data-value')))).toEqual(phase.points.map((p: { last: { token_corr: number } }) => p.last.token_corr));
    const line = jobs[1].build({ document });
    expect(Array.from(line.querySelectorAll('.panel > text[font-weight="bold"]')).map((t) => t.textContent)).toEqual(titles);
    // two patterns, each over its dashed theory, in both panels
    expect(line.querySelectorAll('.series.theory')).toHaveLength(2 * 2);
  });

  it('residual blocks with norms: one Signal Propagation Plot per INIT:ACT (three panels, its norms overlaid with seed bands and dashed theory), stacked at a phone\'s width; the gradient figure shows the stream', () => {
    const blocks: PatternResult[] = fixture('blocks-run.json').patterns;
    const document = jsdomDocument();
    const jobs = figureSet(blocks);
    expect(jobs.map((j) => j.name).filter((n) => n.startsWith('spp_'))).toEqual(['spp_he_relu', 'spp_xavier_tanh']);
    expect(figureSet(patterns).some((j) => j.name.startsWith('spp_'))).toBe(false);
    for (const job of jobs.filter((j) => j.name.startsWith('spp_') || j.name === 'relu_spread_check_grad')) expectSnapshot(`blocks_${job.name}`, serializeSvg(job.build({ document })));
    const spp = jobs.find((j) => j.name === 'spp_he_relu')!.build({ document });
    const panels = Array.from(spp.querySelectorAll(':scope > svg'));
    // no norm explodes ((1 + α²)ˡ = 256 at block 8 against 9 with a norm): it gets a row of panels of its own
    expect(panels.map((p) => Array.from(p.querySelectorAll('text[font-weight="bold"]')).map((t) => t.textContent).join(' '))).toEqual(['average squared channel mean', 'average channel variance', 'residual branch: average channel variance',
      'average squared channel mean (own scale)', 'average channel variance (own scale)', 'residual branch: average channel variance (own scale)']);
    // per panel: batch and NF on a common linear scale, then none on its own; each measured (with its band) and theory
    panels.forEach((panel, i) => {
      const count = i < 3 ? 2 : 1;
      expect(panel.querySelectorAll('g.series:not(.theory)')).toHaveLength(count);
      expect(panel.querySelectorAll('g.series.theory')).toHaveLength(count);
      expect(panel.querySelectorAll('path.band')).toHaveLength(count);
    });
    expect(Array.from(panels[1].querySelectorAll('g.series:not(.theory)')).map((g) => g.getAttribute('data-name'))).toEqual(['B) He + ReLU, batch norm (median of 3 seeds)', 'C) He + ReLU, NF (median of 3 seeds)']);
    const narrow = sppFigure(blocks, (p) => p.init === 'he', 'SPP', { document, width: 360 });
    expectSnapshot('blocks_spp_narrow', serializeSvg(narrow));
    const ys = Array.from(narrow.querySelectorAll(':scope > svg')).map((p) => Number(p.getAttribute('y')));
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThan(ys[i - 1]);
    const grad = jobs.find((j) => j.name === 'relu_spread_check_grad')!.build({ document });
    expect(Array.from(grad.querySelectorAll('text')).map((t) => t.textContent)).toContain('A) He + ReLU, no norm: stream δx (median of 3 seeds)');
  });

  it('with every layer histogrammed, figureSet adds the depth view; it draws one row of cells per layer and bin, at any width, with the page\'s highlight', () => {
    const depthRun: PatternResult[] = fixture('depth-run.json').patterns;
    const document = jsdomDocument();
    const jobs = figureSet(depthRun);
    expect(jobs.map((j) => j.name).filter((n) => n.startsWith('depth_'))).toEqual(['depth_A)_He_+_ReLU', 'depth_B)_Xavier_+_tanh']);
    expect(figureSet(patterns).some((j) => j.name.startsWith('depth_'))).toBe(false);
    for (const job of jobs.filter((j) => j.name.startsWith('depth_'))) expectSnapshot(job.name, serializeSvg(job.build({ document })));
    const narrow = depthFigure(depthRun[1], { document, width: 360 }, { highlightLayer: 4 });
    expectSnapshot('depth_narrow_highlight', serializeSvg(narrow));
    expect(narrow.getAttribute('width')).toBe('360');
    expect(narrow.querySelectorAll('.highlight')).toHaveLength(2);
    // tanh's values are never 0: a cell for each nonempty bin inside ±4 RMS, in both strips
    const nonempty = (which: 'z' | 'a') => depthRun[1].histograms.reduce((t, h) => {
      const rms = Math.sqrt(depthRun[1].layers[h.layer - 1].z_ex2);
      return t + h[which].counts.filter((c, b) => c > 0 && h[which].edges[b + 1] / rms >= -4 && h[which].edges[b] / rms <= 4).length;
    }, 0);
    expect(narrow.querySelectorAll('.cells-z rect')).toHaveLength(nonempty('z'));
    expect(narrow.querySelectorAll('.cells-a rect')).toHaveLength(nonempty('a'));
  });

  it('--seq-len adds tokens_<pattern> on the Transformer tab: token_corr over its theory and attn_entropy, each with its seed band; without theory, a note says why', () => {
    const attention = fixture('attention-run.json').patterns as PatternResult[];
    const jobs = figureSet(attention).filter((j) => j.name.startsWith('tokens_'));
    expect(jobs.map((j) => [j.name, j.panels])).toEqual([['tokens_A)_Xavier_+_Identity', ['tokens']], ['tokens_B)_He_+_ReLU', ['tokens']]]);
    const svg = jobs[0].build({ document: jsdomDocument() });
    expectSnapshot(jobs[0].name, serializeSvg(svg));
    const chart = jobs[0].chart!;
    // each measured series over its dashed theory, and a note that the theory is the infinite-width one
    expect(chart.series.map((s) => [s.dashed ?? false, s.band?.length ?? 0, s.marker])).toEqual([[false, 6, 'circle'], [true, 0, undefined], [false, 6, 'square'], [true, 0, undefined]]);
    expect(chart.note).toBe('dashed: infinite-width theory; a width-n run lies below it by O(1/n)');
    const bare: PatternResult = { ...attention[0], layers: attention[0].layers.map(({ theory: _, ...l }) => l), no_theory: 'causal mask (each token sees its own prefix)' };
    const noted = tokensChart(bare);
    expect(noted.series.some((s) => s.dashed)).toBe(false);
    expect(noted.note).toBe('No theory drawn: causal mask (each token sees its own prefix).');
    expect(figureSet(patterns).some((j) => j.name.startsWith('tokens_'))).toBe(false);
    // --backward: the four projections' E[G²] on a log axis, beside the tokens figure
    const withGradients: PatternResult = { ...attention[0], layers: attention[0].layers.map((l, i) => ({ ...l, grad_wq_ex2: 10 ** -i, grad_wk_ex2: 2 * 10 ** -i, grad_wv_ex2: 1e-4, grad_wo_ex2: 2e-4 })) };
    const grads = figureSet([withGradients]).filter((j) => j.name.startsWith('tokens_grad_'));
    expect(grads.map((j) => [j.name, j.panels, j.chart!.yScale, j.chart!.series.map((s) => s.name)])).toEqual([['tokens_grad_A)_Xavier_+_Identity', ['tokens'], 'log', ['W_Q', 'W_K', 'W_V', 'W_O']]]);
    expect(grads[0].build({ document: jsdomDocument() }).querySelectorAll('g.series')).toHaveLength(4);
  });

  it('every figure module has a snapshot', () => {
    const modules = readdirSync(join(import.meta.dirname, '..', '..', 'src', 'figures')).filter((f) => /Figure\.ts$/.test(f) && f !== 'lineFigure.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(modules.sort()).toEqual(Object.keys(SNAPSHOT_OF).sort());
    for (const name of Object.values(SNAPSHOT_OF)) expect(existsSync(join(SNAPSHOTS, `${name}.svg`)), name).toBe(true);
  });

  it('every SVG is well-formed XML: each figure as serialized, the snapshots and the committed figures/', () => {
    const document = jsdomDocument();
    for (const job of figureSet(patterns)) expectWellFormedXml(serializeSvg(job.build({ document })), job.name);
    for (const dir of [SNAPSHOTS, join(import.meta.dirname, '..', '..', 'figures')]) {
      const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg') && !f.endsWith('-changed.svg'));
      expect(svgs.length, dir).toBeGreaterThan(0);
      for (const f of svgs) expectWellFormedXml(readFileSync(join(dir, f), 'utf8'), join(dir, f));
    }
  });

  it('titles, labels, legends and bars are what the original shows', () => {
    const document = jsdomDocument();
    const fig = Object.fromEntries(figureSet(patterns).map((j) => [j.name, j.build({ document })]));
    const histB = fig['hist_B)_Xavier_+_ReLU'], ex2 = fig.relu_spread_check_ex2;
    const ratio = fig.relu_spread_check_relu_ratio, zeros = fig.relu_zero_fraction;
    const texts = (svg: SVGSVGElement) => Array.from(svg.querySelectorAll('text')).map((t) => t.textContent);
    expect(texts(histB)).toContain('B) Xavier + ReLU  layer=5  z (pre-activation)');
    expect(texts(histB)).toContain('B) Xavier + ReLU  layer=6  a (activation)');
    // 3 histogram layers (1, 5, 6) × 2 panels × 12 bins
    expect(histB.querySelectorAll('.bars rect')).toHaveLength(3 * 2 * 12);
    expect(texts(ex2)).toEqual(expect.arrayContaining(['Propagation of E[a^2] across layers', 'layer', 'E[a^2]', 'A) Xavier + Identity', 'C) He + ReLU', '10⁰']));
    expect(texts(ratio)).toContain('ReLU shrink factor: E[ReLU(z)^2] / E[z^2] (should be ~0.5)');
    expect(texts(ratio)).not.toContain('A) Xavier + Identity');
    expect(texts(zeros)).toContain('ReLU sparsity: fraction of zeros in activation');
    // three measured lines and three dashed theory lines, one legend entry for all theory
    expect(ex2.querySelectorAll('g.series')).toHaveLength(6);
    expect(texts(ex2)).toContain('dashed: mean-field theory');
    // the analytic law over every histogram panel, and ReLU's point mass marked
    expect(histB.querySelectorAll('path.density')).toHaveLength(3 * 2);
    expect(histB.querySelectorAll('path.atom')).toHaveLength(3);
  });

  it('every PNG decodes to the size of its SVG, rendered with the bundled font', () => {
    const document = jsdomDocument();
    for (const job of figureSet(patterns)) {
      const svg = job.build({ document });
      const png = rasterize(serializeSvg(svg));
      expect(decodePngSize(png)).toEqual({ width: Number(svg.getAttribute('width')), height: Number(svg.getAttribute('height')) });
    }
    // same bytes twice: nothing depends on the machine's fonts or time
    const text = serializeSvg(figureSet(patterns)[3].build({ document }));
    expect(Buffer.compare(rasterize(text), rasterize(text))).toBe(0);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTIONS, type OptionSpec } from '../../src/model/optionTable.js';
import { FIRST_GROW_MS } from '../../src/web/runController.js';
import { browserRequired, findChromium, HOW_TO_ENABLE, servePage } from '../helpers/browser.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OUTPUT = join(ROOT, 'test-output');
let baseUrl: string;
let context: BrowserContext;
let closePage: () => Promise<void>;

async function openPage(query: string, viewport = { width: 1200, height: 900 }): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${baseUrl}?${query}`);
  await page.waitForFunction(() => ['done', 'error', 'invalid'].includes(document.body.dataset.state ?? ''), null, { timeout: 90_000 });
  return page;
}

/** metrics.json of a CLI run with these options (SVG only, quiet), which must succeed. */
function cliMetricsOf(args: string[]): string {
  const out = mkdtempSync(join(tmpdir(), 'rsc-cli-'));
  const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args, '--format', 'svg', '--quiet', '--out', out]);
  expect(cli.status).toBe(0);
  return readFileSync(join(out, 'metrics.json'), 'utf8');
}

/** Each figure card in `panel`: whether its SVG fits the card, its CSS width ÷ drawn width, its tick text's rendered size, whether its buttons overlap. */
function figureSizes(page: Page, panel: string) {
  return page.$$eval(`${panel} .figure`, (els) => els.map((card) => {
    const svg = card.querySelector(':scope > svg') as SVGSVGElement, box = svg.getBoundingClientRect(), inner = card.getBoundingClientRect();
    const scale = box.width / Number(svg.getAttribute('width'));
    const ticks = [...svg.querySelectorAll('.tick text')].map((t) => Number(getComputedStyle(t).fontSize.replace('px', '')) * scale);
    const buttons = [...card.querySelectorAll('.downloads button')].map((b) => b.getBoundingClientRect());
    const overlap = buttons.some((a, i) => a.right > inner.right + 0.5 || buttons.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
    // texts cut off by the drawing's edge
    const cut = [...svg.querySelectorAll('text')].filter((t) => {
      const r = t.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1);
    }).map((t) => t.textContent);
    return { name: (card as HTMLElement).dataset.name, fits: box.right <= inner.right + 0.5 && box.left >= inner.left - 0.5, scale, min: Math.min(...ticks), max: Math.max(...ticks), overlap, cut };
  }));
}

/** Computes the phase view's diagram (the Correlation and phase tab open). */
async function computePhase(page: Page): Promise<void> {
  await page.click('#phase-run');
  await page.waitForFunction(() => /points in/.test(document.getElementById('phase-status')!.textContent ?? ''), null, { timeout: 90_000 });
}

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  if (browserRequired()) throw new Error(`no Chromium found, and CI=true or REQUIRE_BROWSER=1 requires the browser tests (install chromium or set CHROMIUM_PATH)`);
  console.warn(HOW_TO_ENABLE);
}

describe.skipIf(!CHROMIUM)('the page in Chromium', () => {
  beforeAll(async () => {
    ({ baseUrl, context, close: closePage } = await servePage(ROOT, CHROMIUM!));
  });

  afterAll(async () => closePage?.());

  it('the correlation tab shows the c-maps; the phase view computes a gain × bias-std diagram with the χ₁ = 1 line and the current point, and a click on a cell loads its gain and bias-std and runs', async () => {
    const page = await openPage('batch=128&width=32&depth=10&threads=2&kernel=simd&pattern=xavier:tanh&input-corr=0.5&autorun=1', { width: 1400, height: 900 });
    await page.click('#tab-corr');
    expect(await page.locator('#cmap-figures .figure').count()).toBe(1);
    await page.click('#phase-run');
    await page.waitForFunction(() => /points in/.test(document.getElementById('phase-status')!.textContent ?? ''), null, { timeout: 90_000 });
    const svg = page.locator('#phase-figure svg');
    // 11 gains × 6 biases in each heat map, the critical line on both, the ring on both (gain 1, σb 0)
    expect(await svg.locator('rect.cell').count()).toBe(2 * 66);
    expect(await svg.locator('path.critical').count()).toBe(2);
    expect(await svg.locator('circle.current').count()).toBe(2);
    await page.screenshot({ path: join(OUTPUT, 'phase-view.png'), fullPage: true });
    // gain 2 (σw² = 4), bias-std 0.2: the 7th gain (0.5 + 6·0.25) of the 3rd bias
    const cell = svg.locator('rect.cell[data-x="4"][data-y="0.04000000000000001"]').first();
    await cell.click();
    await page.waitForFunction(() => (document.querySelector('input[name="gain"]') as HTMLInputElement).value === '2');
    expect(await page.inputValue('input[name="bias-std"]')).toBe('0.2');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && new URLSearchParams(location.search).get('gain') === '2', null, { timeout: 30_000 });
    const metrics = JSON.parse(await page.textContent('#metrics') ?? '{}');
    expect(metrics.config).toMatchObject({ gain: 2, biasStd: 0.2 });
    await page.close();
  }, 120_000);

  it('the phase view sits above the c-maps, picks the first nonlinear pattern by default, and its cells are buttons for the keyboard named by σw², σb² and χ₁', async () => {
    const page = await openPage('batch=128&width=32&depth=6&threads=2&kernel=simd', { width: 1400, height: 900 });
    await page.click('#tab-corr');
    // the default patterns start with Xavier + Identity, which has no phases: B) Xavier + ReLU is picked
    expect(await page.$eval('#phase-pattern', (s) => (s as HTMLSelectElement).selectedOptions[0].textContent)).toBe('B) Xavier + ReLU');
    const phaseTop = await page.$eval('#phase-run', (b) => b.getBoundingClientRect().top), cmapTop = await page.$eval('#cmap-figures', (c) => c.getBoundingClientRect().top);
    expect(phaseTop).toBeLessThan(cmapTop);
    await page.selectOption('#phase-pattern', { label: 'C) He + ReLU' });
    await page.click('#phase-run');
    await page.waitForFunction(() => /points in/.test(document.getElementById('phase-status')!.textContent ?? ''), null, { timeout: 90_000 });
    const cells = page.locator('#phase-figure rect.cell');
    expect(await cells.count()).toBe(2 * 66);
    expect(await cells.first().getAttribute('role')).toBe('button');
    expect(await cells.first().getAttribute('tabindex')).toBe('0');
    expect(await page.$eval('#phase-figure .figure', (c) => (c as HTMLElement).dataset.name)).toBe('phase_A)_He_+_ReLU'); // the sweep runs the picked pattern alone, as its pattern A
    // He + ReLU's σw² = 2 at gain 1: χ₁ = 1 on the edge of chaos; focus names it, Enter loads it
    const edge = page.locator('#phase-figure rect.cell[data-x="2"][data-y="0"]').first();
    expect(await edge.getAttribute('aria-label')).toBe('σw² = 2.00, σb² = 0.00, χ₁ = 1.00 (gain 1, bias-std 0)');
    await edge.focus();
    expect(await page.textContent('#phase-readout')).toBe('σw² = 2.00, σb² = 0.00, χ₁ = 1.00 (gain 1, bias-std 0)');
    await page.fill('input[name="gain"]', '1.5');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && new URLSearchParams(location.search).get('gain') === '1.5', null, { timeout: 30_000 });
    await page.locator('#phase-figure rect.cell[data-x="2"][data-y="0"]').first().press('Enter');
    await page.waitForFunction(() => (document.querySelector('input[name="gain"]') as HTMLInputElement).value === '1', null, { timeout: 30_000 });
    await page.close();
  }, 120_000);

  it('--spectrum in the page: metrics.json identical to the CLI\'s (eigenvalues and free-probability density included), and the Spectrum tab draws each pattern\'s histograms over the density, the depth chart and the edge chart', async () => {
    const page = await openPage('batch=64&width=40&depth=4&seed=3&threads=2&kernel=simd&spectrum=1&spectrum-inputs=3&hist-layers=1,4&pattern=he:relu,orthogonal:tanh&autorun=1', { width: 1400, height: 900 });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    const pageMetrics = await page.textContent('script#metrics');
    const cliMetrics = cliMetricsOf(['--batch', '64', '--width', '40', '--depth', '4', '--seed', '3', '--threads', '1', '--kernel', 'simd', '--spectrum', '--spectrum-inputs', '3', '--hist-layers', '1,4', '--pattern', 'he:relu', '--pattern', 'orthogonal:tanh']);
    expect(JSON.parse(cliMetrics).patterns[1].spectrum.layers[1].theory.density.length).toBeGreaterThan(10);
    expect(pageMetrics).toBe(cliMetrics);
    await page.click('#tab-spectrum');
    const cards = await page.$$eval('#panel-spectrum .figure', (all) => all.map((c) => ({ name: (c as HTMLElement).dataset.name!, densities: c.querySelectorAll('svg .theory-density').length })));
    expect(cards.map((c) => c.name).sort()).toEqual(['spectrum_A)_He_+_ReLU', 'spectrum_B)_Orthogonal_+_tanh', 'spectrum_depth', 'spectrum_edge']);
    expect(cards.filter((c) => c.name.includes('_+_')).map((c) => c.densities)).toEqual([2, 2]);
    await page.close();
    // on a phone, every text of the Spectrum tab's charts and of the Jacobian chart stays inside its card
    const phone = await openPage('spectrum=1&autorun=1', { width: 390, height: 844 });
    const outside = async (panel: string) => phone.$$eval(`#panel-${panel} .figure`, (all) => all.flatMap((c) => {
      const card = c.getBoundingClientRect();
      return [...c.querySelectorAll('svg text')].filter((t) => {
        const box = t.getBoundingClientRect();
        return box.width > 0 && (box.left < card.left - 1 || box.right > card.right + 1);
      }).map((t) => `${(c as HTMLElement).dataset.name}: ${t.textContent}`);
    }));
    await phone.click('#tab-spectrum');
    expect(await outside('spectrum')).toEqual([]);
    await phone.click('#tab-lines');
    expect((await outside('lines')).filter((t) => t.startsWith('relu_spread_check_jacobian'))).toEqual([]);
    await phone.close();
  }, 120_000);

  it('attention blocks in the page: metrics.json identical to the CLI\'s (token_corr, attn_entropy), the Transformer tab draws each pattern\'s tokens figure, and on a phone its texts stay inside the card', async () => {
    const query = 'batch=192&width=48&depth=5&seed=2&threads=2&kernel=simd&block=transformer&seq-len=12&heads=3&qk-gain=0.8&causal=1&residual=0.5&norm=layer&hist-layers=5&pattern=he:relu,xavier:tanh&autorun=1';
    const page = await openPage(query, { width: 1400, height: 900 });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    const cliMetrics = cliMetricsOf(['--batch', '192', '--width', '48', '--depth', '5', '--seed', '2', '--threads', '1', '--kernel', 'simd', '--block', 'transformer', '--seq-len', '12', '--heads', '3', '--qk-gain', '0.8', '--causal', '--residual', '0.5', '--norm', 'layer', '--hist-layers', '5', '--pattern', 'he:relu', '--pattern', 'xavier:tanh']);
    expect(JSON.parse(cliMetrics).patterns[0].layers[4].attn_entropy).toBeGreaterThan(0);
    expect(await page.textContent('script#metrics')).toBe(cliMetrics);
    await page.click('#tab-transformer');
    expect(await page.$$eval('#panel-transformer .figure', (all) => all.map((c) => (c as HTMLElement).dataset.name))).toEqual(['tokens_A)_He_+_ReLU', 'tokens_B)_Xavier_+_tanh']);
    await page.close();
    const phone = await openPage('block=attention&seq-len=16&width=64&depth=24&batch=256&heads=4&residual=1&autorun=1', { width: 390, height: 844 });
    await phone.click('#tab-transformer');
    const outside = await phone.$$eval('#panel-transformer .figure', (all) => all.flatMap((c) => {
      const card = c.getBoundingClientRect();
      return [...c.querySelectorAll('svg text')].filter((t) => {
        const box = t.getBoundingClientRect();
        return box.width > 0 && (box.left < card.left - 1 || box.right > card.right + 1);
      }).map((t) => t.textContent);
    }));
    expect(outside).toEqual([]);
    await phone.close();
  }, 120_000);

  it('the transformer preset: one click sets T = 16, width 64, depth 24, runs, opens the Transformer tab with its figure, and Copy link carries it', async () => {
    const page = await openPage('threads=2&kernel=simd', { width: 1280, height: 720 });
    await page.click('#preset-transformer');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelector('#panel-transformer .figure') !== null, null, { timeout: 90_000 });
    expect(await page.getAttribute('#tab-transformer', 'aria-selected')).toBe('true');
    expect(await page.$$eval('#panel-transformer .figure', (all) => all.map((c) => (c as HTMLElement).dataset.name))).toEqual(['tokens_A)_He_+_ReLU']);
    const values = await page.evaluate(() => Object.fromEntries(['block', 'seq-len', 'heads', 'batch', 'width', 'depth', 'residual', 'norm'].map((n) => [n, ((document.getElementById('config') as HTMLFormElement).elements.namedItem(n) as HTMLInputElement).value])));
    expect(values).toEqual({ block: 'transformer', 'seq-len': '16', heads: '4', batch: '512', width: '64', depth: '24', residual: '1', norm: 'layer' });
    const metrics = JSON.parse((await page.textContent('script#metrics'))!);
    expect(metrics.config).toMatchObject({ block: 'transformer', seqLen: 16, width: 64, depth: 24 });
    // the tokens collapse under a skip of strength 1: the point of the preset
    expect(metrics.patterns[0].layers[23].token_corr).toBeGreaterThan(0.8);
    await page.click('#copy-link');
    expect(page.url()).toMatch(/block=transformer/);
    expect(page.url()).toMatch(/seq-len=16/);
    await page.close();
  }, 120_000);

  it('runs in Web Workers and gives metrics.json identical to the CLI for the same config and build', async () => {
    const page = await openPage('batch=320&width=72&depth=6&seed=5&threads=2&kernel=simd&autorun=1', { width: 1400, height: 900 });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    const pageMetrics = await page.textContent('script#metrics');
    expect(pageMetrics).toBe(cliMetricsOf(['--batch', '320', '--width', '72', '--depth', '6', '--seed', '5', '--threads', '1', '--kernel', 'simd', '--hist-layers', 'all']));
    expect(await page.textContent('#build')).toContain('wasm-simd');

    // the original's six figures and E[z²] are drawn, with content, each tab's when it is opened
    const names: string[] = [];
    for (const tab of ['lines', 'depth', 'hist']) {
      await page.click(`#tab-${tab}`);
      const shown = await page.$$eval(`#panel-${tab} .figure`, (cards) => cards.map((c) => ({ name: (c as HTMLElement).dataset.name!, marks: c.querySelectorAll('svg rect, svg path, svg circle').length, height: c.querySelector('svg')!.getBoundingClientRect().height })));
      expect(shown.length, tab).toBeGreaterThan(2);
      for (const f of shown) {
        expect(f.marks).toBeGreaterThan(10);
        expect(f.height).toBeGreaterThan(200);
      }
      names.push(...shown.map((f) => f.name));
      // no horizontal overflow at 1400 × 900 either, whichever tab is open
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.scroll, tab).toBeLessThanOrEqual(widths.view);
    }
    const perPattern = ['A)_Xavier_+_Identity', 'B)_Xavier_+_ReLU', 'C)_He_+_ReLU'];
    expect(names.sort()).toEqual([
      ...perPattern.flatMap((p) => [`hist_${p}`, `depth_${p}`, `hist_${p}_layer1`, `c_map_${p}`]),
      'relu_spread_check_ex2', 'relu_spread_check_relu_ratio', 'relu_spread_check_zex2', 'relu_zero_fraction', 'relu_spread_check_corr', 'finite_width_C)_He_+_ReLU',
    ].sort());
    // the layer slider picks the depth view's panels: layer 6's histograms, the strip's highlight on layer 6
    await page.click('#tab-depth');
    await page.fill('#layer', '5');
    expect(await page.textContent('#layer-value')).toBe('layer 6 of 6');
    expect(await page.$$eval('#panel-depth .figure', (cards) => cards.map((c) => (c as HTMLElement).dataset.name).filter((n) => n!.endsWith('_layer6')).length)).toBe(3);
    await page.click('#tab-lines');
    expect(await page.$$eval('#records table tbody tr', (rows) => rows.length)).toBe(3 * 6);
    mkdirSync(OUTPUT, { recursive: true });
    const shot = await page.screenshot({ path: join(OUTPUT, 'page.png'), fullPage: true });
    expect(shot.length).toBeGreaterThan(20_000);
  });

  it('bad input shows an inline error next to the field and starts no run', async () => {
    const page = await openPage('batch=256&width=0&depth=6&autorun=1');
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('invalid');
    expect(await page.textContent('.error[data-for="width"]')).toContain('width must be an integer in 1 … 32768');
    expect(await page.getAttribute('input[name="width"]', 'aria-invalid')).toBe('true');
    expect(await page.isHidden('#results')).toBe(true);
    expect(await page.textContent('script#metrics')).toBe('');
  });

  it('a link reproduces the run: the config is written back into the URL; backward runs on the page as in the CLI', async () => {
    const page = await openPage('batch=128&width=40&depth=3&seed=9&threads=1&kernel=simd&backward=1&pattern=he:gelu,xavier:tanh&autorun=1');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ batch: '128', width: '40', depth: '3', seed: '9', threads: '1', kernel: 'simd', backward: '1' });
    const out = mkdtempSync(join(tmpdir(), 'rsc-cli-'));
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--batch', '128', '--width', '40', '--depth', '3', '--seed', '9', '--kernel', 'simd', '--backward', '--pattern', 'he:gelu', '--pattern', 'xavier:tanh', '--hist-layers', 'all', '--format', 'svg', '--quiet', '--out', out]);
    expect(cli.status).toBe(0);
    const pageMetrics = (await page.textContent('script#metrics'))!;
    expect(pageMetrics).toBe(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(JSON.parse(pageMetrics).patterns[0].layers[0].grad_w_ex2).toBeGreaterThan(0);
    // and the page says which command line gives the same run
    const headers = await page.$$eval('#records details:first-child th', (ths) => ths.map((t) => t.textContent));
    expect(headers).toEqual(expect.arrayContaining(['z_ex2', 'theory z_ex2', 'a_ex2', 'theory a_ex2', 'grad_z_ex2', 'theory grad_z_ex2', 'grad_chi']));
    expect(await page.textContent('#cli-command')).toBe('npx relu-spread-check --batch 128 --width 40 --depth 3 --seed 9 --hist-layers all --pattern he:gelu --pattern xavier:tanh --backward --threads 1 --kernel simd');
  });

  it('live: moving the depth slider re-runs without a click and the figures follow it; a change during a run cancels it; invalid values in two fields mark both and the old figures are marked out of date', async () => {
    const page = await openPage('batch=128&width=32&depth=3&threads=1&kernel=simd&autorun=1');
    expect(await page.$$eval('#records table tbody tr', (rows) => rows.length)).toBe(3 * 3);
    await page.fill('input[aria-label="depth slider"]', '5');
    expect(await page.inputValue('input[name="depth"]')).toBe('5');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelectorAll('#records table tbody tr').length === 15, null, { timeout: 60_000 });
    expect(await page.isHidden('#out-of-date')).toBe(true);
    expect(JSON.parse((await page.textContent('script#metrics'))!).config.depth).toBe(5);
    // a long run, then a change while it runs: the first is cancelled, and what is shown is the last change
    await page.fill('input[name="batch"]', '4096');
    await page.fill('input[aria-label="depth slider"]', '100');
    // (on a loaded machine the run may already be over when the page is polled)
    await page.waitForFunction(() => document.body.dataset.state === 'running' || document.querySelectorAll('#records table tbody tr').length === 300, null, { timeout: 60_000, polling: 10 });
    await page.fill('input[aria-label="depth slider"]', '7');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelectorAll('#records table tbody tr').length === 21, null, { timeout: 60_000 });
    expect(JSON.parse((await page.textContent('script#metrics'))!).config).toMatchObject({ depth: 7, batch: 4096 });
    expect(new URL(page.url()).searchParams.get('depth')).toBe('7');
    // the pattern editor: a fourth pattern, run live
    await page.click('.add-pattern');
    expect(await page.inputValue('input[name="pattern"]')).toBe('xavier:identity,xavier:relu,he:relu,he:relu');
    await page.selectOption('select[aria-label="pattern D activation"]', 'tanh');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelectorAll('#records table tbody tr').length === 28, null, { timeout: 60_000 });
    expect(JSON.parse((await page.textContent('script#metrics'))!).config.patterns).toEqual(['xavier:identity', 'xavier:relu', 'he:relu', 'he:tanh']);
    // full size: the original's batch and width, with progress and a Cancel that leaves the old figures marked
    await page.check('#full-size');
    expect([await page.inputValue('input[name="batch"]'), await page.inputValue('input[name="width"]')]).toEqual(['8192', '1024']);
    await page.waitForFunction(() => document.body.dataset.state === 'running', null, { timeout: 60_000, polling: 10 });
    await page.click('#cancel');
    await page.waitForFunction(() => document.body.dataset.state === 'cancelled');
    expect(await page.isVisible('#out-of-date')).toBe(true);
    await page.uncheck('#full-size');
    expect([await page.inputValue('input[name="batch"]'), await page.inputValue('input[name="width"]')]).toEqual(['256', '128']);
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 60_000 });
    await page.fill('input[name="width"]', '0');
    await page.fill('input[name="bins"]', 'many');
    // the typing pause may end between the two fills (a loaded machine): the second check comes with the next
    await page.waitForFunction(() => document.body.dataset.state === 'invalid' && document.querySelector('input[name="bins"]')?.getAttribute('aria-invalid') === 'true');
    expect(await page.getAttribute('input[name="width"]', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('input[name="bins"]', 'aria-invalid')).toBe('true');
    expect(await page.textContent('.error[data-for="bins"]')).toContain('bins must be an integer');
    expect(await page.isVisible('#out-of-date')).toBe(true);
    expect(await page.getAttribute('#results', 'class')).toContain('out-of-date');
  });

  it('read-outs: the pointer over a line chart shows every pattern\'s value and its theory at the nearest layer, and the arrow keys do the same', async () => {
    const page = await openPage('batch=128&width=32&depth=6&threads=1&kernel=simd&autorun=1', { width: 1400, height: 900 });
    const metrics = JSON.parse((await page.textContent('script#metrics'))!);
    const chart = '#panel-lines .figure[data-name="relu_spread_check_ex2"]';
    // the pointer a little right of layer 3's position: the nearest layer is 3
    const at = await page.$eval(`${chart} svg`, (svg) => {
      const plot = svg.querySelector('g.plot') as SVGGElement, box = svg.getBoundingClientRect(), scale = box.width / Number(svg.getAttribute('width'));
      const [left, top] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(plot.getAttribute('transform')!)!.slice(1).map(Number);
      const plotW = Number(plot.dataset.plotWidth), n = Number(plot.dataset.xLast) - Number(plot.dataset.xFirst) + 1;
      return { x: box.left + (left + ((3 - 1 + 0.5 + 0.3) / n) * plotW) * scale, y: box.top + (top + 40) * scale };
    });
    await page.mouse.move(at.x, at.y);
    const box = `${chart} .readout`;
    expect(await page.isVisible(box)).toBe(true);
    expect(await page.textContent(`${box} .readout-title`)).toBe('layer 3: E[a^2]');
    const rows = await page.$$eval(`${box} tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual(metrics.patterns.map((p: { name: string; layers: { a_ex2: number; theory: { a_ex2: number } }[] }) => [p.name, p.layers[2].a_ex2.toPrecision(4), `theory ${p.layers[2].theory.a_ex2.toPrecision(4)}`]));
    expect(await page.$$eval(`${chart} path.marker.current`, (cs) => cs.map((c) => c.getAttribute('data-x')))).toEqual(['3', '3', '3']);
    // the SVG download is the chart as drawn, read-out or not: no crosshair, focus or marked layer
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${chart} .downloads button >> nth=0`)]);
    const svgText = readFileSync((await download.path())!, 'utf8');
    expect(svgText).not.toMatch(/crosshair|class="[^"]*current/);
    expect(/<svg [^>]*>/.exec(svgText)![0]).not.toMatch(/tabindex|role=|aria-label/);
    expect(svgText.match(/class="marker"/g)?.length).toBe(3 * 6);
    // the keyboard: the chart takes focus, ← and End move the read-out, Escape hides it
    await page.mouse.move(0, 0);
    await page.focus(`${chart} svg`);
    expect(await page.textContent(`${box} .readout-title`)).toBe('layer 3: E[a^2]');
    await page.keyboard.press('ArrowLeft');
    expect(await page.textContent(`${box} .readout-title`)).toBe('layer 2: E[a^2]');
    await page.keyboard.press('End');
    expect(await page.textContent(`${box} .readout-title`)).toBe('layer 6: E[a^2]');
    expect(await page.getAttribute(`${chart} svg`, 'aria-label')).toContain('arrow keys');
    await page.keyboard.press('Escape');
    expect(await page.isHidden(box)).toBe(true);
  });

  it('a live change leaves the page as it is until its run has lasted FIRST_GROW_MS: no dimmed figures, no progress, then the new figures', async () => {
    const page = await openPage('batch=128&width=32&depth=6&threads=1&kernel=simd&autorun=1', { width: 1400, height: 900 });
    // every change to the dimming, the out-of-date note and the progress, timed from the run's start
    await page.evaluate(() => {
      const log: [string, number][] = ((window as unknown as { changes: [string, number][] }).changes = []);
      const note = (what: string) => log.push([what, performance.now()]);
      new MutationObserver(() => note(`state ${document.body.dataset.state}`)).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
      new MutationObserver(() => note('dimmed')).observe(document.getElementById('results')!, { attributes: true, attributeFilter: ['class'] });
      new MutationObserver(() => note('note')).observe(document.getElementById('out-of-date')!, { attributes: true, attributeFilter: ['hidden'] });
      new MutationObserver(() => note('progress')).observe(document.getElementById('progress')!, { attributes: true });
      new MutationObserver(() => note('progress text')).observe(document.getElementById('progress-text')!, { childList: true, characterData: true, subtree: true });
    });
    for (const depth of ['5', '6', '5']) {
      await page.evaluate(() => ((window as unknown as { changes: unknown[] }).changes.length = 0));
      await page.fill('input[aria-label="depth slider"]', depth);
      await page.waitForFunction((d) => document.body.dataset.state === 'done' && document.querySelectorAll('#records table tbody tr').length === 3 * Number(d), depth, { timeout: 60_000 });
      const changes = await page.evaluate(() => (window as unknown as { changes: [string, number][] }).changes);
      const start = changes.find(([what]) => what === 'state running')![1], end = changes.find(([what]) => what === 'state done')![1];
      // before FIRST_GROW_MS only the state changes; what comes with the results (the Done text) comes after it
      const early = changes.filter(([what, at]) => !what.startsWith('state') && at < Math.min(end, start + FIRST_GROW_MS) - 1);
      expect(early).toEqual([]);
      expect(await page.isHidden('#out-of-date')).toBe(true);
      expect([await page.$eval('#progress', (p) => (p as HTMLProgressElement).value), await page.textContent('#progress-text')]).toEqual([1, expect.stringMatching(/^Done in /)]);
    }
  });

  it('the line charts grow layer by layer while a run goes, over the whole depth to come', async () => {
    const page = await openPage('batch=128&width=32&depth=3&threads=1&kernel=simd&autorun=1', { width: 1400, height: 900 });
    await page.fill('input[name="batch"]', '2048');
    await page.fill('input[name="width"]', '128');
    await page.fill('input[aria-label="depth slider"]', '60');
    await page.waitForFunction(() => document.body.dataset.state === 'running' && document.querySelector('#figures.growing'), null, { timeout: 60_000, polling: 10 });
    const partial = await page.$eval('#figures .figure[data-name="relu_spread_check_ex2"] svg', (svg) => ({ points: svg.querySelectorAll('path.marker[data-x]').length, last: (svg.querySelector('g.plot') as SVGGElement).dataset.xLast }));
    expect(partial.last).toBe('60');
    expect(partial.points).toBeGreaterThan(0);
    expect(partial.points).toBeLessThan(3 * 60);
    // the growing charts are not dimmed; the rest of the results are until the run is done
    expect(await page.$eval('#figures', (f) => getComputedStyle(f).opacity)).toBe('1');
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 120_000 });
    expect(await page.$$eval('#figures .figure[data-name="relu_spread_check_ex2"] path.marker[data-x]', (cs) => cs.length)).toBe(3 * 60);
    expect(await page.$eval('#figures', (f) => f.classList.contains('growing'))).toBe(false);
  });

  it('runs reuse their workers; a run cancelled while it computes ends its workers and the next starts new ones', async () => {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const Original = window.Worker;
      (window as unknown as { workersStarted: number }).workersStarted = 0;
      window.Worker = class extends Original {
        constructor(...args: ConstructorParameters<typeof Worker>) {
          super(...args);
          (window as unknown as { workersStarted: number }).workersStarted++;
        }
      };
    });
    await page.goto(`${baseUrl}?batch=128&width=32&depth=3&threads=2&kernel=simd&autorun=1`);
    const started = () => page.evaluate(() => (window as unknown as { workersStarted: number }).workersStarted);
    const done = (rows: number) => page.waitForFunction((n) => document.body.dataset.state === 'done' && document.querySelectorAll('#records table tbody tr').length === n, rows, { timeout: 60_000 });
    await done(9);
    expect(await started()).toBe(2);
    for (const depth of [4, 5]) {
      await page.fill('input[aria-label="depth slider"]', String(depth));
      await done(3 * depth);
    }
    expect(await started()).toBe(2);
    await page.fill('input[name="batch"]', '8192');
    await page.fill('input[name="width"]', '1024');
    await page.waitForFunction(() => document.body.dataset.state === 'running' && document.querySelector('#progress-text')?.textContent?.includes('layer'), null, { timeout: 60_000, polling: 10 });
    await page.click('#cancel');
    await page.waitForFunction(() => document.body.dataset.state === 'cancelled');
    await page.fill('input[name="batch"]', '128');
    await page.fill('input[name="width"]', '32');
    await done(15);
    // a replacement for each worker the cancel ended while it computed: one or two (a worker whose
    // answer had just arrived is idle and goes back to the pool), two more if the typing pause let
    // 8192 × 32 start before 1024 came
    expect([3, 4, 5, 6]).toContain(await started());
  });

  it('on a phone (390 × 844) nothing is wider than the screen, before and after a run; the screenshot is kept', async () => {
    const page = await openPage('batch=128&width=32&depth=4&threads=1&kernel=simd&autorun=1', { width: 390, height: 844 });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.view);
    // the line charts are drawn at the screen's width: every tick label is at least 11 px as shown
    const tickPx = await page.$$eval('#panel-lines .figure svg', (svgs) => svgs.flatMap((svg) => {
      const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
      return [...svg.querySelectorAll('.tick text')].map((t) => Number(getComputedStyle(t).fontSize.replace('px', '')) * scale);
    }));
    expect(tickPx.length).toBeGreaterThan(20);
    expect(Math.min(...tickPx)).toBeGreaterThanOrEqual(11);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'page-phone.png'), fullPage: false });
  });

  it('axe-core finds no serious or critical accessibility violations, at desktop and phone sizes', async () => {
    for (const viewport of [{ width: 1400, height: 900 }, { width: 390, height: 844 }]) {
      const page = await openPage('batch=128&width=32&depth=3&threads=1&kernel=simd&autorun=1', viewport);
      const { violations, passes } = await new AxeBuilder({ page }).analyze();
      expect(passes.length, 'axe ran its rules').toBeGreaterThan(10);
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes[0]?.target.join(' ')})`);
      expect(bad, `${viewport.width} px`).toEqual([]);
    }
  });

  it('the URL round trip restores every control: a page opened from the URL a run wrote shows the same values', async () => {
    const query = 'batch=96&width=24&depth=3&seed=7&hist-layers=1,3&bins=20&pattern=he:gelu,lsuv:tanh,xavier:selu&bias-std=0.2&gain=auto&fan-mode=out&leaky-alpha=0.3&input-corr=0.2&seeds=2&norm=batch&residual=0.5&backward=1&threads=1&kernel=simd&log-counts=1';
    const page = await openPage(`${query}&autorun=1`);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    const values = (p: Page) => p.$$eval('#config [name]', (els) => els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).type === 'checkbox' ? String((e as HTMLInputElement).checked) : (e as HTMLInputElement).value]));
    const before = await values(page);
    // every control holds what the link asked for
    const asked = new URLSearchParams(query);
    for (const [name, value] of before) {
      const want = asked.get(name) ?? asked.get(name === 'hist-layers' ? 'histLayers' : name === 'log-counts' ? 'logCounts' : name);
      const spec: OptionSpec = OPTIONS.find((o) => o.flag === name)!, checkbox = spec.page === 'checkbox';
      // a control the link does not name shows its default: a number field's and a select's the table's, a text field empty (the default)
      const unset = checkbox ? 'false' : (spec.page === 'number' || spec.page === 'select') && 'default' in spec ? String(spec.default) : '';
      expect(value, name).toBe(want === null ? unset : checkbox ? String(want === '1') : want);
    }
    const again = await openPage(`${new URL(page.url()).search.slice(1)}&autorun=1`);
    expect(await values(again)).toEqual(before);
    // with seeds, backward, LSUV, GELU, SELU (gain ¾: q < 1, its series), bias, gain auto, fan-out, leaky α, correlated inputs and residual batch-norm blocks, the page's metrics.json is the CLI's
    const out = mkdtempSync(join(tmpdir(), 'rsc-cli-'));
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--batch', '96', '--width', '24', '--depth', '3', '--seed', '7', '--hist-layers', '1,3', '--bins', '20', '--pattern', 'he:gelu', '--pattern', 'lsuv:tanh', '--pattern', 'xavier:selu', '--bias-std', '0.2', '--gain', 'auto', '--fan-mode', 'out', '--leaky-alpha', '0.3', '--input-corr', '0.2', '--seeds', '2', '--norm', 'batch', '--residual', '0.5', '--backward', '--threads', '1', '--kernel', 'simd', '--log-counts', '--format', 'svg', '--quiet', '--out', out]);
    expect(cli.status, String(cli.stderr)).toBe(0);
    const metrics = (await again.textContent('script#metrics'))!;
    expect(JSON.parse(metrics).patterns[0].seeds).toHaveLength(2);
    expect(metrics).toBe(readFileSync(join(out, 'metrics.json'), 'utf8'));
  });

  it('normalized blocks: the norm select and the α field run like every control, the page\'s metrics.json is the CLI\'s (batch norm\'s extra round trip in Web Workers), and the Signal propagation tab draws one SPP per INIT:ACT', async () => {
    const page = await openPage('batch=128&width=32&depth=5&seed=2&pattern=he:relu:none,he:relu:batch,xavier:tanh:nf&norm=layer&threads=2&kernel=simd&autorun=1', { width: 1400, height: 900 });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    const out = mkdtempSync(join(tmpdir(), 'rsc-cli-'));
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--batch', '128', '--width', '32', '--depth', '5', '--seed', '2', '--pattern', 'he:relu:none', '--pattern', 'he:relu:batch', '--pattern', 'xavier:tanh:nf', '--norm', 'layer', '--threads', '1', '--kernel', 'simd', '--hist-layers', 'all', '--format', 'svg', '--quiet', '--out', out]);
    expect(cli.status, String(cli.stderr)).toBe(0);
    expect(await page.textContent('script#metrics')).toBe(readFileSync(join(out, 'metrics.json'), 'utf8'));
    await page.click('#tab-spp');
    const cards = await page.$$eval('#spp-figures .figure', (cs) => cs.map((c) => ({ name: (c as HTMLElement).dataset.name, panels: c.querySelectorAll(':scope > svg > svg').length })));
    // plain blocks: the squared channel mean and the channel variance, no branch
    expect(cards).toEqual([{ name: 'spp_he_relu', panels: 2 }, { name: 'spp_xavier_tanh', panels: 2 }]);
    // the pattern editor shows each pattern's own norm and keeps it when the activation changes
    expect(await page.$$eval('select[aria-label$=" norm"]', (els) => els.map((e) => (e as HTMLSelectElement).value))).toEqual(['none', 'batch', 'nf']);
    await page.selectOption('select[aria-label="pattern C activation"]', 'gelu');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && new URL(location.href).searchParams.get('pattern') === 'he:relu:none,he:relu:batch,xavier:gelu:nf', undefined, { timeout: 60_000 });
    await page.selectOption('select[aria-label="pattern C norm"]', '');
    expect(await page.inputValue('input[name="pattern"]')).toBe('he:relu:none,he:relu:batch,xavier:gelu');
    // choosing residual blocks in the form runs again, live, and adds the branch's panel
    await page.fill('input[name="residual"]', '0.7');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && new URL(location.href).searchParams.get('residual') === '0.7', undefined, { timeout: 60_000 });
    await page.click('#tab-spp');
    expect(await page.$$eval('#spp-figures .figure', (cs) => cs.map((c) => c.querySelectorAll(':scope > svg > svg').length))).toEqual([3, 3]);
    expect(await page.$$eval('#spp-figures .figure', (cs) => cs.map((c) => (c as HTMLElement).dataset.name))).toEqual(['spp_he_relu', 'spp_xavier_gelu']);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'page-spp.png'), fullPage: true });
  });

  it('the form has one field per page option of the option table, and no other', async () => {
    const page = await openPage('batch=0&autorun=1');
    const names = await page.$$eval('#config [name]', (els) => els.map((e) => (e as HTMLInputElement).name));
    expect(names.sort()).toEqual(OPTIONS.filter((o) => 'page' in o).map((o) => o.flag).sort());
    // and each has a visible label that starts with the option's name
    const labels = await page.$$eval('#config fieldset label', (ls) => ls.map((l) => [l.querySelector('[name]')!.getAttribute('name'), l.textContent!.trim()]));
    for (const [name, text] of labels) expect((text ?? "").startsWith(name!), `${name}: "${text}"`).toBe(true);
  });

  it('a bare visit runs the live-size default and shows figures with no click, and so does the link the page writes', async () => {
    const page = await openPage('', { width: 1920, height: 1080 });
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
    expect(await page.locator('#figures .figure svg').count()).toBeGreaterThan(3);
    // the run controls are on the first screen
    const run = (await page.locator('#run').boundingBox())!;
    expect(run.y + run.height).toBeLessThan(1080);
    // on a 1024 × 768 projector too, the Run button and the top of the first chart are on the first screen
    const projector = await openPage('', { width: 1024, height: 768 });
    for (const selector of ['#run', '#figures .figure svg']) expect((await projector.locator(selector).first().boundingBox())!.y, selector).toBeLessThan(768 - 200);
    const written = new URL(page.url()).search;
    expect(written).toContain('batch=256');
    const again = await openPage(written.slice(1), { width: 1280, height: 720 });
    expect(await again.evaluate(() => document.body.dataset.state)).toBe('done');
    expect(await again.locator('#figures .figure svg').count()).toBeGreaterThan(3);
    // the header names the patterns that ran
    expect(await again.textContent('#header-patterns')).toBe('A) Xavier + Identity, B) Xavier + ReLU, C) He + ReLU');
    // copy link says what it did; the link it copies reopens the same figures (autorun=0 opts out)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
    await again.click('#copy-link');
    await again.waitForFunction(() => (document.getElementById('copy-link-status')!.textContent ?? '') !== '');
    expect(await again.textContent('#copy-link-status')).toMatch(/^(Copied\.|Copy by hand: )/);
    const copied = await again.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(again.url());
    const opened = await openPage(new URL(copied).search.slice(1), { width: 1280, height: 720 });
    expect(await opened.evaluate(() => document.body.dataset.state)).toBe('done');
    expect(await opened.locator('#figures .figure svg').count()).toBeGreaterThan(3);
  });

  it('the header names the patterns set, with or without a run; Copy CLI command says what it did; an SPP tab without blocks says what draws one', async () => {
    const idle = await context.newPage();
    await idle.goto(`${baseUrl}?pattern=he:tanh,xavier:gelu&batch=64&width=16&depth=3&autorun=0`);
    await idle.waitForFunction(() => document.body.dataset.state === 'idle');
    expect(await idle.textContent('#header-patterns')).toBe('A) He + tanh, B) Xavier + GELU');
    await idle.close();
    const page = await openPage('pattern=he:tanh,xavier:gelu&batch=64&width=16&depth=3&threads=1');
    expect(await page.textContent('#header-patterns')).toBe('A) He + tanh, B) Xavier + GELU');
    await page.selectOption('select[aria-label="pattern B activation"]', 'relu');
    await page.waitForFunction(() => document.body.dataset.state === 'done' && /relu/.test(location.search));
    expect(await page.textContent('#header-patterns')).toBe('A) He + tanh, B) Xavier + ReLU');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
    await page.click('#tab-records');
    await page.click('#copy-cli');
    await page.waitForFunction(() => (document.getElementById('copy-cli-status')!.textContent ?? '') !== '');
    expect(await page.textContent('#copy-cli-status')).toBe('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.textContent('#cli-command'));
    // no norm and no α: no SPP to draw, and the tab says which options draw one
    await page.click('#tab-spp');
    expect(await page.locator('#spp-figures .figure').count()).toBe(0);
    expect(await page.isVisible('#spp-hint')).toBe(true);
    expect(await page.textContent('#spp-hint')).toMatch(/norm or a residual α/);
    await page.close();
  });

  it('every chart is drawn at its card\'s width (the depth view and the phase diagram too): none overflows its card or is scaled, tick text renders at 10–16 px from 320 to 2560 px, and a resize draws them again', async () => {
    for (const width of [320, 390, 1024, 1200, 1280, 1366, 1920, 2560]) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      const open = async (query: string) => {
        await page.goto(`${baseUrl}?batch=128&width=32&depth=4&threads=1&kernel=simd&${query}`);
        await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 90_000 });
      };
      // plain patterns for the line charts, histograms and c-maps (the longest default name among them); normalized residual blocks for the SPP
      for (const [query, tab] of [['pattern=xavier:identity,he:relu,xavier:tanh', 'lines'], ['pattern=xavier:identity,he:relu,xavier:tanh', 'hist'], ['pattern=xavier:identity,he:relu,xavier:tanh', 'depth'], ['pattern=xavier:identity,he:relu,xavier:tanh', 'corr'], ['pattern=he:relu:batch,he:relu:none&residual=1', 'spp']]) {
        if (!page.url().includes(query)) await open(query);
        await page.click(`#tab-${tab}`);
        if (tab === 'corr') await computePhase(page);
        const cards = await figureSizes(page, `#panel-${tab}`);
        expect(cards.length, `${tab} at ${width} px`).toBeGreaterThan(0);
        for (const c of cards) {
          expect(c.fits, `${c.name} at ${width} px`).toBe(true);
          expect(c.scale, `${c.name} at ${width} px: CSS width ÷ drawn width`).toBeGreaterThan(0.97);
          expect(c.scale, `${c.name} at ${width} px: CSS width ÷ drawn width`).toBeLessThan(1.001);
          expect(c.overlap, `${c.name}'s buttons at ${width} px`).toBe(false);
          expect(c.min, `${c.name} at ${width} px`).toBeGreaterThanOrEqual(10);
          expect(c.max, `${c.name} at ${width} px`).toBeLessThanOrEqual(16);
          // the histogram, depth and phase figures break their titles and captions to their width
          if (/^(hist|depth|phase)_/.test(c.name ?? '')) expect(c.cut, `${c.name} at ${width} px`).toEqual([]);
        }
      }
      mkdirSync(OUTPUT, { recursive: true });
      await open('pattern=xavier:identity,xavier:relu,he:relu');
      await page.screenshot({ path: join(OUTPUT, `page-${width}.png`), fullPage: false });
      if (width === 1280) {
        // a narrower window (a phone turned, a window dragged) draws the charts again at their new width, the phase diagram with them
        await page.click('#tab-corr');
        await computePhase(page);
        await page.setViewportSize({ width: 700, height: 900 });
        await page.waitForFunction(() => [...document.querySelectorAll('#panel-corr .figure > svg')].every((svg) => Math.abs(svg.getBoundingClientRect().width - Number(svg.getAttribute('width'))) < 1), null, { timeout: 10_000 });
      }
      await page.close();
    }
  }, 240_000);

  it('out of date after an invalid field: the dimmed figures keep their buttons readable (axe colour contrast), and a link with more patterns than the editor holds is refused at the field', async () => {
    const page = await openPage('batch=128&width=32&depth=3&threads=1&kernel=simd', { width: 1400, height: 900 });
    await page.fill('input[name="batch"]', '0');
    await page.waitForFunction(() => document.body.dataset.state === 'invalid');
    const { violations } = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
    expect(violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))).toEqual([]);
    const many = Array.from({ length: 7 }, () => 'he:relu').join(',');
    const refused = await openPage(`batch=64&width=16&depth=2&pattern=${many}`);
    expect(await refused.evaluate(() => document.body.dataset.state)).toBe('invalid');
    expect(await refused.getAttribute('input[name="pattern"]', 'aria-invalid')).toBe('true');
    expect(await refused.textContent('.error[data-for="pattern"]')).toBe('pattern: at most 6 patterns on the page, got 7 (the CLI takes any number)');
  });
});

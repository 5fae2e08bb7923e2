// The lessons in Chromium: each opens with no click at a phone's, a projector's and a desktop's size, shows its text
// and draws figures, with nothing wider than the screen; ?hide hides exactly the controls it names; lecture mode's
// chart text renders at 14 px or more; axe finds no serious or critical violations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LESSONS } from '../../src/web/lessons.js';
import { findChromium, servePage } from '../helpers/browser.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-output', 'lessons');
const CHROMIUM = findChromium();
let baseUrl: string, context: BrowserContext, closePage: () => Promise<void>;

async function open(query: string, width: number, height: number): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${baseUrl}?${query}`);
  await page.waitForFunction(() => ['done', 'error', 'invalid'].includes(document.body.dataset.state ?? ''), null, { timeout: 90_000 });
  return page;
}

/** What a lesson shows: its id on the body, its text, the figures of the tab on screen, and how far the page overflows. */
const shown = (page: Page) => page.evaluate(() => ({
  state: document.body.dataset.state,
  lesson: document.body.dataset.lesson,
  text: document.querySelector('[data-lesson-text]')?.textContent?.length ?? 0,
  figures: document.querySelectorAll('[role="tabpanel"]:not([hidden]) .figure svg').length,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
}));

describe.skipIf(!CHROMIUM)('the lessons in Chromium', () => {
  beforeAll(async () => {
    ({ baseUrl, context, close: closePage } = await servePage(ROOT, CHROMIUM!));
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => closePage?.());

  it.each(LESSONS.map((l) => [l.id]))('%s opens with no click at 390 × 844, 1280 × 720 and 1920 × 1080: its text, its tab\'s figures, no horizontal overflow', async (id) => {
    for (const [width, height] of [[390, 844], [1280, 720], [1920, 1080]]) {
      const page = await open(`lesson=${id}&threads=2`, width, height);
      const s = await shown(page);
      expect(s, `${id} at ${width} px`).toMatchObject({ state: 'done', lesson: id });
      expect(s.text).toBeGreaterThanOrEqual(200);
      expect(s.figures, `${id} at ${width} px draws figures`).toBeGreaterThan(0);
      expect(s.overflow, `${id} at ${width} px`).toBeLessThanOrEqual(0);
      expect(await page.getAttribute(`#${LESSONS.find((l) => l.id === id)!.tab}`, 'aria-selected')).toBe('true');
      await page.screenshot({ path: join(SHOTS, `${id}_${width}.png`) });
      await page.close();
    }
  }, 120_000);

  it('?hide=depth,gain hides exactly those two controls, and Copy link keeps the lesson and what is hidden; an unknown name is refused in one line', async () => {
    const page = await open('lesson=seed&hide=depth,gain&threads=2', 1280, 720);
    const hidden = await page.$$eval('#config label', (labels) => labels.filter((l) => (l as HTMLElement).hidden || (l as HTMLElement).offsetParent === null).map((l) => (l.querySelector('input, select') as HTMLInputElement | null)?.name));
    expect(hidden.sort()).toEqual(['depth', 'gain']);
    await page.click('#copy-link');
    expect(page.url()).toMatch(/\?lesson=seed&hide=depth%2Cgain&/);
    await page.close();
    const bad = await open('lesson=seed&hide=depht', 1280, 720);
    const refusal = (await bad.textContent('#error'))!;
    expect(refusal).toMatch(/^hide: "depht" is not a control \(one of batch, width, depth, .*\)$/);
    expect(refusal.split('\n')).toHaveLength(1);
    await bad.close();
  }, 60_000);

  it('lecture mode at 1280 × 720: the lesson\'s main chart, beside its text, starts on the first screen and its smallest text renders at 14 px or more; the toggle turns it off and the link keeps it', async () => {
    const page = await open('lesson=seed&lecture=1&threads=2', 1280, 720);
    const smallest = () => page.$eval('[role="tabpanel"]:not([hidden]) .figure', (card) => {
      const svg = card.querySelector(':scope > svg') as SVGSVGElement, scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
      const sizes = [...svg.querySelectorAll('text')].filter((t) => t.getBoundingClientRect().width > 0).map((t) => Number(getComputedStyle(t).fontSize.replace('px', '')) * scale);
      return { smallest: Math.min(...sizes), width: svg.getBoundingClientRect().width, top: svg.getBoundingClientRect().top };
    });
    const lecture = await smallest();
    expect(lecture.smallest).toBeGreaterThanOrEqual(14);
    // beside the lesson's text, the chart is most of the width and starts on the first screen
    expect(lecture.width).toBeGreaterThan(800);
    expect(lecture.top).toBeLessThan(720 / 2);
    expect(await page.evaluate(() => document.body.classList.contains('lecture'))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'seed_lecture_1280.png') });
    await page.click('#lecture');
    await page.waitForFunction(() => !document.body.classList.contains('lecture'));
    expect((await smallest()).smallest).toBeLessThan(14);
    await page.close();
  }, 60_000);

  // every lesson, lecture mode, a field invalid, and the compare view
  it.each([...LESSONS.map((l) => [`lesson=${l.id}`]), ['lesson=gradients&lecture=1'], ['lesson=seed&depth=0'], ['pattern=xavier:relu&compare=pattern:he:relu']])('axe finds no serious or critical violations at %s, at 1400 × 900 and 390 × 844', async (query) => {
    for (const [width, height] of [[1400, 900], [390, 844]]) {
      const page = await open(`${query}&threads=2`, width, height);
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), `${query} at ${width} px`).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it('compare: a link with compare=pattern:he:relu draws each line chart of both runs side by side on the same axes and keeps it; a control that is none is refused in one line', async () => {
    const page = await open('pattern=xavier:relu&depth=12&threads=2&compare=pattern:he:relu', 1280, 720);
    expect(await page.getAttribute('#tab-compare', 'aria-selected')).toBe('true');
    await page.waitForFunction(() => document.querySelectorAll('#compare-figures .figure').length >= 2, null, { timeout: 30_000 });
    const pairs = await page.$$eval('#compare-figures .figure', (cards) => cards.map((c) => ({ name: (c as HTMLElement).dataset.name, ticks: [...c.querySelectorAll('svg .plot > g:nth-of-type(3) .tick text')].map((t) => t.textContent).join(' ') })));
    expect(pairs[0].name).toBe('relu_spread_check_ex2_A');
    expect(pairs[1].name).toBe('relu_spread_check_ex2_B');
    for (let i = 0; i < pairs.length; i += 2) expect(pairs[i + 1].ticks, pairs[i].name).toBe(pairs[i].ticks);
    // Xavier + ReLU falls to 2⁻¹² by layer 12: B's flat He + ReLU is drawn on the same decades
    expect(pairs[0].ticks.split(' ').length).toBeGreaterThan(4);
    expect(page.url()).toContain('compare=pattern%3Ahe%3Arelu');
    await page.close();
    const bad = await open('depth=4&threads=2&compare=deph:3', 1280, 720);
    await bad.waitForFunction(() => document.getElementById('compare-error')!.textContent !== '');
    expect(await bad.textContent('#compare-error')).toMatch(/^compare: "deph" is not a control to compare \(one of batch, width, depth, .*\)$/);
    await bad.close();
  }, 60_000);

  it('a tab with nothing to draw says why and what to set: the c-maps of a transformer run, the SPP of plain blocks, the spectrum without it', async () => {
    const page = await open('lesson=rank-collapse&threads=2', 1280, 720);
    const visibleText = (panel: string) => page.$eval(`#${panel}`, (p) => [...p.querySelectorAll('p')].filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.textContent).join(' '));
    await page.click('#tab-corr');
    expect(await visibleText('panel-corr')).toContain('No c-maps: the correlation map belongs to plain MLP blocks.');
    await page.click('#tab-spectrum');
    expect(await visibleText('panel-spectrum')).toContain('Tick spectrum');
    await page.close();
  }, 60_000);

  it('the glossary: a term in the lesson\'s text links to its entry, and keyboard focus on it, or on a figure title naming a term, shows the definition', async () => {
    const page = await open('lesson=edge-of-chaos&threads=2', 1280, 720);
    const term = page.locator('[data-lesson-text] a.term').first();
    const id = await term.getAttribute('data-term');
    expect(await page.locator(`#glossary-${id}`).count()).toBe(1);
    await term.focus();
    expect(await page.isVisible('#term-tip')).toBe(true);
    expect(await page.textContent('#term-tip')).toContain(await page.textContent(`#glossary-${id}`));
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#term-tip')).toBe(false);
    await page.click('#tab-lines');
    const label = page.locator('.figure svg text[data-term]').first();
    await label.focus();
    expect(await page.isVisible('#term-tip')).toBe(true);
    await page.close();
  }, 60_000);
});

// The page outside its usual host: dist/web served under a subpath (/courses/init/), and the single-file build
// (dist/relu-spread-check.html) opened from disk with no server. Both run a lesson with no click and draw its
// figures; from disk the workers start from blob: URLs and nothing is fetched from the network.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { findChromium, servePage } from '../helpers/browser.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = findChromium();
let baseUrl: string, context: BrowserContext, closePage: () => Promise<void>;

async function lessonAt(url: string): Promise<{ page: Page; requests: string[] }> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  await page.waitForFunction(() => ['done', 'error', 'invalid'].includes(document.body.dataset.state ?? ''), null, { timeout: 90_000 });
  return { page, requests };
}

const shown = (page: Page) => page.evaluate(() => ({ state: document.body.dataset.state, lesson: document.body.dataset.lesson, figures: document.querySelectorAll('#figures .figure svg').length, error: document.getElementById('error')!.hidden ? '' : document.getElementById('error')!.textContent }));

describe.skipIf(!CHROMIUM)('the page hosted elsewhere', () => {
  beforeAll(async () => {
    ({ baseUrl, context, close: closePage } = await servePage(ROOT, CHROMIUM!, '/courses/init/'));
  });
  afterAll(async () => closePage?.());

  it('under a subpath (/courses/init/): a lesson runs with no click, its menu links stay under the subpath', async () => {
    expect(baseUrl).toMatch(/\/courses\/init\/$/);
    const { page, requests } = await lessonAt(`${baseUrl}?lesson=seed`);
    expect(await shown(page)).toEqual({ state: 'done', lesson: 'seed', figures: expect.any(Number), error: '' });
    expect((await shown(page)).figures).toBeGreaterThan(0);
    // every file came from under the subpath
    expect(requests.filter((r) => r.startsWith('http') && !r.includes('/courses/init/'))).toEqual([]);
    const next = await page.getAttribute('#lesson-list a >> nth=1', 'href');
    expect(new URL(next!, page.url()).pathname).toBe('/courses/init/');
    await page.close();
  }, 60_000);

  it('the single file from disk (file://, no server): a lesson runs with no click in blob: workers, the figures draw in the bundled font, and a PNG downloads', async () => {
    const file = join(ROOT, 'dist', 'relu-spread-check.html');
    expect(statSync(file).size).toBeLessThan(4_000_000);
    const { page, requests } = await lessonAt(`${pathToFileURL(file).href}?lesson=rank-collapse`);
    expect(await shown(page)).toMatchObject({ state: 'done', lesson: 'rank-collapse', error: '' });
    expect(await page.evaluate(() => document.querySelectorAll('#tokens-figures .figure svg').length)).toBe(1);
    expect(await page.evaluate(() => document.fonts.check('12px "DejaVu Sans"'))).toBe(true);
    expect(requests.filter((r) => !/^(file|blob|data):/.test(r))).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#tokens-figures .figure .downloads button >> nth=1')]);
    expect(download.suggestedFilename()).toBe('tokens_A)_He_+_ReLU.png');
    expect(await download.failure()).toBeNull();
    await page.close();
  }, 60_000);
});

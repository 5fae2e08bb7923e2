// npm run bench:page: the page's latency in Debian's Chromium. Over 20 changes of the depth slider
// at the live size: the median and p90 time from the change to updated figures, and of the run and
// drawing alone; then 20 typed changes of the depth field (which wait for a 150 ms pause in typing);
// then one full run of the original's config.
//   node scripts/benchPage.mjs [--changes 20] [QUERY]     (QUERY: the live size, default the page's)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const changes = Number(args[args.indexOf('--changes') + 1] || 20) || 20;
const query = args.find((a) => a.includes('=') && !a.startsWith('--')) ?? '';
const root = join(import.meta.dirname, '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const server = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve) => server.stdout.on('data', (c) => { const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(c)); if (m) resolve(m[0]); }));
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'rsc-bench-page-')), { headless: true, executablePath, args: flags, viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
const settled = () => page.waitForFunction(() => ['done', 'error', 'invalid'].includes(document.body.dataset.state ?? ''), null, { timeout: 600_000 });
await page.goto(`${base}?${query}${query ? '&' : ''}autorun=1`);
await settled();
const size = await page.evaluate(() => ['batch', 'width', 'depth'].map((n) => document.querySelector(`[name="${n}"]`).value).join(' × '));

// the page notes when a run starts and when it is done; the change itself is timed here
await page.evaluate(() => {
  window.benchMarks = [];
  new MutationObserver(() => window.benchMarks.push([document.body.dataset.state, performance.now()])).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
});
const depth0 = Number(await page.inputValue('input[name="depth"]'));
const stat = (v) => { const s = [...v].sort((a, b) => a - b); return { median: s[Math.floor(s.length / 2)], p90: s[Math.ceil(0.9 * s.length) - 1] }; };
/** `changes` changes made by `change(value)`, alternating the depth by one: change → done, and running → done. */
async function measure(change) {
  const total = [], runOnly = [];
  for (let i = 0; i < changes; i++) {
    await page.evaluate(() => (window.benchMarks = []));
    const t0 = await page.evaluate(() => performance.now());
    await change(String(i % 2 ? depth0 : depth0 - 1));
    await page.waitForFunction(() => window.benchMarks.some(([s]) => s === 'running'));
    await settled();
    const marks = await page.evaluate(() => window.benchMarks);
    const start = marks.find(([s]) => s === 'running')[1], end = marks.findLast(([s]) => s === 'done')[1];
    total.push(end - t0);
    runOnly.push(end - start);
  }
  return { total: stat(total), run: stat(runOnly) };
}
const ms = (v) => `${v.toFixed(0)} ms`;
const slider = await measure((v) => page.fill('input[aria-label="depth slider"]', v));
console.log(`live size ${size}, depth slider: change → updated figures median ${ms(slider.total.median)}, p90 ${ms(slider.total.p90)}; run and draw alone median ${ms(slider.run.median)}, p90 ${ms(slider.run.p90)} (${changes} changes)`);
const typed = await measure((v) => page.fill('input[name="depth"]', v));
console.log(`live size ${size}, depth typed: change → updated figures median ${ms(typed.total.median)}, p90 ${ms(typed.total.p90)} (the 150 ms typing pause included)`);

await page.click('#original');
const started = Date.now();
await page.waitForFunction(() => document.body.dataset.state === 'running');
await settled();
console.log(`the original's config (8192 × 1024 × 20): ${((Date.now() - started) / 1000).toFixed(1)} s from the click to the figures`);
await context.close();
server.kill();

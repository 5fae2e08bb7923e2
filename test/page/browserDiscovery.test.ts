import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserRequired, findChromium } from '../helpers/browser.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('finding the browser for the page tests', () => {
  it('takes CHROMIUM_PATH first, then chromium, chromium-browser, google-chrome on PATH, else none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsc-path-'));
    const fake = (name: string) => (writeFileSync(join(dir, name), '#!/bin/sh\n'), chmodSync(join(dir, name), 0o755), join(dir, name));
    expect(findChromium({ PATH: dir })).toBeUndefined();
    const chrome = fake('google-chrome');
    expect(findChromium({ PATH: `/nonexistent:${dir}` })).toBe(chrome);
    const chromium = fake('chromium');
    expect(findChromium({ PATH: dir })).toBe(chromium);
    expect(findChromium({ PATH: dir, CHROMIUM_PATH: chrome })).toBe(chrome);
    expect(findChromium({ PATH: dir, CHROMIUM_PATH: join(dir, 'missing') })).toBeUndefined();
    expect([browserRequired({}), browserRequired({ CI: 'true' }), browserRequired({ REQUIRE_BROWSER: '1' })]).toEqual([false, true, true]);
  });

  // The real thing, with no browser on PATH: skipped with one line saying how to enable it, or a failed run under CI.
  it.each([[{}, 0, /browser tests skipped: no Chromium found/], [{ CI: 'true' }, 1, /no Chromium found, and CI=true or REQUIRE_BROWSER=1 requires the browser tests/]] as const)(
    'without a browser and with %j, vitest on the browser test exits %i',
    (env, status, output) => {
      const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
      const r = spawnSync(process.execPath, [vitest, 'run', 'test/page/browser.test.ts'], {
        cwd: ROOT, encoding: 'utf8', env: { PATH: '/nonexistent', HOME: process.env.HOME, ...env },
      });
      expect(r.status, r.stdout + r.stderr).toBe(status);
      expect(r.stdout + r.stderr).toMatch(output);
    },
    120_000,
  );
});

import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The browser to test the page in: $CHROMIUM_PATH, else the first of the usual names on $PATH; undefined if none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const runnable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.CHROMIUM_PATH) return runnable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (runnable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Whether a missing browser must fail the run rather than skip the browser tests. */
export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.REQUIRE_BROWSER === '1';
}

export const HOW_TO_ENABLE = 'browser tests skipped: no Chromium found (install Debian\'s chromium, or set CHROMIUM_PATH); CI=true or REQUIRE_BROWSER=1 makes this an error';

// Flags from DEVELOPERS.md: a closed network, no sandbox as root, nothing phoning home.
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The built page served from `root` (scripts/serve.mjs on a free port, under `base`) and a fresh Chromium profile to open it in. */
export async function servePage(root: string, executablePath: string, base = '/'): Promise<{ baseUrl: string; context: BrowserContext; close: () => Promise<void> }> {
  const server = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs'), '--port', '0', '--base', base], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(chunk.toString());
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'rsc-chromium-')), { headless: true, executablePath, args: CHROMIUM_FLAGS, viewport: { width: 1200, height: 900 } });
  return { baseUrl, context, close: async () => (await context.close(), void server.kill()) };
}

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

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

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a build output (e.g. "build/release.wasm", "dist/nodeShardWorker.js"), found
 * from either src/… (tests run the sources) or dist/ (the bundled CLI).
 */
export function builtFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`${relative} is missing from this copy of relu-spread-check (reinstall the package; in a checkout of the source, npm run build makes it)`);
}

import { execFileSync } from 'node:child_process';

/** Tests load build/release.wasm and spawn dist/cli.js: build them first when sources changed. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
}

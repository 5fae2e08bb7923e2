import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('the packed package', () => {
  it('carries what runs (bundles, page, both kernels) and none of test/, bench/, docs/, figures/, .ci/, src/', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const [pack] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
    const paths: string[] = pack.files.map((f: { path: string }) => f.path);
    expect(paths.filter((p) => /^(test|bench|docs|figures|\.ci|src|assembly|scripts)\//.test(p))).toEqual([]);
    for (const needed of ['dist/cli.js', 'dist/index.js', 'dist/nodeShardWorker.js', 'dist/types/index.d.ts', 'dist/web/index.html', 'build/release.wasm', 'build/relaxed.wasm', 'package.json', 'README.md']) {
      expect(paths, needed).toContain(needed);
    }
  }, 60_000);
});

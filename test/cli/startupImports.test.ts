// What a run loads before it computes: the CLI's and the shard worker's static import graphs (the
// bundles' chunks). Figure code (d3, jsdom, resvg) loads only once the workers are done, so a run's
// startup time and its peak memory during compute carry none of it (d3 alone is ~80 ms and ~12 MB).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** Every package a bundle file reaches through static imports (dynamic import() excluded). */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>(), seen = new Set<string>(), todo = [resolve(root, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"|^\s*import\s*"([^"]+)"/gm)) {
      const spec = match[1] ?? match[2];
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  }
  return packages;
}

describe('what a run loads before it computes', () => {
  it('the CLI and the shard worker import no figure package statically (d3, jsdom, @resvg/resvg-js)', () => {
    for (const entry of ['dist/cli.js', 'dist/nodeShardWorker.js']) {
      const packages = [...staticPackages(entry)];
      expect(packages.filter((p) => ['d3', 'jsdom', '@resvg/resvg-js'].includes(p)), entry).toEqual([]);
      expect(packages, entry).toContain('@assemblyscript/loader');
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

/** Every source file of src/ (as a path relative to src/) with the src/ files it imports. */
function importGraph(): Map<string, string[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(SRC, file), 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => normalize(join(dirname(file), m[1].replace(/\.js$/, '.ts'))));
    graph.set(file, targets.filter((t) => files.includes(t)));
  }
  return graph;
}

/** The folder's floor: an import may go to its own folder or to a lower floor, never up. The leaves (theory, model, options) sit below everything that runs. */
const FLOOR: Record<string, number> = { theory: 0, 'version.ts': 0, 'builtFile.ts': 0, 'pageAssets.ts': 0, model: 1, options: 2, kernel: 3, metrics: 4, predictions: 4.5, experiment: 5, figures: 5, shards: 6, run: 7, sweep: 8, library: 8.5, cli: 9, web: 9, 'index.ts': 9 };
/** What the leaves may import: each other (down the floors), nothing that runs, measures or draws. */
const LEAVES = ['theory', 'model', 'options'];
// src/cli.ts is the CLI's entry, the front door src/cli/ belongs to
const folderOf = (file: string) => (file === 'cli.ts' ? 'cli' : file.split('/')[0]);

describe('the shape of the code', () => {
  const graph = importGraph();

  it('has no import cycles', () => {
    const state = new Map<string, 'open' | 'done'>(), cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') return void cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
      state.set(file, 'open');
      for (const t of graph.get(file) ?? []) visit(t, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('imports only run down the floors (theory at the bottom, then the kernel, the front doors at the top); theory imports nothing outside itself', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      expect(FLOOR[from], `${file}: a folder without a floor`).toBeDefined();
      for (const t of targets) if (folderOf(t) !== from && !(FLOOR[folderOf(t)] < FLOOR[from])) upward.push(`${file} → ${relative('.', t)}`);
    }
    expect(upward).toEqual([]);
    for (const [file, targets] of graph) if (folderOf(file) === 'theory') expect(targets.every((t) => folderOf(t) === 'theory'), file).toBe(true);
  });

  it('model/, options/ and theory/ are leaves: they import nothing from kernel/, experiment/, shards/, run/, metrics/, figures/, sweep/, web/ or cli/', () => {
    const outward: string[] = [];
    for (const [file, targets] of graph) {
      if (!LEAVES.includes(folderOf(file))) continue;
      for (const t of targets) if (!LEAVES.includes(folderOf(t)) && folderOf(t) !== 'version.ts') outward.push(`${file} → ${relative('.', t)}`);
    }
    expect(outward).toEqual([]);
  });

  it('the page routes a figure to its tabs by the panels its job names, not by its file name', () => {
    const web = readdirSync(join(SRC, 'web')).filter((f) => f.endsWith('.ts'));
    const byName = web.filter((f) => /\.name\.startsWith\(/.test(readFileSync(join(SRC, 'web', f), 'utf8')));
    expect(byName).toEqual([]);
  });
});

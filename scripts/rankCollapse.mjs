// The README's rank-collapse picture: four attention stacks at T = 32, width 256, depth 48 on one chart,
//   node scripts/rankCollapse.mjs [OUT_DIR]   (default docs/; writes rank_collapse.png and prints the table)
// Each is one run of the built library (npm run build first); the table rows are its token_corr per block.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderComparison, runExperiment } from '../dist/index.js';

const out = process.argv[2] ?? 'docs';
const base = { block: 'attention', patterns: ['xavier:identity'], heads: 4, qkGain: 1, seqLen: 32, batch: 1024, width: 256, depth: 48 };
const configs = [
  ['no skip', {}],
  ['α = 1 (--residual 1)', { residual: 1 }],
  ['α = 1/√48, pre-LN (--residual 0.1443 --norm layer)', { residual: 0.1443, norm: 'layer' }],
  ['shaped, no skip (--attention shaped)', { attention: 'shaped' }],
];
const runs = [];
for (const [label, options] of configs) {
  const { patterns } = await runExperiment({ ...base, ...options });
  runs.push({ label, result: patterns[0] });
  const at = (b) => patterns[0].layers[b - 1].token_corr.toFixed(3);
  console.log(`| ${label} | ${[1, 6, 12, 24, 48].map(at).join(' | ')} | ${patterns[0].layers[47].attn_entropy.toFixed(3)} |`);
}
for (const file of await renderComparison(runs, { name: 'rank_collapse', formats: ['png'] })) writeFileSync(join(out, file.name), file.data);
console.log(`${join(out, 'rank_collapse.png')}`);

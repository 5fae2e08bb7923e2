import { availableParallelism } from 'node:os';
import { allowedText, defaultText, OPTIONS } from '../model/optionTable.js';

/** Five runs that cover the main tasks; the help test parses each with the real parser. */
export const HELP_EXAMPLES: readonly [string, string][] = [
  ['', "the original: Xavier + Identity, Xavier + ReLU, He + ReLU at 8192 × 1024 × 20, figures in ./figures"],
  ['--pattern he:relu --pattern xavier:tanh --pattern lecun:selu --depth 50 --width 256', 'compare three patterns deeper and narrower'],
  ['--pattern he:relu --seeds 8 --width 64 --batch 1024', "seed bands and the finite-width law of a narrow net"],
  ['--pattern he:gelu --pattern xavier:tanh --backward --width 512 --batch 1024', 'gradients of the backward pass against χ'],
  ['--residual 1 --pattern he:relu:none --pattern he:relu:batch --pattern he:relu:nf --depth 100 --width 512 --batch 1024', 'residual blocks: the Signal Propagation Plot of no norm, batch norm and NF'],
];

export function helpText(version: string): string {
  const rows: [string, string][] = OPTIONS.filter((o) => o.scope !== 'sweep').map((o) => {
    const flag = `${'short' in o ? `-${o.short}, ` : ''}--${o.flag}${'placeholder' in o ? ` ${o.placeholder}` : ''}`;
    if (o.kind === 'boolean') return [flag, o.help];
    const allowed = allowedText(o), shownDefault = o.flag === 'threads' ? `the cores (${availableParallelism()})` : defaultText(o);
    return [flag, `${o.help}; ${allowed ? `${allowed}; ` : ''}default ${shownDefault}`];
  });
  const w = Math.max(...rows.map(([a]) => a.length));
  return [
    `relu-spread-check ${version}`,
    'How weight init and activation change the spread of activations through a deep MLP:',
    "By default the original's A) Xavier + Identity, B) Xavier + ReLU, C) He + ReLU; any init × activation with --pattern.",
    'Per layer: E[z²], E[a²], E[a²]/E[z²], zeros, histograms, and the mean-field prediction.',
    '',
    'Usage: relu-spread-check [options]      (or: npm start -- [options])',
    '       relu-spread-check sweep [options] (one or two options over a grid: see sweep --help)',
    '',
    ...rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`),
    '',
    'Examples:',
    ...HELP_EXAMPLES.flatMap(([args, what]) => [`  relu-spread-check${args ? ` ${args}` : ''}`, `      ${what}`]),
    '  relu-spread-check sweep --pattern xavier:tanh --gain 0.5:3:26 --bias-std 0:0.5:11 --depth 50 --batch 256 --width 256',
    '      a phase diagram: the order–chaos transition over gain × bias-std',
    '',
    'Writes DIR/metrics.json (config + results, byte-identical for equal runs), DIR/run.json (timings,',
    'kernel build, versions) and the figures, each under a temporary name renamed when all are complete.\nExit codes: 0 ok, 2 bad input, 1 unexpected failure, 130 SIGINT, 143 SIGTERM.',
  ].join('\n');
}

import { availableParallelism } from 'node:os';
import { allowedText, defaultText, OPTIONS } from '../model/optionTable.js';

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
    'Writes DIR/metrics.json (config + results, byte-identical for equal runs), DIR/run.json (timings,',
    'kernel build, versions) and the figures, each under a temporary name renamed when all are complete.\nExit codes: 0 ok, 2 bad input, 1 unexpected failure, 130 SIGINT, 143 SIGTERM.',
  ].join('\n');
}

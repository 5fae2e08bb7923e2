import type { Progress } from '../experiment/runExperiment.js';

/** The share of the run's time the figures take, for the overall percentage and the ETA (a rough guide). */
const FIGURE_SHARE = 0.1;

/**
 * What the CLI says on stderr while it runs. On a terminal: one line, rewritten in place, with the
 * pattern, the layer, the overall percentage, the elapsed time and an ETA, the figures included.
 * Elsewhere (CI, logs): one line per finished pattern and one for the figures.
 */
export class ProgressReport {
  private layersDone = 0;
  private patternsDone = 0;
  private readonly started: number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly run: { patterns: number; depth: number; seeds: number; figures: boolean },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  private get computeShare(): number {
    return this.run.figures ? 1 - FIGURE_SHARE : 1;
  }

  private elapsed(): number {
    return (this.now() - this.started) / 1000;
  }

  private status(what: string, fraction: number): string {
    const elapsed = this.elapsed(), eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    return `${what}  ${Math.floor(100 * fraction)}%  ${elapsed.toFixed(1)} s${Number.isFinite(eta) && fraction < 1 ? `, ETA ${eta.toFixed(1)} s` : ''}`;
  }

  layer(p: Pick<Progress, 'patternIndex' | 'pattern' | 'layer' | 'depth'>): void {
    this.layersDone++;
    const total = this.run.patterns * this.run.depth * this.run.seeds;
    const fraction = (this.computeShare * this.layersDone) / total;
    const seed = this.run.seeds > 1 ? `seed ${Math.floor(this.patternsDone / this.run.patterns) + 1}/${this.run.seeds}  ` : '';
    if (this.tty) this.write(`\r\x1b[2K${this.status(`${seed}${p.pattern}: layer ${p.layer}/${p.depth}`, fraction)}`);
    if (p.layer === p.depth) {
      this.patternsDone++;
      if (!this.tty) this.write(`[PROGRESS] ${seed}${p.pattern}: ${p.depth} layer${p.depth > 1 ? 's' : ''} done  ${this.status(`(${this.patternsDone}/${this.run.patterns * this.run.seeds})`, fraction)}\n`);
    }
  }

  figure(done: number, total: number): void {
    const fraction = this.computeShare + (FIGURE_SHARE * done) / total;
    if (this.tty) this.write(`\r\x1b[2K${this.status(`figures: ${done}/${total}`, fraction)}`);
    else if (done === total) this.write(`[PROGRESS] figures: ${total} drawn  ${this.status('', 1).trim()}\n`);
  }

  /** Clears the terminal line before the summary. */
  finish(): void {
    if (this.tty) this.write('\r\x1b[2K');
  }
}

import type { LayerStep } from './blocks/block.js';
import type { ShardHandle } from './shardProtocol.js';

/**
 * Layers in flight beyond the one the host waits for: one hides the round trip and the host's
 * reductions, a second lets a shard on a faster core run a layer ahead of a slower one. Each holds a
 * step's arrays (about 1.3 MB per shard at the default run); 4 was tried, and one default run then
 * peaked at 239 MB with no speed to show for it.
 */
export const LAYERS_AHEAD = 2;

/**
 * The forward layers of a pattern whose blocks take nothing back from the host (no batch norm, no
 * LSUV), asked ahead: a worker starts its next layer the moment it ends one instead of idling for a
 * round trip and the host's reductions. Each shard answers in the order asked, so a histogram layer's
 * histograms must be asked before anything overwrites what they count. Where that lasts until the next
 * histogram layer (histogramsOutlastLayer), layers are sent past a histogram layer before its
 * histograms are asked, but not the next histogram layer; elsewhere none past it. The steps are copies,
 * so no later layer overwrites them.
 */
export class LayersAhead {
  private readonly sent = new Map<number, Promise<LayerStep[]>>();
  private lastSent = 0;
  /** The histogram layers whose histograms are not asked yet, ascending. */
  private unasked: number[];

  constructor(
    private readonly shards: readonly ShardHandle[],
    private readonly depth: number,
    /** Ascending. */
    histLayers: readonly number[],
    /** Whether a histogram layer's values stay intact until the next histogram layer runs. */
    private readonly histogramsOutlast: boolean,
  ) {
    this.unasked = [...histLayers];
  }

  /** Sends the layers from `layer` on, LAYERS_AHEAD beyond it at most, none past a histogram layer whose histograms the next layers would overwrite. */
  sendFrom(layer: number): void {
    const bound = this.histogramsOutlast ? (this.unasked[1] ?? Infinity) - 1 : (this.unasked[0] ?? Infinity);
    const stop = Math.min(bound, this.depth, layer + LAYERS_AHEAD);
    for (let l = Math.max(layer, this.lastSent + 1); l <= stop; l++) {
      const steps = Promise.all(this.shards.map((s) => s.runLayer()));
      // a failure is reported where its layer is awaited; the layers sent after it must not report it again
      steps.catch(() => undefined);
      this.sent.set(l, steps);
      this.lastSent = l;
    }
  }

  /** The histograms of histogram layer `layer` are asked: the layers they held back can go. */
  histogramsAsked(layer: number): void {
    this.unasked = this.unasked.filter((h) => h > layer);
  }

  /** The steps of `layer` (sent now if they were not yet). */
  steps(layer: number): Promise<LayerStep[]> {
    this.sendFrom(layer);
    const steps = this.sent.get(layer)!;
    this.sent.delete(layer);
    return steps;
  }
}

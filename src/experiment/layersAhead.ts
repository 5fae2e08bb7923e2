import type { LayerStep } from './blocks/block.js';
import type { ShardHandle } from './shardProtocol.js';

/**
 * Layers in flight beyond the one the host waits for: one hides the round trip and the host's
 * reductions; a second covers a slow reply. More would only hold more steps' arrays.
 */
const LAYERS_AHEAD = 2;

/**
 * The forward layers of a pattern whose blocks take nothing back from the host (no batch norm, no
 * LSUV), asked ahead: a worker starts its next layer the moment it ends one instead of idling for a
 * round trip and the host's reductions. Nothing is sent past a histogram layer until its histograms
 * are asked: each shard answers in the order asked, so they still see that layer's z and a. The
 * steps are copies, so no later layer overwrites them.
 */
export class LayersAhead {
  private readonly sent = new Map<number, Promise<LayerStep[]>>();
  private lastSent = 0;

  constructor(
    private readonly shards: readonly ShardHandle[],
    private readonly depth: number,
    /** Ascending. */
    private readonly histLayers: readonly number[],
  ) {}

  /** Sends the layers from `layer` on, LAYERS_AHEAD beyond it at most, and none past the first histogram layer at or after it. */
  sendFrom(layer: number): void {
    const stop = Math.min(this.histLayers.find((h) => h >= layer) ?? this.depth, this.depth, layer + LAYERS_AHEAD);
    for (let l = Math.max(layer, this.lastSent + 1); l <= stop; l++) {
      const steps = Promise.all(this.shards.map((s) => s.runLayer()));
      // a failure is reported where its layer is awaited; the layers sent after it must not report it again
      steps.catch(() => undefined);
      this.sent.set(l, steps);
      this.lastSent = l;
    }
  }

  /** The steps of `layer` (sent now if they were not yet). */
  steps(layer: number): Promise<LayerStep[]> {
    this.sendFrom(layer);
    const steps = this.sent.get(layer)!;
    this.sent.delete(layer);
    return steps;
  }
}

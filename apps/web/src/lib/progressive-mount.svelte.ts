/**
 * Opening a 500-card map should not wait for cards nobody can see yet. The cells of the
 * first screen get their cards at once; the others follow a batch per task, top row first,
 * so the page stays responsive while they arrive. Once everything is in, every cell
 * (including stages and lanes added later) renders straight away.
 *
 * The marks `waymark:first-screen` and `waymark:all-cards` (User Timing) say when each
 * happened, for the benchmark and for anyone profiling a big map.
 */
const CELLS_PER_BATCH = 12;

export class ProgressiveMount {
  #released = $state(0);
  #complete = $state(false);
  readonly #eagerStages: number;
  readonly #eagerLanes: number;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `eagerStages` × `eagerLanes` is the top-left block of cells the first screen shows. */
  constructor(eagerStages: number, eagerLanes: number) {
    this.#eagerStages = eagerStages;
    this.#eagerLanes = eagerLanes;
  }

  get complete(): boolean {
    return this.#complete;
  }

  shows(stageIndex: number, laneIndex: number, stageCount: number): boolean {
    if (this.#complete) return true;
    if (stageIndex < this.#eagerStages && laneIndex < this.#eagerLanes) return true;
    return laneIndex * stageCount + stageIndex < this.#released * CELLS_PER_BATCH;
  }

  /** Starts releasing the rest after the first screen has been drawn. */
  start(cellCount: number): void {
    performance.mark('waymark:first-screen');
    const step = () => {
      this.#released++;
      if (this.#released * CELLS_PER_BATCH >= cellCount) {
        this.#complete = true;
        this.#timer = null;
        requestAnimationFrame(() => performance.mark('waymark:all-cards'));
        return;
      }
      // A frame between batches lets the browser paint and answer input.
      this.#timer = setTimeout(() => requestAnimationFrame(step), 0);
    };
    this.#timer = setTimeout(() => requestAnimationFrame(step), 0);
  }

  destroy(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
  }
}

/** How many numbers past a gap are remembered; past that the mark simply stops moving (never unsafe). */
const MAX_AHEAD = 10_000;

/**
 * With several nodes appending to one map, a room's document may lack an update another node has
 * stored under a lower sequence number than this node's own last one (it is still on its way
 * through the fan-out). A compaction must fold in only what the document holds, so it goes no
 * further than this mark: the highest number through which every stored update of the map has
 * been applied here (loaded, committed by this node, or delivered by the fan-out).
 */
export class StoredThrough {
  #through: number;
  readonly #ahead = new Set<number>();

  constructor(through: number) {
    this.#through = through;
  }

  get through(): number {
    return this.#through;
  }

  /** Updates `first` through `last` are in the document. */
  note(first: number, last: number): void {
    for (let seq = Math.max(first, this.#through + 1); seq <= last; seq++) {
      if (seq === this.#through + 1) this.#through = seq;
      else if (this.#ahead.size < MAX_AHEAD) this.#ahead.add(seq);
    }
    while (this.#ahead.delete(this.#through + 1)) this.#through++;
  }
}

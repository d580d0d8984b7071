import type { Stage } from '@waymark/model';

/**
 * Presenting a map on a projector, one stage at a time: which stage fills the screen. A whole
 * map fitted to a projector is too small to read from the back of a room; one stage at full
 * width is not. The stage is kept by id, so it follows the stage when others reorder the map.
 */
export class StagePresentation {
  #stageId = $state<string | null>(null);

  get presenting(): boolean {
    return this.#stageId !== null;
  }

  /** The stage on screen among `stages`: the one chosen, else (deleted meanwhile) the first. */
  current(stages: readonly Stage[]): { stage: Stage; index: number } | null {
    if (this.#stageId === null || stages.length === 0) return null;
    const index = Math.max(0, stages.findIndex((stage) => stage.id === this.#stageId));
    return { stage: stages[index]!, index };
  }

  start(stageId: string): void {
    this.#stageId = stageId;
  }

  /** Moves `step` stages on (negative: back), stopping at the first and the last. */
  move(stages: readonly Stage[], step: number): void {
    const shown = this.current(stages);
    if (!shown) return;
    const index = Math.min(stages.length - 1, Math.max(0, shown.index + step));
    this.#stageId = stages[index]!.id;
  }

  goTo(stages: readonly Stage[], index: number): void {
    const stage = stages[index];
    if (stage && this.#stageId !== null) this.#stageId = stage.id;
  }

  stop(): void {
    this.#stageId = null;
  }
}

import type { Stage } from '@waymark/model';

/**
 * Presenting a map on a projector, one stage at a time: which stage fills the screen, and whether
 * it is this person's own presentation or a colleague's being followed. A whole map fitted to a
 * projector is too small to read from the back of a room; one stage at full width is not. The
 * stage is kept by id, so it follows the stage when others reorder the map.
 */
export class StagePresentation {
  #stageId = $state<string | null>(null);
  /** The presenter (their awareness client id) whose stage this view follows, or null. */
  #following = $state<number | null>(null);
  /** Opened by jumping to a colleague's presentation: then it is theirs and is not announced. */
  #joined = $state(false);

  get presenting(): boolean {
    return this.#stageId !== null;
  }

  get following(): number | null {
    return this.#following;
  }

  /** The stage to announce to others as presented here: only an own presentation's. */
  announced(stages: readonly Stage[]): string | null {
    return this.#joined ? null : (this.current(stages)?.stage.id ?? null);
  }

  /** The stage on screen among `stages`: the one chosen, else (deleted meanwhile) the first. */
  current(stages: readonly Stage[]): { stage: Stage; index: number } | null {
    if (this.#stageId === null || stages.length === 0) return null;
    const index = Math.max(
      0,
      stages.findIndex((stage) => stage.id === this.#stageId),
    );
    return { stage: stages[index]!, index };
  }

  start(stageId: string): void {
    this.#stageId = stageId;
    this.#following = null;
    this.#joined = false;
  }

  /** Opens (or keeps open) a colleague's presentation at their stage, following them from now on. */
  join(presenter: number, stageId: string): void {
    this.#stageId = stageId;
    this.#following = presenter;
    this.#joined = true;
  }

  /** The followed presenter moved to `stageId`. */
  followTo(stageId: string): void {
    if (this.#following !== null) this.#stageId = stageId;
  }

  /** Stays on the stage shown, no longer moving with the presenter. */
  unfollow(): void {
    this.#following = null;
  }

  /** Moves `step` stages on (negative: back), stopping at the first and the last; a follower steps away. */
  move(stages: readonly Stage[], step: number): void {
    const shown = this.current(stages);
    if (!shown) return;
    const index = Math.min(stages.length - 1, Math.max(0, shown.index + step));
    this.#stageId = stages[index]!.id;
    this.#following = null;
  }

  goTo(stages: readonly Stage[], index: number): void {
    const stage = stages[index];
    if (!stage || this.#stageId === null) return;
    this.#stageId = stage.id;
    this.#following = null;
  }

  stop(): void {
    this.#stageId = null;
    this.#following = null;
    this.#joined = false;
  }
}

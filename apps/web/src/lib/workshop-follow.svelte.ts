/**
 * Whether this page follows the facilitator's view: scroll, zoom, focused stage and presented
 * stage. A participant starts following by choice or when the facilitator brings everyone to
 * them, and steps away by moving on their own or by asking to; coming back is one click.
 */
export class WorkshopFollow {
  #following = $state(false);
  #steppedAway = $state(false);

  get following(): boolean {
    return this.#following;
  }

  /** Followed before and stepped away since: the way back is "Back to …", not "Follow …". */
  get steppedAway(): boolean {
    return this.#steppedAway;
  }

  follow(): void {
    this.#following = true;
    this.#steppedAway = false;
  }

  stepAway(): void {
    if (!this.#following) return;
    this.#following = false;
    this.#steppedAway = true;
  }

  /** The facilitator left the seat: there is nobody to follow or to go back to. */
  reset(): void {
    this.#following = false;
    this.#steppedAway = false;
  }
}

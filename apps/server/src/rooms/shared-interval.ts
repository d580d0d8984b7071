/** Something a shared interval calls on each tick. */
export interface Ticking {
  tick(now: number): void;
}

/**
 * One timer for a periodic chore that many rooms have, instead of a timer (and a closure) in
 * every room: a room joins while it has work for the chore and leaves when it has none, and the
 * timer runs only while someone is in.
 *
 * With `slices` above 1 the members are spread over that many slots, one slot visited per
 * `periodMs / slices`: each member is still visited once per period, but a chore that sends
 * (keepalives) does not send for every room in the same instant.
 */
export class SharedInterval {
  /** Each member's slot. */
  readonly #members = new Map<Ticking, number>();
  #nextSlot = 0;
  #phase = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly periodMs: number,
    readonly slices = 1,
  ) {}

  get size(): number {
    return this.#members.size;
  }

  add(member: Ticking): void {
    if (this.#members.has(member)) return;
    this.#members.set(member, this.#nextSlot);
    this.#nextSlot = (this.#nextSlot + 1) % this.slices;
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), this.periodMs / this.slices);
    this.#timer.unref();
  }

  delete(member: Ticking): void {
    if (!this.#members.delete(member) || this.#members.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  close(): void {
    this.#members.clear();
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = Date.now();
    const phase = this.#phase;
    this.#phase = (phase + 1) % this.slices;
    for (const [member, slot] of this.#members) {
      if (slot === phase) member.tick(now);
    }
  }
}

/** Something a shared interval calls on each tick. */
export interface Ticking {
  tick(now: number): void;
}

/**
 * One timer for a periodic chore that many rooms have, instead of a timer (and a closure) in
 * every room: a room joins while it has work for the chore and leaves when it has none, and the
 * timer runs only while someone is in.
 *
 * With `slotMs` shorter than the period, the members are spread over slots, one slot visited
 * every `slotMs`: each member is still visited once per period, but a chore that sends
 * (keepalives, pings) does not send to every room or socket in the same instant.
 */
export class SharedInterval {
  /** Each member's slot. */
  readonly #members = new Map<Ticking, number>();
  #nextSlot = 0;
  #phase = 0;
  #timer: NodeJS.Timeout | undefined;

  /** How many slots the members are spread over. */
  readonly slices: number;

  constructor(
    readonly periodMs: number,
    slotMs = periodMs,
  ) {
    this.slices = Math.max(1, Math.round(periodMs / slotMs));
  }

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

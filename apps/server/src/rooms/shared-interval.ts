/** Something a shared interval calls on each tick. */
export interface Ticking {
  tick(now: number): void;
}

/**
 * One timer for a periodic chore that many rooms have, instead of a timer (and a closure) in
 * every room: a room joins while it has work for the chore and leaves when it has none, and the
 * timer runs only while someone is in.
 */
export class SharedInterval {
  readonly #members = new Set<Ticking>();
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly periodMs: number) {}

  get size(): number {
    return this.#members.size;
  }

  add(member: Ticking): void {
    this.#members.add(member);
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), this.periodMs);
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
    for (const member of this.#members) member.tick(now);
  }
}

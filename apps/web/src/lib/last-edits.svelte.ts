import { ActivityApi, type LastEdit } from './activity-api';

/**
 * Each record's last editor on one map, as the server last said: fetched when the card panel
 * opens a card, never per keystroke. A failed fetch keeps nothing stale: it is unavailable.
 */
export class LastEdits {
  readonly #api: ActivityApi;
  #edits = $state.raw<ReadonlyMap<string, LastEdit> | null>(null);
  #unavailable = $state(false);
  #request = 0;

  constructor(mapId: string, token: string) {
    this.#api = new ActivityApi({ mapId, token });
  }

  /** Whether an answer has come (until then the panel keeps the line's place empty). */
  get loaded(): boolean {
    return this.#edits !== null;
  }
  get unavailable(): boolean {
    return this.#unavailable;
  }

  /** The card's last edit, if the server knows of one. */
  ofCard(id: string): LastEdit | undefined {
    return this.#edits?.get(`cards/${id}`);
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    // Offline, the request could only fail (and the browser would log it as an error).
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.#fail();
      return;
    }
    const answer = await this.#api.lastEdits();
    if (request !== this.#request) return;
    if (!answer.ok) {
      this.#fail();
      return;
    }
    this.#unavailable = false;
    this.#edits = answer.value;
  }

  #fail(): void {
    this.#unavailable = true;
    this.#edits = null;
  }
}

import { ActivityApi, type ActivityEntry } from './activity-api';

/** Entries the feed shows: the server's default page, a few days of a busy map. */
const FEED_LENGTH = 50;

/**
 * The history panel's Activity view for one open map: who changed what, newest first, fetched
 * when the view opens and when asked again. An answer to a superseded request is dropped.
 */
export class ActivityFeed {
  readonly #api: ActivityApi;
  #entries = $state.raw<readonly ActivityEntry[]>([]);
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #request = 0;

  constructor(mapId: string, token: string) {
    this.#api = new ActivityApi({ mapId, token });
  }

  get entries(): readonly ActivityEntry[] {
    return this.#entries;
  }
  get loading(): boolean {
    return this.#loading;
  }
  /** Whether an answer has come at all (the entries shown may be from an earlier one). */
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }

  /** True when the entries are now the server's latest. */
  async load(): Promise<boolean> {
    const request = ++this.#request;
    this.#loading = true;
    const answer = await this.#api.list(FEED_LENGTH);
    if (request !== this.#request) return false;
    this.#loading = false;
    if (!answer.ok) {
      this.#error = `The activity could not be loaded: ${answer.error}.`;
      return false;
    }
    this.#error = null;
    this.#entries = answer.value;
    this.#loaded = true;
    return true;
  }
}

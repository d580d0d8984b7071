import { listTrash, restoreMap, type TrashedMap } from './map-life-api';

/**
 * The workspace's trash as a workspace admin sees it. A member's link is refused the trash
 * (403): then there is no trash to offer, and nothing to say about it.
 */
export class LibraryTrash {
  #maps = $state.raw<readonly TrashedMap[]>([]);
  /** Unknown until the server first answers; false for a member's link. */
  #available = $state<boolean | null>(null);
  #problem = $state<string | null>(null);
  #restoring = $state<string | null>(null);
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  get maps(): readonly TrashedMap[] {
    return this.#maps;
  }
  get available(): boolean | null {
    return this.#available;
  }
  get problem(): string | null {
    return this.#problem;
  }
  /** The map being restored now, if any. */
  get restoring(): string | null {
    return this.#restoring;
  }

  async load(): Promise<void> {
    const answer = await listTrash(this.#token);
    if (answer.ok) {
      this.#maps = answer.value;
      this.#available = true;
      this.#problem = null;
    } else if (answer.status === 401 || answer.status === 403) {
      this.#available = false;
    } else {
      this.#problem = `The trash could not be loaded: ${answer.error}.`;
    }
  }

  /** Restores one map; true once it is back in the library. */
  async restore(id: string): Promise<boolean> {
    this.#restoring = id;
    const answer = await restoreMap(id, this.#token);
    this.#restoring = null;
    if (!answer.ok) {
      this.#problem = `The map was not restored: ${answer.error}.`;
      return false;
    }
    this.#maps = this.#maps.filter((map) => map.id !== id);
    this.#problem = null;
    return true;
  }
}

import { fetchLibrary, type LibraryMap, type LibrarySort, type WorkspaceRole } from './library-api';

/** Typing in the search box asks the server once the typing pauses, not on every key. */
const SEARCH_PAUSE_MS = 250;

export type LibraryProblem = { readonly linkEnded: boolean; readonly message: string };

/**
 * The library's list as the server last answered it, for one workspace token. A newer request
 * cancels an older one, so a slow answer to an old search never replaces a newer answer.
 */
export class Library {
  #maps = $state.raw<readonly LibraryMap[]>([]);
  #loading = $state(true);
  #loadedOnce = $state(false);
  #problem = $state<LibraryProblem | null>(null);
  #query = $state('');
  #sort = $state<LibrarySort>('updated');
  #role = $state<WorkspaceRole | null>(null);
  readonly #token: string;
  #request: AbortController | null = null;
  #pause: ReturnType<typeof setTimeout> | null = null;

  constructor(token: string) {
    this.#token = token;
  }

  get maps(): readonly LibraryMap[] {
    return this.#maps;
  }
  get loading(): boolean {
    return this.#loading;
  }
  /** Whether any list has arrived yet (before that, the page says it is loading). */
  get loadedOnce(): boolean {
    return this.#loadedOnce;
  }
  get problem(): LibraryProblem | null {
    return this.#problem;
  }
  /** The workspace link's role, once the server has said; an admin sees the trash and the workspace's links. */
  get role(): WorkspaceRole | null {
    return this.#role;
  }
  get query(): string {
    return this.#query;
  }
  get sort(): LibrarySort {
    return this.#sort;
  }

  search(query: string): void {
    this.#query = query;
    if (this.#pause !== null) clearTimeout(this.#pause);
    this.#pause = setTimeout(() => {
      this.#pause = null;
      void this.load();
    }, SEARCH_PAUSE_MS);
  }

  sortBy(sort: LibrarySort): void {
    this.#sort = sort;
    void this.load();
  }

  async load(): Promise<void> {
    this.#request?.abort();
    const request = new AbortController();
    this.#request = request;
    this.#loading = true;
    try {
      const answer = await fetchLibrary(this.#token, this.#query, this.#sort, request.signal);
      if (request.signal.aborted) return;
      if (answer.ok) {
        this.#maps = answer.maps;
        this.#role = answer.role;
        this.#problem = null;
        this.#loadedOnce = true;
      } else {
        this.#problem = { linkEnded: answer.linkEnded, message: answer.message };
      }
      this.#loading = false;
    } catch {
      // Aborted by a newer request, which owns the loading state now.
    }
  }

  stop(): void {
    this.#request?.abort();
    if (this.#pause !== null) clearTimeout(this.#pause);
  }
}

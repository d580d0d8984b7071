import { SurveyImportApi } from './survey-import-api';

/**
 * The file each survey import of a map came from, by import id: imported measurements carry the
 * import's id (so deleting the import finds them), and people read the file's name. Asked of
 * the server when first needed, and again when an id it does not know turns up (a newer import).
 */
export class SurveyImportNames {
  readonly #api: SurveyImportApi;
  #names = $state.raw<ReadonlyMap<string, string>>(new Map());
  #asking: Promise<void> | null = null;
  readonly #askedFor = new Set<string>();

  constructor(mapId: string, token: string) {
    this.#api = new SurveyImportApi({ mapId, token });
  }

  /** The file's name, or null until it is known (or when the import was deleted). */
  fileOf(importId: string): string | null {
    const known = this.#names.get(importId);
    if (known !== undefined || importId === '') return known ?? null;
    if (!this.#asking && !this.#askedFor.has(importId)) {
      this.#askedFor.add(importId);
      this.#asking = this.#load().finally(() => (this.#asking = null));
    }
    return null;
  }

  async #load(): Promise<void> {
    const answer = await this.#api.list();
    if (answer.ok) this.#names = new Map(answer.value.map((entry) => [entry.id, entry.fileName]));
  }
}

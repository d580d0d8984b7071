import type { Fetch } from './api-request';
import { downloadWorkshopSummary, fetchWorkshopSummary, type SummaryFormat, type WorkshopSummary } from './summary-api';

/**
 * The workshop summary as the dialog shows it: fetched on opening and on "Refresh" (the session
 * may still be under way), and saved as Markdown or PDF. What went wrong is kept in words for the
 * dialog to show, since a modal dialog covers the notice tray.
 */
export class WorkshopSummaryView {
  #summary = $state.raw<WorkshopSummary | null>(null);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #loadedAt = $state<number | null>(null);
  #saving = $state<SummaryFormat | null>(null);
  #saved = $state<{ readonly ok: boolean; readonly text: string } | null>(null);
  /** Only the latest load's answer is shown; an earlier one arriving late is dropped. */
  #asked = 0;

  constructor(
    private readonly mapId: string,
    private readonly token: string,
    private readonly send?: Fetch,
  ) {}

  get summary(): WorkshopSummary | null {
    return this.#summary;
  }
  get loading(): boolean {
    return this.#loading;
  }
  /** Why the last load failed, in the server's words; null when it did not. */
  get error(): string | null {
    return this.#error;
  }
  /** When the summary shown was fetched (this browser's clock). */
  get loadedAt(): number | null {
    return this.#loadedAt;
  }
  /** The file being prepared, if any. */
  get saving(): SummaryFormat | null {
    return this.#saving;
  }
  /** How the last download went. */
  get saved(): { readonly ok: boolean; readonly text: string } | null {
    return this.#saved;
  }

  async load(): Promise<void> {
    const asked = ++this.#asked;
    this.#loading = true;
    const answer = await fetchWorkshopSummary(this.mapId, this.token, this.send);
    if (asked !== this.#asked) return;
    this.#loading = false;
    if (answer.ok) {
      this.#summary = answer.value;
      this.#error = null;
      this.#loadedAt = Date.now();
    } else {
      this.#error = answer.error;
    }
  }

  async download(format: SummaryFormat): Promise<void> {
    if (this.#saving) return;
    this.#saving = format;
    this.#saved = null;
    const name = format === 'pdf' ? 'PDF' : 'Markdown';
    const answer = await downloadWorkshopSummary(this.mapId, this.token, format, this.send);
    this.#saving = null;
    this.#saved = answer.ok
      ? { ok: true, text: `Saved ${answer.fileName}.` }
      : { ok: false, text: `The ${name} download failed: ${answer.error}.` };
  }
}

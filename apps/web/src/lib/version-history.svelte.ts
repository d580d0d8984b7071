import { exportMap, type MapExport } from '@waymark/model';
import { ActivityFeed } from './activity-feed.svelte';
import type { MapSession } from './map-session.svelte';
import { versionTitle } from './version-labels';
import { VersionsApi, type ApiAnswer, type ForkedMap, type MapVersion, type VersionWithMap } from './versions-api';
import { WorkspaceLink } from './workspace-link.svelte';

/** What the preview is compared with: the map now, another version (its id), or nothing. */
export type Comparison = 'now' | 'none' | { readonly versionId: string };

/** The history panel's two views: the map's versions, and who changed what. */
export type HistoryView = 'versions' | 'activity';

/**
 * The history panel's state for one open map: the versions, the one being previewed, what it is
 * compared with, and the verbs (name, restore, fork, delete). `said` is the latest outcome, for
 * the panel's live region.
 */
export class VersionHistory {
  readonly #session: MapSession;
  readonly #api: VersionsApi;
  /** The Activity view's entries. */
  readonly activity: ActivityFeed;
  #view = $state<HistoryView>('versions');
  #versions = $state.raw<readonly MapVersion[]>([]);
  #loading = $state(false);
  #loaded = $state(false);
  #listError = $state<string | null>(null);
  #said = $state('');
  #preview = $state.raw<VersionWithMap | null>(null);
  #opening = $state<string | null>(null);
  #previewError = $state<string | null>(null);
  #comparison = $state.raw<Comparison>('now');
  #base = $state.raw<MapExport | null>(null);
  #compareError = $state<string | null>(null);
  /** Answers to requests superseded by a newer one are dropped. */
  #previewRequest = 0;
  #compareRequest = 0;
  #stopFollowing: (() => void) | null = null;

  constructor(session: MapSession) {
    this.#session = session;
    this.#api = new VersionsApi({
      mapId: session.mapId,
      token: session.token,
      person: () => session.profile.name,
      workspace: () => new WorkspaceLink().token,
    });
    this.activity = new ActivityFeed(session.mapId, session.token);
  }

  /** Which view the panel shows; kept while the page is open, so the panel reopens on it. */
  get view(): HistoryView {
    return this.#view;
  }

  show(view: HistoryView): void {
    this.#view = view;
  }

  get versions(): readonly MapVersion[] {
    return this.#versions;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get listError(): string | null {
    return this.#listError;
  }
  get said(): string {
    return this.#said;
  }
  get preview(): VersionWithMap | null {
    return this.#preview;
  }
  /** The id of the version being fetched for a preview. */
  get opening(): string | null {
    return this.#opening;
  }
  get previewError(): string | null {
    return this.#previewError;
  }
  get comparison(): Comparison {
    return this.#comparison;
  }
  /** The state the preview is compared with, once fetched (null when compared with nothing). */
  get base(): MapExport | null {
    return this.#base;
  }
  get compareError(): string | null {
    return this.#compareError;
  }

  say(message: string): void {
    this.#said = message;
  }

  async load(): Promise<void> {
    this.#loading = true;
    this.#listError = null;
    const answer = await this.#api.list();
    this.#loading = false;
    if (!answer.ok) {
      this.#listError = `The versions could not be loaded: ${answer.error}.`;
      return;
    }
    this.#versions = answer.value;
    this.#loaded = true;
    // A version deleted meanwhile (here or elsewhere) is no longer compared with.
    const compared = this.#comparison;
    if (typeof compared === 'object' && !answer.value.some((version) => version.id === compared.versionId)) void this.compareWith('now');
  }

  /** Names the map as it is now; true when the version was kept. */
  async name(name: string): Promise<ApiAnswer<MapVersion>> {
    const answer = await this.#api.name(name);
    if (answer.ok) {
      this.#said = `Saved the map as it is now as “${versionTitle(answer.value)}”.`;
      await this.load();
    }
    return answer;
  }

  async open(id: string): Promise<void> {
    const request = ++this.#previewRequest;
    this.#opening = id;
    this.#previewError = null;
    const answer = await this.#api.read(id);
    if (request !== this.#previewRequest) return;
    this.#opening = null;
    if (!answer.ok) {
      this.#previewError = `This version could not be opened: ${answer.error}.`;
      this.#said = this.#previewError;
      return;
    }
    this.#preview = answer.value;
    const compared = this.#comparison;
    // Compared with itself, a version shows no change: compare with the map now instead.
    await this.compareWith(typeof compared === 'object' && compared.versionId === id ? 'now' : compared);
    if (request !== this.#previewRequest) return;
    this.#said = `Showing “${versionTitle(answer.value)}”, read-only.`;
  }

  async compareWith(comparison: Comparison): Promise<void> {
    const request = ++this.#compareRequest;
    this.#comparison = comparison;
    this.#compareError = null;
    if (comparison === 'none') {
      this.#stopFollowing?.();
      this.#base = null;
      return;
    }
    if (comparison === 'now') {
      // What this page shows now, including edits still on their way to the server.
      this.#base = exportMap(this.#session.doc);
      this.#followNow();
      return;
    }
    this.#stopFollowing?.();
    this.#base = null;
    const answer = await this.#api.read(comparison.versionId);
    if (request !== this.#compareRequest) return;
    if (!answer.ok) {
      this.#compareError = `The version to compare with could not be opened: ${answer.error}.`;
      return;
    }
    this.#base = answer.value.map;
  }

  /**
   * Keeps "the map now" up to date while people edit. Reading the whole map is only worth it
   * while a preview compares with it, and once edits pause, not on every keystroke.
   */
  #followNow(): void {
    if (this.#stopFollowing) return;
    const doc = this.#session.doc;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (this.#comparison === 'now' && this.#preview) this.#base = exportMap(doc);
      }, 400);
    };
    doc.on('update', changed);
    this.#stopFollowing = () => {
      clearTimeout(timer);
      doc.off('update', changed);
      this.#stopFollowing = null;
    };
  }

  /** Back to the live map. */
  close(): void {
    this.#stopFollowing?.();
    this.#previewRequest++;
    this.#opening = null;
    this.#preview = null;
    this.#previewError = null;
  }

  async restore(version: MapVersion): Promise<ApiAnswer<{ restored: MapVersion; before: MapVersion }>> {
    const answer = await this.#api.restore(version.id);
    if (answer.ok) {
      this.close();
      this.#said = `Restored “${versionTitle(version)}”. To undo it, restore the “Before a restore” version.`;
      await this.load();
    }
    return answer;
  }

  async fork(version: MapVersion, title: string): Promise<ApiAnswer<ForkedMap>> {
    const answer = await this.#api.fork(version.id, title);
    if (answer.ok) {
      const chosen = title.trim() || `${this.#session.state.meta.title} (from ${versionTitle(version)})`;
      this.#session.recent.remember({
        id: answer.value.id,
        title: chosen,
        link: answer.value.links.owner,
        role: 'owner',
        shareLinks: answer.value.links,
      });
    }
    return answer;
  }

  async remove(version: MapVersion): Promise<ApiAnswer<null>> {
    const answer = await this.#api.remove(version.id);
    if (answer.ok) {
      if (this.#preview?.id === version.id) this.close();
      this.#said = `Deleted “${versionTitle(version)}”.`;
      await this.load();
    } else {
      this.#said = `“${versionTitle(version)}” was not deleted: ${answer.error}.`;
    }
    return answer;
  }
}

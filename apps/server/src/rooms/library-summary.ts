import { readMeta } from '@waymark/model';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { MapStore } from '../storage/map-store.js';
import type { RoomConnection } from './room-connection.js';

/** How long after an edit the library's summary of the map is written. */
const SUMMARY_DELAY_MS = 2_000;

/**
 * The map's line in the library (title, goal, last edited, by whom), written once edits pause for
 * a moment, not per keystroke. The last editor is kept as a connection, and named (from its
 * presence) only when the summary is written.
 */
export class LibrarySummary {
  #lastEditor: { connection: RoomConnection | null; name: string | null } = { connection: null, name: null };
  #due: NodeJS.Timeout | undefined;

  constructor(
    readonly mapId: string,
    readonly doc: Y.Doc,
    readonly store: MapStore,
    readonly logger: () => Logger,
    /** A connection's name as its presence gives it now. */
    readonly nameOf: (connection: RoomConnection) => string | null | undefined,
    /** Whether the document is built (a cold room has nothing new to summarise). */
    readonly built: () => boolean,
  ) {}

  /** An accepted edit from a client. */
  noteEdit(connection: RoomConnection): void {
    if (this.#lastEditor.connection !== connection) this.#lastEditor = { connection, name: this.#nameOfLastEditor() };
    this.#schedule();
  }

  /** A change the server made on someone's behalf (`by`, when known). */
  noteServerEdit(by: string | null): void {
    this.#lastEditor = { connection: null, name: by };
    this.#schedule();
  }

  get due(): boolean {
    return this.#due !== undefined;
  }

  async write(): Promise<void> {
    clearTimeout(this.#due);
    this.#due = undefined;
    if (!this.built()) return;
    const meta = readMeta(this.doc);
    this.#lastEditor.name = this.#nameOfLastEditor();
    const summary = {
      title: meta.title,
      goal: meta.goal,
      template: meta.template,
      updatedAt: Date.now(),
      updatedBy: this.#lastEditor.name,
    };
    try {
      await this.store.updateSummary(this.mapId, summary);
    } catch (error) {
      this.logger().warn({ err: error }, 'could not keep the map summary current');
    }
  }

  destroy(): void {
    clearTimeout(this.#due);
  }

  #schedule(): void {
    if (this.#due) return;
    this.#due = setTimeout(() => void this.write(), SUMMARY_DELAY_MS);
    this.#due.unref();
  }

  /** The last editor's name as their presence gives it now, else as it was last seen. */
  #nameOfLastEditor(): string | null {
    const { connection, name } = this.#lastEditor;
    return (connection && this.nameOf(connection)) ?? name;
  }
}

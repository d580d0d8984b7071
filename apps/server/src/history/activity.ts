import type { Logger } from 'pino';
import type { TouchedRecords } from '../policy/update-policy.js';
import type { RoomConnection } from '../rooms/room-connection.js';
import type { ActivityEntry, MapStore } from '../storage/map-store.js';

/** Records per kind one entry names at most (a 1,000-card paste is one entry, not 1,000 names). */
const MAX_RECORDS = 500;

interface OpenEntry {
  entry: ActivityEntry;
  created: Set<string>;
  changed: Set<string>;
  deleted: Set<string>;
  /** The person's name as their presence gives it: read when the entry opens and when it is stored, not per edit. */
  name: () => string | null;
  /** Checks, once per quiet spell rather than per edit, whether the person has paused. */
  due: NodeJS.Timeout;
}

export interface ActivityOptions {
  /** An entry closes once its person has been quiet this long… */
  quietMs: number;
  /** …or has been open this long. */
  maxOpenMs: number;
}

export const DEFAULT_ACTIVITY: ActivityOptions = { quietMs: 60_000, maxOpenMs: 10 * 60_000 };

/**
 * Who changed what in one room: each connection's accepted edits gather into one entry (its
 * records made, changed and deleted) until the person pauses, then the entry is stored with the
 * person's name and the link's label and role.
 */
export class ActivityRecorder {
  readonly #open = new Map<RoomConnection, OpenEntry>();

  constructor(
    readonly mapId: string,
    readonly store: MapStore,
    readonly logger: Logger,
    readonly options: ActivityOptions = DEFAULT_ACTIVITY,
  ) {}

  /**
   * Notes an accepted update's records for its sender. This runs for every accepted update, so
   * it only adds to sets: the name is read when the entry opens and when it is stored, and one
   * timer per entry checks for the pause.
   */
  note(connection: RoomConnection, touched: TouchedRecords, name: () => string | null): void {
    if (touched.created.size + touched.changed.size + touched.deleted.size === 0) return;
    const now = Date.now();
    let open = this.#open.get(connection);
    if (open && now - open.entry.startedAt >= this.options.maxOpenMs) {
      void this.flush(connection);
      open = undefined;
    }
    if (!open) open = this.#openEntry(connection, now, name);
    open.entry.endedAt = now;
    for (const group of touched.created) if (open.created.size < MAX_RECORDS) open.created.add(group);
    for (const group of touched.deleted) {
      // Made and deleted in the same sitting: it never was, as far as the feed goes.
      if (open.created.delete(group)) open.changed.delete(group);
      else if (open.deleted.size < MAX_RECORDS) open.deleted.add(group);
    }
    for (const group of touched.changed) if (!open.created.has(group) && open.changed.size < MAX_RECORDS) open.changed.add(group);
  }

  #openEntry(connection: RoomConnection, now: number, name: () => string | null): OpenEntry {
    const entry: ActivityEntry = {
      mapId: this.mapId,
      startedAt: now,
      endedAt: now,
      person: name(),
      link: null,
      role: connection.permission.role,
      created: [],
      changed: [],
      deleted: [],
    };
    const open: OpenEntry = {
      entry,
      created: new Set(),
      changed: new Set(),
      deleted: new Set(),
      name,
      due: this.#checkPause(connection, this.options.quietMs),
    };
    this.#open.set(connection, open);
    // The link's label, looked up once per entry, so an entry in progress shows it too.
    if (connection.linkId) {
      this.store.getLink(connection.linkId).then(
        (link) => (entry.link = link?.label || null),
        () => {},
      );
    }
    return open;
  }

  /** Stores the entry once its person has been quiet for `quietMs`, looking again when they were not. */
  #checkPause(connection: RoomConnection, delay: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const open = this.#open.get(connection);
      if (!open) return;
      const quietFor = Date.now() - open.entry.endedAt;
      if (quietFor >= this.options.quietMs) void this.flush(connection);
      else open.due = this.#checkPause(connection, this.options.quietMs - quietFor);
    }, delay);
    timer.unref();
    return timer;
  }

  /** The entries still gathering edits (their people have not paused yet), newest first. */
  inProgress(): ActivityEntry[] {
    return [...this.#open.values()]
      .map((open) => ({
        ...open.entry,
        person: open.name() ?? open.entry.person,
        created: [...open.created],
        changed: [...open.changed],
        deleted: [...open.deleted],
      }))
      .sort((a, b) => b.endedAt - a.endedAt);
  }

  /** Stores the connection's open entry (all of them when none is given). */
  async flush(connection?: RoomConnection): Promise<void> {
    const connections = connection ? [connection] : [...this.#open.keys()];
    await Promise.all(connections.map((one) => this.#store(one)));
  }

  async #store(connection: RoomConnection): Promise<void> {
    const open = this.#open.get(connection);
    if (!open) return;
    this.#open.delete(connection);
    clearTimeout(open.due);
    // Read now, before anything is awaited: on leaving, the person's presence goes right after.
    const person = open.name() ?? open.entry.person;
    const entry: ActivityEntry = {
      ...open.entry,
      person,
      created: [...open.created],
      changed: [...open.changed],
      deleted: [...open.deleted],
    };
    if (entry.created.length + entry.changed.length + entry.deleted.length === 0) return;
    try {
      if (connection.linkId && entry.link === null) entry.link = (await this.store.getLink(connection.linkId))?.label || null;
      await this.store.appendActivity(entry);
    } catch (error) {
      this.logger.warn({ err: error, mapId: this.mapId }, 'activity entry could not be stored');
    }
  }

  /** Drops the open entries' timers (the room is going; flush first to keep them). */
  destroy(): void {
    for (const open of this.#open.values()) clearTimeout(open.due);
    this.#open.clear();
  }
}

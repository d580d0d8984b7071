import { dropSelfListeners, topLevelMap, trimValueArrays } from '@waymark/model';
import { roleMay } from '../access/roles.js';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { RoomChannel, RoomFanout } from '../fanout/room-fanout.js';
import { ActivityRecorder, type ActivityOptions } from '../history/activity.js';
import type { MapHistory } from '../history/map-history.js';
import type { RoomMetrics } from '../metrics.js';
import { isStoreUnreachable, STORE_UNREACHABLE, type ActivityEntry, type MapStore } from '../storage/map-store.js';
import { describeStorageFailure } from '../storage/sqlite-files.js';
import { UpdateTooLargeError } from '../sync/update-reader.js';
import {
  decodeMessage,
  documentUpdateKind,
  encodePermissionDenied,
  encodeServerNotice,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  KEEPALIVE_FRAME,
  ProtocolError,
  type ClientMessage,
} from '../sync/protocol.js';
import { CloseCode } from '../sync/sync-socket.js';
import { ColdMap } from './cold-map.js';
import { CommitQueue } from './commit-queue.js';
import { DamageNotes } from './damage-notes.js';
import { LibrarySummary } from './library-summary.js';
import { Presence } from './presence.js';
import type { PresenceLimits } from './presence-entry.js';
import { broadcast, type RoomConnection } from './room-connection.js';
import { RoomLoadError } from './room-load-error.js';
import { RemoteChanges } from './remote-changes.js';
import type { SharedInterval, Ticking } from '../shared-interval.js';
import { buildStoredMap } from './stored-map.js';
import { closeTooLarge, UpdateIntake } from './update-intake.js';

export { RoomLoadError } from './room-load-error.js';

export type RoomState = 'loading' | 'live' | 'unloading' | 'unloaded' | 'failed';

export interface RoomOptions {
  store: MapStore;
  logger: Logger;
  /** Compact the log into a snapshot once it holds this many updates… */
  compactAfterUpdates: number;
  /** …or this many bytes. */
  compactAfterBytes: number;
  /** Send a no-op frame to connections that heard nothing for this long (the client's watchdog is 30 s). */
  keepaliveMs: number;
  /** Writes are refused once the stored map (snapshot plus log) would pass this size. */
  maxDocBytes: number;
  /** How often a room that could not save tries the store again. */
  storageRetryMs: number;
  /** The one timer, shared by all rooms, that drops presence entries that were not renewed. */
  presenceSweep: SharedInterval;
  /** Bounds on each presence entry (defaults when unset). */
  presenceLimits?: PresenceLimits;
  /** Most structs plus deletions one document update may carry (100,000 when unset). */
  maxUpdateParts?: number;
  /** The one timer, shared by all rooms, that sends keepalives (every `keepaliveMs / 2`). */
  keepaliveSweep: SharedInterval;
  /**
   * A room loads cold: its first clients are answered from the stored bytes, and the document is
   * built on the first write, or this long after loading (1 s when unset).
   */
  buildDocumentAfterMs?: number;
  /** Set when the room opens after a failed write: it serves reads only until the store works. */
  readOnlyReason?: string | undefined;
  /** Takes the automatic versions of the map while it is edited; none when unset. */
  history?: MapHistory;
  /** When a person's burst of edits becomes an activity entry (a minute's pause, ten minutes at most, when unset). */
  activity?: ActivityOptions;
  /** Counts what the room does, when the server's metrics are on. */
  metrics?: RoomMetrics | undefined;
  /** The fan-out to the other nodes serving the map (REDIS_URL); this node's connections only when unset. */
  fanout?: RoomFanout | undefined;
  /** Called when the last connection leaves. */
  onEmpty(room: Room): void;
  /** Called when a write fails: the room has closed its connections and must be loaded anew. */
  onStorageFailure(room: Room, reason: string): void;
  /** Called when a read-only room finds the store writable again. */
  onStorageRecovered(room: Room): void;
  /** Called when the stored map turns out not to load; the room has closed its connections. */
  onLoadFailed(room: Room): void;
}

const DEFAULT_MAX_UPDATE_PARTS = 100_000;

const readOnlyLink = (connection: RoomConnection) => `your ${connection.permission.role} link is read-only; the change was not saved`;

/** An empty Yjs update: what a read-only room appends to find out whether the store works again. */
const STORAGE_PROBE = Y.encodeStateAsUpdate(new Y.Doc());

/** Y.Doc's default gcFilter (collect everything), shared instead of a closure per document. */
const COLLECT_ALL = () => true;

/**
 * A room's document, named for its map. Y.Doc listens to its own 'load' and 'sync' events for its
 * whenLoaded and whenSynced promises, which providers settle; a room's document is the one that
 * providers sync with, nothing emits either event on it, so the listeners, their promises and
 * closures would be kept by every live room for nothing.
 */
function roomDocument(mapId: string): Y.Doc {
  const doc = new Y.Doc({ guid: mapId, gc: true, gcFilter: COLLECT_ALL });
  dropSelfListeners(doc);
  return doc;
}

/**
 * One live map: its document, its presence and its connections. Accepted updates are applied,
 * committed to the store, and only then fanned out, so no client ever sees an update the store
 * could still lose. The write path is the UpdateIntake's; the stored map before its document is
 * built is the ColdMap's; the library line and the damage note have their own small classes.
 */
export class Room implements Ticking {
  #state: RoomState = 'loading';
  readonly doc: Y.Doc;
  readonly #connections = new Set<RoomConnection>();
  readonly #presence: Presence;
  readonly #log: CommitQueue;
  readonly #intake: UpdateIntake;
  readonly #summary: LibrarySummary;
  readonly #damage: DamageNotes;
  readonly #activity: ActivityRecorder;
  #childLogger: Logger | undefined;
  #storageProbe: NodeJS.Timeout | undefined;
  #readOnlyReason: string | null;
  /** The stored map not yet applied to `doc`, or null once the document is built. */
  #cold: ColdMap | null = null;
  /** When this room last took in an edit (null: not since it loaded), and when the map's newest version was taken. */
  #lastEditAt: number | null = null;
  #lastVersionAt = 0;
  /** To the other nodes serving this map, with fan-out on. */
  #channel: RoomChannel | null = null;

  private constructor(
    readonly mapId: string,
    readonly options: RoomOptions,
  ) {
    this.doc = roomDocument(mapId);
    this.#readOnlyReason = options.readOnlyReason ?? null;
    const logger = () => this.#logger;
    this.#presence = new Presence(
      this.#connections,
      options.presenceSweep,
      options.presenceLimits,
      (connection, clientId, reason) => this.#logger.warn({ connection: connection.id, clientId, reason }, 'presence entry dropped'),
      (connection, clientId) => this.#followRefusal(connection, clientId),
    );
    this.#log = new CommitQueue(
      mapId,
      this.doc,
      options,
      this.#connections,
      (error) => this.#failStorage(error),
      options.fanout ? (updates, lastSeq) => this.#channel?.publishUpdates(updates, lastSeq) : undefined,
    );
    this.#activity = new ActivityRecorder(mapId, options.store, options.logger, options.activity);
    this.#damage = new DamageNotes(mapId, options.store, logger, this.#connections);
    this.#summary = new LibrarySummary(
      mapId,
      this.doc,
      options.store,
      logger,
      (connection) => this.#presence.nameOf(connection),
      () => this.#cold === null,
    );
    this.#intake = new UpdateIntake({
      doc: this.doc,
      log: this.#log,
      presence: this.#presence,
      logger,
      metrics: options.metrics,
      maxUpdateParts: this.#maxUpdateParts,
      maxDocBytes: options.maxDocBytes,
      readOnlyReason: () => this.#readOnlyReason,
      build: () => this.#cold === null || this.#hydrateOrFail() === null,
      beforeEdit: (connection) => this.#versionBeforeEdit(connection),
      accepted: (connection, touched) => {
        this.#summary.noteEdit(connection);
        this.#activity.note(connection, touched, () => this.#presence.nameOf(connection));
      },
    });
  }

  /** Loads a room from the store and runs migrations. Nothing is stored when loading fails. */
  static async load(mapId: string, options: RoomOptions): Promise<Room> {
    const room = new Room(mapId, options);
    try {
      await room.#read();
    } catch (error) {
      room.#state = 'failed';
      room.#destroy();
      throw isStoreUnreachable(error) ? new RoomLoadError(STORE_UNREACHABLE, CloseCode.unavailable) : error;
    }
    room.#state = 'live';
    room.#channel?.start();
    // The people already on the map through other nodes show here now, not when they next renew.
    room.#channel?.askForPresence();
    if (room.#cold) room.#buildDocumentLater();
    options.keepaliveSweep.add(room);
    if (room.#readOnlyReason) room.#enterReadOnly(room.#readOnlyReason);
    return room;
  }

  /** Made on first use: most rooms never log, and a child logger made up front would sit in every idle one. */
  get #logger(): Logger {
    return (this.#childLogger ??= this.options.logger.child({ mapId: this.mapId }));
  }

  get #maxUpdateParts(): number {
    return this.options.maxUpdateParts ?? DEFAULT_MAX_UPDATE_PARTS;
  }

  /** Why writes are refused for everyone right now, or null when the room saves normally. */
  get readOnlyReason(): string | null {
    return this.#readOnlyReason;
  }

  get state(): RoomState {
    return this.#state;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * The map's document, built from storage first if it is still cold. Throws a RoomLoadError when
   * the stored map does not load; the room has then failed as a sync would have failed it.
   */
  get document(): Y.Doc {
    if (this.#state !== 'live') throw new RoomLoadError('map is not available, try again', CloseCode.unavailable);
    const failure = this.#cold ? this.#hydrateOrFail() : null;
    if (failure) throw failure;
    return this.doc;
  }

  join(connection: RoomConnection): void {
    if (this.#state !== 'live') {
      connection.close(CloseCode.unavailable, 'map is not available, try again');
      return;
    }
    this.#connections.add(connection);
    if (this.#cold) this.#cold.awaitingStep1.add(connection);
    else connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const presence = this.#presence.snapshotFrame();
    if (presence) connection.send(presence);
    if (this.#readOnlyReason) connection.send(encodeServerNotice({ kind: 'read-only', reason: this.#readOnlyReason }));
    this.#damage.tellIfShaper(connection);
  }

  /** A restore repaired the map: its owners are no longer told of the damage. */
  async clearDamage(): Promise<void> {
    await this.#damage.clear();
  }

  /** Another node's restore repaired the map and cleared the stored note: this room stops telling of it. */
  forgetDamage(): void {
    this.#damage.forget();
  }

  receive(connection: RoomConnection, bytes: Uint8Array): void {
    if (!this.#connections.has(connection)) return;
    if (!connection.takeMessageAllowance()) {
      this.#logger.warn({ connection: connection.id }, 'closing connection: too many messages');
      connection.close(CloseCode.tryAgainLater, `more than ${connection.rateLimit.perSecond} messages per second; reconnecting shortly`);
      return;
    }
    // A read-only link's document updates are refused on their first two bytes, before any decoding.
    const updateKind = connection.permission.canWrite ? null : documentUpdateKind(bytes);
    if (updateKind) {
      // A sync reply only answers the server's request; an update is an edit, which is refused out loud.
      if (updateKind === 'sync-update') {
        this.options.metrics?.refused();
        connection.send(encodePermissionDenied(readOnlyLink(connection)));
      }
      return;
    }
    let message: ClientMessage;
    try {
      message = decodeMessage(bytes, this.#maxUpdateParts);
    } catch (error) {
      if (error instanceof UpdateTooLargeError) {
        closeTooLarge(connection, error, this.#logger);
        return;
      }
      if (!(error instanceof ProtocolError)) throw error;
      this.#logger.warn({ connection: connection.id, bytes: bytes.byteLength, reason: error.message }, 'closing connection: bad message');
      connection.close(CloseCode.badMessage, error.message);
      return;
    }
    this.#handle(connection, message, bytes);
  }

  leave(connection: RoomConnection): void {
    if (!this.#connections.delete(connection)) return;
    this.#intake.forget(connection);
    this.#cold?.awaitingStep1.delete(connection);
    void this.#activity.flush(connection);
    const left = this.#presence.leave(connection);
    if (left) this.#channel?.publishAwareness(left);
    if (this.#connections.size === 0 && this.#state === 'live') this.options.onEmpty(this);
  }

  /** Activity entries still gathering edits, newest first (stored once their people pause). */
  get activityInProgress(): ActivityEntry[] {
    return this.#activity.inProgress();
  }

  /** Asks every client for what it has that the map lacks (after a lock or a read-only spell, its refused edits). */
  askClientsForState(): void {
    if (this.#cold) return;
    const request = encodeSyncStep1(Y.encodeStateVector(this.doc));
    for (const connection of this.#connections) connection.send(request);
  }

  /** How many presence entries the room holds. */
  get presenceEntries(): number {
    return this.#presence.size;
  }

  /** The names of the people on the map now. */
  get people(): string[] {
    return this.#presence.names();
  }

  /** Waits for pending commits, compacts the log into a snapshot and frees the document. */
  async unload(reason = 'server is shutting down', closeCode: number = CloseCode.goingAway): Promise<void> {
    if (this.#state !== 'live') return;
    this.#state = 'unloading';
    for (const connection of this.#connections) {
      // Its people leave for the other nodes' clients now, rather than when their entries time out there.
      const left = this.#presence.leave(connection);
      if (left) this.#channel?.publishAwareness(left);
      connection.close(closeCode, reason);
    }
    this.#connections.clear();
    try {
      await this.#log.drain();
      await this.#activity.flush();
      if (this.#summary.due) await this.#summary.write();
      if (this.#log.hasUncompacted) {
        this.#hydrate();
        await this.#log.compact();
      }
    } catch (error) {
      this.#logger.error({ err: error }, 'compaction on unload failed; the log is kept as it is');
    } finally {
      this.#state = 'unloaded';
      this.#destroy();
    }
  }

  async #read(): Promise<void> {
    // The stream's position first: what other nodes commit after it is read from the stream.
    if (this.options.fanout) this.#channel = await this.#openChannel(this.options.fanout);
    const stored = await this.options.store.load(this.mapId);
    if (this.options.history) this.#lastVersionAt = await this.options.history.latestAt(this.mapId);
    this.#damage.restore(stored.damage);
    if (stored.damaged.length > 0) {
      const times = stored.damaged.map((part) => part.storedAt);
      const since = times.includes(null) ? null : Math.min(...(times as number[]));
      this.#logger.error(
        { damaged: stored.damaged },
        `stored map damaged: ${stored.damaged.length} part(s) failed their checksum and were left out; the map loads without them`,
      );
      await this.#damage.add(stored.damaged.length, since);
    }
    this.#log.restore(stored);
    this.#cold = new ColdMap(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates, stored.snapshotIntact);
    // A damaged map is built now, repaired (see #hydrate) and folded into a snapshot, so clients
    // are never sent parts that wait on lost ones, and the damaged rows are read only once.
    if (stored.damaged.length > 0) {
      await this.options.store.keepDamagedCopy(this.mapId);
      this.#hydrate();
      await this.#log.compact(true);
      return;
    }
    // A long log (a crash before compaction, or an older server) makes every load slow: fold it now.
    if (this.#log.compactionDue) {
      this.#hydrate();
      await this.#log.compactIfDue();
    }
  }

  /** Applies the stored map to the document and runs migrations; throws when it cannot. */
  #hydrate(): void {
    const cold = this.#cold;
    if (!cold) return;
    this.#cold = null;
    const built = buildStoredMap(this.doc, cold.parts, this.#logger);
    // Edits refused while a workshop lock stood are still on the participants' devices: once it is
    // lifted, here or on another node, the room asks for them.
    topLevelMap(this.doc, 'workshop').observe((event) => {
      if (event.keysChanged.has('locked') && event.target.get('locked') !== true) this.askClientsForState();
    });
    // Repairs and migrations are stored and relayed like any edit, so clients that were sent the
    // stored parts before the document was built (their copies wait on the same lost clocks, or
    // hold the older schema) catch up.
    for (const update of [...built.repairs, ...built.migrations]) this.#log.append(update, encodeSyncUpdate(update), null);
    // Damage the checksums did not catch (a part that does not decode, a row gone missing) is told too.
    if (built.unreadable > 0 || ((built.bridged > 0 || built.orphaned) && !this.#damage.known)) {
      // The stored bytes as they are, kept aside before any compaction replaces them.
      void this.options.store
        .keepDamagedCopy(this.mapId)
        .catch((error: unknown) => this.#logger.warn({ err: error }, 'damaged parts could not be kept aside'));
      this.#logger.error(
        { unreadable: built.unreadable, bridged: built.bridged, orphaned: built.orphaned },
        'stored map damaged: parts that do not decode or are missing were left out; the map loads without them',
      );
      void this.#damage.add(Math.max(1, built.unreadable + built.bridged), null);
    }
    const request = encodeSyncStep1(Y.encodeStateVector(this.doc));
    for (const connection of cold.awaitingStep1) connection.send(request);
    trimValueArrays(this.doc);
  }

  /**
   * Builds the document; when the stored map does not load, closes the room, says why, and
   * returns the failure (null when the document is built).
   */
  #hydrateOrFail(): RoomLoadError | null {
    if (this.#state !== 'live') return new RoomLoadError('map is not available, try again', CloseCode.unavailable);
    try {
      this.#hydrate();
      return null;
    } catch (error) {
      this.#logger.error({ err: error }, 'room load failed');
      const failure =
        error instanceof RoomLoadError ? error : new RoomLoadError('the map could not be loaded; try again', CloseCode.serverError);
      this.#state = 'failed';
      for (const connection of this.#connections) connection.close(failure.closeCode, failure.message);
      this.#connections.clear();
      this.#destroy();
      this.options.onLoadFailed(this);
      return failure;
    }
  }

  /** What the client lacks, from the document; it may hold updates still being committed, so it leaves once they are durable. */
  #replyFromDocument(connection: RoomConnection, stateVector: Uint8Array): void {
    const reply = encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
    this.#log.afterDurable(() => connection.send(reply));
  }

  /**
   * Building the document blocks the process for about one Yjs apply of the whole map. Not while
   * the first clients are taking in that same map (on a shared machine the two compete for the
   * CPU), and not at all before a second has passed unless someone writes: by then it also
   * sends the clients the server's sync request, which brings in their offline edits.
   */
  #buildDocumentLater(): void {
    setTimeout(() => this.#hydrateOrFail(), this.options.buildDocumentAfterMs ?? 1000).unref();
  }

  #handle(connection: RoomConnection, message: ClientMessage, bytes: Uint8Array): void {
    switch (message.type) {
      case 'sync-step1':
        // From the stored bytes while cold; a stored part that does not decode means building
        // the document (which leaves it out) and answering from that.
        if (this.#cold?.reply(connection, message.stateVector)) return;
        if (this.#cold && this.#hydrateOrFail() !== null) return;
        this.#replyFromDocument(connection, message.stateVector);
        return;
      case 'sync-step2':
      case 'sync-update':
        this.#intake.take(connection, message, bytes);
        return;
      case 'awareness': {
        const relayed = this.#presence.apply(connection, message.entries);
        if (relayed) this.#channel?.publishAwareness(relayed);
        return;
      }
      case 'query-awareness':
        // Always answered, if need be with no one: the web app asks to learn whether its socket still works.
        connection.send(this.#presence.snapshotFrame() ?? KEEPALIVE_FRAME);
        return;
    }
  }

  /**
   * Participants follow the view the facilitator's page publishes under its awareness client id.
   * Once that page has gone, its id is free: only a link that may facilitate (an owner's or an
   * editor's) takes it up, so nobody else can lead the followers.
   */
  #followRefusal(connection: RoomConnection, clientId: number): string | null {
    if (this.#cold || roleMay(connection.permission.role, 'shape-map')) return null;
    const facilitator = topLevelMap(this.doc, 'workshop').get('facilitator');
    const followed =
      typeof facilitator === 'object' && facilitator !== null && (facilitator as { clientId?: unknown }).clientId === clientId;
    return followed ? "the facilitator's client id is taken up only by a link that may facilitate" : null;
  }

  /**
   * Before an accepted edit: when editing starts after a quiet spell, or the newest version is
   * older than the policy allows, the map as it is now becomes an automatic version. The state is
   * encoded now, before the edit lands; storing it happens in the background.
   */
  #versionBeforeEdit(connection: RoomConnection): void {
    const history = this.options.history;
    if (!history) return;
    const now = Date.now();
    const quietSince = this.#lastEditAt ?? this.#lastVersionAt;
    const due = now - quietSince >= history.policy.quietMs || now - this.#lastVersionAt >= history.policy.everyMs;
    this.#lastEditAt = now;
    if (!due) return;
    this.#lastVersionAt = now;
    const state = Y.encodeStateAsUpdate(this.doc);
    const createdBy = this.#presence.nameOf(connection) ?? null;
    history.take(this.mapId, state, { kind: 'auto', createdBy }).catch((error: unknown) => {
      this.#logger.error({ err: error }, 'automatic version could not be stored');
    });
  }

  /**
   * Changes the document as the server (a restore, an import into the map): the change is stored
   * and sent to every connection like an accepted edit, and `by` is noted as the last editor.
   * Throws a RoomLoadError when the map does not load or refuses writes for now.
   */
  writeAsServer<T>(by: string | null, change: (document: Y.Doc) => T): T {
    const doc = this.document;
    if (this.#readOnlyReason) throw new RoomLoadError(this.#readOnlyReason, CloseCode.unavailable);
    const updates: Uint8Array[] = [];
    const collect = (update: Uint8Array) => updates.push(update);
    doc.on('update', collect);
    let result: T;
    try {
      result = change(doc);
    } finally {
      doc.off('update', collect);
    }
    for (const update of updates) this.#log.append(update, encodeSyncUpdate(update), null);
    if (updates.length > 0) {
      this.#lastEditAt = Date.now();
      this.#summary.noteServerEdit(by);
    }
    return result;
  }

  /**
   * Refuses writes for everyone, says why on the server's own channel (the web app shows it),
   * and retries the store until it takes a write again.
   */
  #enterReadOnly(reason: string): void {
    this.#readOnlyReason = reason;
    broadcast(this.#connections, encodeServerNotice({ kind: 'read-only', reason }), null);
    this.#probeStorageLater(0);
  }

  /**
   * Tries the store again after `storageRetryMs`, doubling after each failure up to a minute (or
   * `storageRetryMs`, if longer), with a fifth either way at random so that rooms which failed
   * together do not all try again in the same instant.
   */
  #probeStorageLater(failures: number): void {
    const { storageRetryMs } = this.options;
    const delay = Math.min(storageRetryMs * 2 ** failures, Math.max(storageRetryMs, 60_000)) * (0.8 + Math.random() * 0.4);
    this.#storageProbe = setTimeout(() => void this.#probeStorage(failures), delay);
    this.#storageProbe.unref();
  }

  async #probeStorage(failures: number): Promise<void> {
    if (this.#state !== 'live') return;
    try {
      await this.#log.appendNow([STORAGE_PROBE]);
    } catch {
      if (this.#state === 'live') this.#probeStorageLater(failures + 1);
      return;
    }
    if (this.#state !== 'live') return;
    this.#readOnlyReason = null;
    broadcast(this.#connections, encodeServerNotice({ kind: 'writable' }), null);
    this.#logger.info('storage writable again; the map accepts changes');
    this.options.onStorageRecovered(this);
    // Asking every client for what it has that the server lacks brings back edits refused meanwhile.
    this.askClientsForState();
  }

  /**
   * Sends a keepalive to every connection that heard nothing for half of `keepaliveMs`
   * (keepaliveSweep calls it every half), so no connection goes longer than `keepaliveMs` without
   * a frame, and a client can tell a silent socket from a quiet one by that bound.
   */
  tick(now: number): void {
    const idleSince = now - this.options.keepaliveMs / 2;
    for (const connection of this.#connections) {
      if (connection.lastSentAt < idleSince) connection.send(KEEPALIVE_FRAME);
    }
  }

  async #openChannel(fanout: RoomFanout): Promise<RoomChannel> {
    const remote = new RemoteChanges({
      mapId: this.mapId,
      doc: this.doc,
      log: this.#log,
      presence: this.#presence,
      connections: this.#connections,
      store: this.options.store,
      maxUpdateParts: this.#maxUpdateParts,
      logger: () => this.#logger,
      channel: () => this.#channel,
      live: () => this.#state === 'live',
      build: () => this.#cold === null || this.#hydrateOrFail() === null,
    });
    try {
      return await fanout.open(this.mapId, remote);
    } catch (error) {
      this.#logger.warn({ err: error }, 'the room stream could not be opened');
      throw new RoomLoadError('the server cannot reach its other nodes right now (Redis); try again shortly', CloseCode.unavailable);
    }
  }

  /**
   * The document now holds updates the store refused. They were never relayed, and their senders
   * still have them, so the room drops its copy and reopens read-only from what is stored.
   */
  #failStorage(error: unknown): void {
    this.options.metrics?.storageFailed();
    const detail = describeStorageFailure(error);
    this.#logger.error({ err: error }, 'storage write failed; reopening the map read-only');
    this.#state = 'failed';
    const reason = `the server cannot save changes right now (${detail}); your edits stay on your device`;
    for (const connection of this.#connections) connection.close(CloseCode.storageFailed, reason);
    this.#connections.clear();
    this.#destroy();
    this.options.onStorageFailure(this, reason);
  }

  #destroy(): void {
    this.#channel?.close();
    this.#channel = null;
    this.#summary.destroy();
    this.#activity.destroy();
    this.options.keepaliveSweep.delete(this);
    clearTimeout(this.#storageProbe);
    this.#presence.destroy();
    this.doc.destroy();
  }
}

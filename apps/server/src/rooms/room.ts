import { migrateDoc, NewerSchemaError, readMeta, remoteOrigin, serverOrigin, topLevelMap, dropPending, dropSelfListeners, hasPending, pendingUpdate, trimValueArrays } from '@waymark/model';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { ActivityRecorder, type ActivityOptions } from '../history/activity.js';
import type { MapHistory } from '../history/map-history.js';
import { roleMay } from '../access/roles.js';
import type { RoomMetrics } from '../metrics.js';
import type { ActivityEntry, DamageNote, MapStore } from '../storage/map-store.js';
import { describeStorageFailure } from '../storage/sqlite-files.js';
import { CyclicUpdateError } from '../policy/locate.js';
import { undoRefused } from '../policy/refusal.js';
import { checkUpdate, type CheckedUpdate, type UpdateSender } from '../policy/update-policy.js';
import { bridgeLostRanges } from '../sync/lost-ranges.js';
import { missingDependency } from '../sync/update-dependencies.js';
import { UpdateTooLargeError } from '../sync/update-reader.js';
import {
  decodeMessage,
  documentUpdateKind,
  encodePermissionDenied,
  encodeServerNotice,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyUpdate,
  KEEPALIVE_FRAME,
  ProtocolError,
  type ClientMessage,
  type DecodedUpdate,
} from '../sync/protocol.js';
import { CloseCode } from '../sync/sync-socket.js';
import { CommitQueue } from './commit-queue.js';
import { Presence } from './presence.js';
import type { PresenceLimits } from './presence-entry.js';
import { broadcast, type RoomConnection } from './room-connection.js';
import type { SharedInterval, Ticking } from './shared-interval.js';

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

/** How long after an edit the library's summary of the map is written. */
const SUMMARY_DELAY_MS = 2_000;

const readOnlyLink = (connection: RoomConnection) =>
  `your ${connection.permission.role} link is read-only; the change was not saved`;

/** What a joining client with nothing is told once every stored part has been sent. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/** An empty Yjs update: what a read-only room appends to find out whether the store works again. */
const STORAGE_PROBE = Y.encodeStateAsUpdate(new Y.Doc());

/** Y.Doc's default gcFilter (collect everything), shared instead of a closure per document. */
const COLLECT_ALL = () => true;

/**
 * A room's document, named for its map. Y.Doc listens to its own 'load' and 'sync' events for its
 * whenLoaded and whenSynced promises, which providers settle; a room's document is the one that
 * providers sync with, nothing emits either event on it, and the listeners, their promises and
 * closures cost every live room about 1 KiB.
 */
function roomDocument(mapId: string): Y.Doc {
  const doc = new Y.Doc({ guid: mapId, gc: true, gcFilter: COLLECT_ALL });
  dropSelfListeners(doc);
  return doc;
}

/** Why a room could not be loaded; told to the clients that were waiting for it. */
export class RoomLoadError extends Error {
  constructor(
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
    this.name = 'RoomLoadError';
  }
}

/**
 * One live map: its document, its presence and its connections. Accepted updates are applied,
 * committed to the store, and only then fanned out, so no client ever sees an update the store
 * could still lose.
 */
export class Room implements Ticking {
  #state: RoomState = 'loading';
  readonly doc: Y.Doc;
  readonly #connections = new Set<RoomConnection>();
  readonly #presence: Presence;
  readonly #log: CommitQueue;
  #childLogger: Logger | undefined;
  /**
   * Who edited last, for the library's summary, written a little after the edits stop: the
   * connection now, its name only when the summary is written (not a presence parse per keystroke).
   */
  #lastEditor: { connection: RoomConnection | null; name: string | null } = { connection: null, name: null };
  #summaryDue: NodeJS.Timeout | undefined;
  /** The Yjs clients each connection has written as, while it is connected. */
  readonly #writers = new Map<number, RoomConnection>();
  #storageProbe: NodeJS.Timeout | undefined;
  #readOnlyReason: string | null;
  /**
   * The stored map (snapshot, then log) not yet applied to `doc`. A room goes live as soon as its
   * bytes are read: the first clients are sent those bytes while the document is built, so a big
   * map's cold load costs about one Yjs apply, on the client, instead of two in a row.
   */
  #cold: Uint8Array[] | null = null;
  /**
   * The stored parts not yet known to decode: the log, and the snapshot too unless the store
   * checked it against its checksum. Decoded once, before the first cold reply leaves.
   */
  #coldUnchecked: Uint8Array[] = [];
  /** Joined while cold: they get the server's sync step 1 once the document is built. */
  #awaitingStep1: Set<RoomConnection> | null = null;
  /** When this room last took in an edit (null: not since it loaded), and when the map's newest version was taken. */
  #lastEditAt: number | null = null;
  #lastVersionAt = 0;
  /** What the stored map lost to damage, told to its owners and editors until a version is restored. */
  #damage: DamageNote | null = null;
  readonly #activity: ActivityRecorder;

  private constructor(
    readonly mapId: string,
    readonly options: RoomOptions,
  ) {
    this.doc = roomDocument(mapId);
    this.#readOnlyReason = options.readOnlyReason ?? null;
    this.#presence = new Presence(this.#connections, options.presenceSweep, options.presenceLimits, (connection, clientId, reason) =>
      this.#logger.warn({ connection: connection.id, clientId, reason }, 'presence entry dropped'),
    );
    this.#log = new CommitQueue(mapId, this.doc, options, this.#connections, (error) => this.#failStorage(error));
    this.#activity = new ActivityRecorder(mapId, options.store, options.logger, options.activity);
  }

  /** Loads a room from the store and runs migrations. Nothing is stored when loading fails. */
  static async load(mapId: string, options: RoomOptions): Promise<Room> {
    const room = new Room(mapId, options);
    try {
      await room.#read();
    } catch (error) {
      room.#state = 'failed';
      room.#destroy();
      throw error;
    }
    room.#state = 'live';
    if (room.#cold) room.#buildDocumentLater();
    options.keepaliveSweep.add(room);
    if (room.#readOnlyReason) room.#enterReadOnly(room.#readOnlyReason);
    return room;
  }

  /** Made on first use: a child logger per room would cost every idle room a few KiB. */
  get #logger(): Logger {
    return (this.#childLogger ??= this.options.logger.child({ mapId: this.mapId }));
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
    if (this.#cold) (this.#awaitingStep1 ??= new Set()).add(connection);
    else connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    const presence = this.#presence.snapshotFrame();
    if (presence) connection.send(presence);
    if (this.#readOnlyReason) connection.send(encodeServerNotice({ kind: 'read-only', reason: this.#readOnlyReason }));
    if (this.#damage && roleMay(connection.permission.role, 'shape-map')) void this.#tellDamage(connection);
  }

  /** Keeps what was lost (added to what was lost before) and tells the owners and editors on the map. */
  async #noteDamage(lostParts: number, since: number | null): Promise<void> {
    const before = this.#damage;
    this.#damage = {
      lostParts: (before?.lostParts ?? 0) + lostParts,
      since: before ? (before.since === null || since === null ? null : Math.min(before.since, since)) : since,
      foundAt: before?.foundAt ?? Date.now(),
    };
    try {
      await this.options.store.noteDamage(this.mapId, this.#damage);
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not keep the damage note');
    }
    for (const connection of this.#connections) if (roleMay(connection.permission.role, 'shape-map')) void this.#tellDamage(connection);
  }

  /** The damage in words, with the versions that hold what was lost. */
  async #tellDamage(connection: RoomConnection): Promise<void> {
    const damage = this.#damage;
    if (!damage) return;
    const versions = (await this.options.store.listVersions(this.mapId).catch(() => [])).filter(
      (version) => damage.since === null || version.createdAt >= damage.since,
    );
    const when = damage.since === null ? '' : ` written from ${new Date(damage.since).toISOString().slice(0, 16).replace('T', ' ')} UTC on`;
    const hold =
      versions.length > 0
        ? `The ${versions.length === 1 ? 'version' : `${versions.length} versions`} in History taken since then (newest: ${versions[0]!.name ?? new Date(versions[0]!.createdAt).toISOString().slice(0, 16).replace('T', ' ')}) may hold it: restore one to bring it back.`
        : 'No version taken since then holds it.';
    const reason = `${damage.lostParts} stored change${damage.lostParts === 1 ? ' was' : 's were'} damaged on the server's disk and left out of this map${when ? ` (${when.trim()})` : ''}. ${hold}`;
    if (!connection.closed) connection.send(encodeServerNotice({ kind: 'damaged', reason }));
  }

  /** A restore repaired the map: the damage note goes, and nobody is told of it again. */
  async clearDamage(): Promise<void> {
    if (!this.#damage) return;
    this.#damage = null;
    await this.options.store.noteDamage(this.mapId, null);
  }

  receive(connection: RoomConnection, bytes: Uint8Array): void {
    if (!this.#connections.has(connection)) return;
    if (!connection.takeMessageAllowance()) {
      this.#logger.warn({ connection: connection.id }, 'closing connection: too many messages');
      connection.close(
        CloseCode.tryAgainLater,
        `more than ${connection.rateLimit.perSecond} messages per second; reconnecting shortly`,
      );
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
        this.#closeTooLarge(connection, error);
        return;
      }
      if (!(error instanceof ProtocolError)) throw error;
      this.#logger.warn(
        { connection: connection.id, bytes: bytes.byteLength, reason: error.message },
        'closing connection: bad message',
      );
      connection.close(CloseCode.badMessage, error.message);
      return;
    }
    this.#handle(connection, message, bytes);
  }

  leave(connection: RoomConnection): void {
    if (!this.#connections.delete(connection)) return;
    for (const [client, writer] of this.#writers) if (writer === connection) this.#writers.delete(client);
    this.#awaitingStep1?.delete(connection);
    void this.#activity.flush(connection);
    this.#presence.leave(connection);
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
    for (const connection of this.#connections) connection.close(closeCode, reason);
    this.#connections.clear();
    try {
      await this.#log.drain();
      await this.#activity.flush();
      if (this.#summaryDue) await this.#writeSummary();
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
    const stored = await this.options.store.load(this.mapId);
    if (this.options.history) this.#lastVersionAt = await this.options.history.latestAt(this.mapId);
    this.#damage = stored.damage;
    if (stored.damaged.length > 0) {
      const times = stored.damaged.map((part) => part.storedAt);
      const since = times.includes(null) ? null : Math.min(...(times as number[]));
      this.#logger.error({ damaged: stored.damaged }, `stored map damaged: ${stored.damaged.length} part(s) failed their checksum and were left out; the map loads without them`);
      await this.#noteDamage(stored.damaged.length, since);
    }
    this.#log.restore(stored);
    this.#cold = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
    this.#coldUnchecked = stored.snapshotIntact ? stored.updates : this.#cold;
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
    const parts = this.#cold;
    if (!parts) return;
    this.#cold = null;
    let unreadable = 0;
    Y.transact(
      this.doc,
      () => {
        for (const part of parts) {
          try {
            Y.applyUpdate(this.doc, part);
          } catch {
            // A part without a checksum (written before they were kept) that does not decode: it costs only itself.
            unreadable++;
          }
        }
      },
      serverOrigin(),
    );
    // Later changes by the writer of a lost part wait for its clocks: bridge the gaps so they land;
    // content placed relative to what was lost cannot be placed and goes with it.
    const repairs: Uint8Array[] = [];
    const keepRepair = (update: Uint8Array) => repairs.push(update);
    this.doc.on('update', keepRepair);
    const bridged = pendingUpdate(this.doc) ? bridgeLostRanges(this.doc) : 0;
    this.doc.off('update', keepRepair);
    // Stored, and sent to clients that were sent the stored parts before the document was built:
    // their copies wait on the same lost clocks.
    for (const update of repairs) this.#log.append(update, encodeSyncUpdate(update), null);
    const orphaned = hasPending(this.doc);
    if (orphaned) dropPending(this.doc);
    // Damage the checksums did not catch (a part that does not decode, a row gone missing) is told too.
    if (unreadable > 0 || ((bridged > 0 || orphaned) && this.#damage === null)) {
      // The stored bytes as they are, kept aside before any compaction replaces them.
      void this.options.store.keepDamagedCopy(this.mapId).catch((error: unknown) => this.#logger.warn({ err: error }, 'damaged parts could not be kept aside'));
      this.#logger.error({ unreadable, bridged, orphaned }, 'stored map damaged: parts that do not decode or are missing were left out; the map loads without them');
      void this.#noteDamage(Math.max(1, unreadable + bridged), null);
    }
    const migrationUpdates: Uint8Array[] = [];
    const collect = (update: Uint8Array) => migrationUpdates.push(update);
    this.doc.on('update', collect);
    try {
      const result = migrateDoc(this.doc);
      if (result.applied.length > 0) {
        this.#logger.info({ from: result.from, to: result.to, applied: result.applied }, 'migrated map');
      }
    } catch (error) {
      if (error instanceof NewerSchemaError) {
        throw new RoomLoadError('this map was saved by a newer version of Waymark; upgrade the server', CloseCode.serverError);
      }
      throw error;
    } finally {
      this.doc.off('update', collect);
    }
    // Stored and relayed like any edit, so clients that were sent the older bytes catch up.
    for (const update of migrationUpdates) this.#log.append(update, encodeSyncUpdate(update), null);
    const request = encodeSyncStep1(Y.encodeStateVector(this.doc));
    for (const connection of this.#awaitingStep1 ?? []) connection.send(request);
    this.#awaitingStep1 = null;
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

  /** A sync reply straight from the stored bytes, checked once before the first one leaves. */
  #sendColdState(connection: RoomConnection, stateVector: Uint8Array): boolean {
    const parts = this.#cold!;
    try {
      for (const part of this.#coldUnchecked) Y.decodeUpdate(part);
    } catch {
      // A stored part that does not decode: build the document (which leaves it out) and answer from that.
      if (this.#hydrateOrFail() !== null) return false;
      this.#replyFromDocument(connection, stateVector);
      return true;
    }
    this.#coldUnchecked = [];
    const empty = Y.decodeStateVector(stateVector).size === 0;
    for (const part of parts) connection.send(encodeSyncUpdate(empty ? part : Y.diffUpdate(part, stateVector)));
    connection.send(encodeSyncStep2(EMPTY_UPDATE));
    return true;
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
      case 'sync-step1': {
        if (this.#cold) {
          this.#sendColdState(connection, message.stateVector);
          return;
        }
        this.#replyFromDocument(connection, message.stateVector);
        return;
      }
      case 'sync-step2':
      case 'sync-update': {
        if (isEmptyUpdate(message.decoded)) return;
        if (this.#cold && this.#hydrateOrFail()) return;
        const refusal = this.#writeRefusal(connection, message.update.byteLength);
        if (refusal) {
          connection.send(encodePermissionDenied(refusal));
          return;
        }
        const missing = missingDependency(this.doc, message.decoded);
        if (missing) {
          this.#logger.warn({ connection: connection.id, reason: missing }, 'closing connection: update out of order');
          connection.close(CloseCode.resync, `${missing}; reconnecting to resync`);
          return;
        }
        const claimed = this.#clientsToClaim(connection, message.decoded);
        if (!claimed) return;
        let checked: CheckedUpdate;
        try {
          checked = checkUpdate(this.doc, message.decoded, this.#sender(connection), this.#maxUpdateParts);
        } catch (error) {
          if (error instanceof UpdateTooLargeError) return this.#closeTooLarge(connection, error);
          if (!(error instanceof CyclicUpdateError)) throw error;
          this.#logger.warn({ connection: connection.id, reason: error.message }, 'closing connection: bad message');
          connection.close(CloseCode.badMessage, error.message);
          return;
        }
        // Claimed once judged, so an update cannot make itself the owner of what it deletes.
        for (const client of claimed) this.#writers.set(client, connection);
        if (!checked.verdict.ok) {
          // A live update is one action, refused whole; a sync reply holds everything the client
          // did offline, and only the records with a refused change are refused.
          const { refusedGroups } = checked.verdict;
          const refused = message.type === 'sync-step2' ? (group: string) => refusedGroups.has(group) : () => true;
          this.#takeRewritten(connection, message.decoded, checked, refused, checked.verdict.reasons);
          return;
        }
        if (checked.landsNowhere) {
          this.#takeRewritten(connection, message.decoded, checked, () => false, []);
          return;
        }
        // Forward the bytes as received; a step 2 is re-framed so others do not take it as their own sync.
        const frame = message.type === 'sync-update' ? bytes : encodeSyncUpdate(message.update);
        this.#versionBeforeEdit(connection);
        const changed = this.#apply(connection, message.update);
        if (connection.closed) return;
        // A reconnecting client's sync reply often repeats only what the map already holds (its
        // whole delete set, at least): there is nothing in it to store or to relay.
        if (changed) {
          this.options.metrics?.accepted();
          this.#log.append(message.update, frame, connection);
          this.#noteEdit(connection);
          this.#activity.note(connection, checked.touched, () => this.#presence.nameOf(connection));
        }
        return;
      }
      case 'awareness':
        this.#presence.apply(connection, message.entries);
        return;
      case 'query-awareness':
        // Always answered, if need be with no one: the web app asks to learn whether its socket still works.
        connection.send(this.#presence.snapshotFrame() ?? KEEPALIVE_FRAME);
        return;
    }
  }

  get #maxUpdateParts(): number {
    return this.options.maxUpdateParts ?? DEFAULT_MAX_UPDATE_PARTS;
  }

  #closeTooLarge(connection: RoomConnection, error: UpdateTooLargeError): void {
    this.#logger.warn({ connection: connection.id, limit: error.limit }, 'closing connection: update too large');
    connection.send(encodePermissionDenied(error.message));
    connection.close(CloseCode.tooLarge, error.message);
  }

  /** The sender as the policy sees it: its role, and the Yjs clients it speaks for. */
  #sender(connection: RoomConnection): UpdateSender {
    return {
      role: connection.permission.role,
      owns: (client) => (this.#writers.get(client) ?? this.#presence.ownerOf(client)) === connection,
    };
  }

  /**
   * A connection writes as the Yjs clients it introduced. Writing as one another connection
   * speaks for (in its document or its presence) would let it take that person's place; a client
   * reconnecting while its old connection lingers half-open waits until that one is cut off.
   * The clients the update writes as, for this connection to claim; null (and closed) when one is
   * another's.
   */
  #clientsToClaim(connection: RoomConnection, update: DecodedUpdate): number[] | null {
    const claimed: number[] = [];
    for (const { id, length } of update.structs) {
      // Only what the server lacks is written by this update; the rest it already holds.
      if (id.clock + length <= Y.getState(this.doc.store, id.client)) continue;
      const owner = this.#writers.get(id.client) ?? this.#presence.ownerOf(id.client);
      if (id.client !== this.doc.clientID && (owner === undefined || owner === connection)) {
        claimed.push(id.client);
        continue;
      }
      this.#logger.warn({ connection: connection.id, client: id.client }, 'closing connection: writes as another connection’s client');
      connection.close(CloseCode.tryAgainLater, 'this client is still connected from elsewhere; reconnecting shortly');
      return null;
    }
    return claimed;
  }

  /**
   * Takes an update in rewritten (see undoRefused): refused groups as tombstones with the values
   * they touched set again, so nothing of them is kept; what lands in collected content as
   * collected ranges. Tells the sender what was refused and why, if anything was.
   */
  #takeRewritten(
    connection: RoomConnection,
    update: DecodedUpdate,
    checked: CheckedUpdate,
    refused: (group: string) => boolean,
    reasons: readonly string[],
  ): void {
    if (reasons.length > 0) this.options.metrics?.refused();
    const undoing = undoRefused(this.doc, update, checked, serverOrigin(), refused);
    connection.send(encodeSyncUpdate(undoing.forSender));
    if (undoing.update) this.#log.append(undoing.update, encodeSyncUpdate(undoing.update), null);
    if (reasons.length === 0) return;
    this.#logger.info({ connection: connection.id, role: connection.permission.role, reasons }, 'update refused');
    const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : '';
    connection.send(encodePermissionDenied(`${reasons[0]}${more}; the change was undone on your device`));
  }

  #writeRefusal(connection: RoomConnection, bytes: number): string | null {
    if (this.#readOnlyReason) return this.#readOnlyReason;
    // The facilitator's lock, set by the server in the workshop map: participants wait.
    if (connection.permission.role === 'participant' && topLevelMap(this.doc, 'workshop').get('locked') === true) {
      return 'the facilitator has locked the map while presenting; your change stays on your device until it is unlocked';
    }
    if (this.#log.storedBytes + bytes > this.options.maxDocBytes) {
      return `this map has reached its size limit of ${formatBytes(this.options.maxDocBytes)}; the change was not saved`;
    }
    return null;
  }

  /** Applies a client's update; returns whether it added anything to the document. */
  #apply(connection: RoomConnection, update: Uint8Array): boolean {
    let changed = false;
    const observe = (transaction: Y.Transaction) => (changed = addedAnything(transaction));
    this.doc.on('afterTransaction', observe);
    try {
      Y.applyUpdate(this.doc, update, remoteOrigin(String(connection.id)));
    } catch (error) {
      // The update parsed but could not be integrated; nothing of it is stored or relayed.
      this.#logger.warn({ connection: connection.id, reason: (error as Error).message }, 'closing connection: update rejected');
      connection.close(CloseCode.badMessage, 'the document update could not be applied');
    }
    if (hasPending(this.doc)) {
      // missingDependency should have caught this; never let a pending update reach a snapshot.
      dropPending(this.doc);
      this.#logger.error({ connection: connection.id }, 'closing connection: update left pending state');
      connection.close(CloseCode.resync, 'update refers to content the server does not have; reconnecting to resync');
    }
    this.doc.off('afterTransaction', observe);
    return changed;
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
      this.#lastEditor = { connection: null, name: by };
      this.#scheduleSummary();
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
    this.#storageProbe = setInterval(() => void this.#probeStorage(), this.options.storageRetryMs);
    this.#storageProbe.unref();
  }

  async #probeStorage(): Promise<void> {
    try {
      await this.#log.appendNow([STORAGE_PROBE]);
    } catch {
      return;
    }
    if (this.#state !== 'live') return;
    clearInterval(this.#storageProbe);
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

  /**
   * Notes an accepted edit for the library: the summary (title, goal, last edited, by whom) is
   * written once the edits pause for a moment, not per keystroke.
   */
  #noteEdit(connection: RoomConnection): void {
    if (this.#lastEditor.connection !== connection) this.#lastEditor = { connection, name: this.#nameOfLastEditor() };
    this.#scheduleSummary();
  }

  #scheduleSummary(): void {
    if (this.#summaryDue) return;
    this.#summaryDue = setTimeout(() => void this.#writeSummary(), SUMMARY_DELAY_MS);
    this.#summaryDue.unref();
  }

  /** The last editor's name as their presence gives it now, else as it was last seen. */
  #nameOfLastEditor(): string | null {
    const { connection, name } = this.#lastEditor;
    return (connection && this.#presence.nameOf(connection)) ?? name;
  }

  async #writeSummary(): Promise<void> {
    clearTimeout(this.#summaryDue);
    this.#summaryDue = undefined;
    if (this.#cold) return;
    const meta = readMeta(this.doc);
    this.#lastEditor.name = this.#nameOfLastEditor();
    const summary = { title: meta.title, goal: meta.goal, template: meta.template, updatedAt: Date.now(), updatedBy: this.#lastEditor.name };
    try {
      await this.options.store.updateSummary(this.mapId, summary);
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not keep the map summary current');
    }
  }

  #destroy(): void {
    clearTimeout(this.#summaryDue);
    this.#activity.destroy();
    this.options.keepaliveSweep.delete(this);
    clearInterval(this.#storageProbe);
    this.#presence.destroy();
    this.doc.destroy();
  }
}


/** Whether a transaction integrated new content or deleted something not yet deleted. */
function addedAnything(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) {
    if (transaction.beforeState.get(client) !== clock) return true;
  }
  return false;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${+(bytes / 1024).toFixed(1)} KiB`;
}


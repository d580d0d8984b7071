import type { Logger } from 'pino';
import type * as Y from 'yjs';
import type { NodeEvent } from '../fanout/node-events.js';
import type { RoomFanout } from '../fanout/room-fanout.js';
import type { MapHistory } from '../history/map-history.js';
import type { RoomMetrics } from '../metrics.js';
import { UnknownMapError, type MapStore } from '../storage/map-store.js';
import { CloseCode, MAP_IN_TRASH } from '../sync/sync-socket.js';
import { PRESENCE_SWEEP_MS } from './presence.js';
import type { PresenceLimits } from './presence-entry.js';
import { Room, RoomLoadError, type RoomOptions } from './room.js';
import { SharedInterval } from '../shared-interval.js';

export interface RoomRegistryOptions {
  store: MapStore;
  logger: Logger;
  /** How long a room stays loaded after its last client leaves. */
  idleUnloadMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  keepaliveMs: number;
  maxDocBytes: number;
  storageRetryMs: number;
  /** Bounds on each presence entry. */
  presenceLimits: PresenceLimits;
  /** Most structs plus deletions one document update may carry. */
  maxUpdateParts: number;
  /** Rooms this process keeps loaded at most. */
  maxRooms: number;
  /** Rooms loading at once at most, so a reconnect storm after a restart does not stall the process. */
  maxConcurrentLoads: number;
  /** Takes the maps' automatic versions; none when unset. */
  history?: MapHistory;
  /** Counts what the rooms do, when metrics are on. */
  metrics?: RoomMetrics;
  /** Fan-out to the other nodes (REDIS_URL); closed by the server after the rooms. */
  fanout?: RoomFanout;
}

/**
 * The rooms of this process. A room is loaded once however many clients ask for it at the same
 * moment, unloaded a while after its last client leaves, and every room is unloaded on close.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Promise<Room>>();
  readonly #idleTimers = new Map<string, NodeJS.Timeout>();
  readonly #unloading = new Map<string, Promise<void>>();
  /** Maps whose last write failed: they reopen read-only until the store takes a write again. */
  readonly #readOnly = new Map<string, string>();
  readonly #loadSlots: (() => void)[] = [];
  /** Loaded rooms by map, for counting; a room leaves it when it leaves `#rooms`. */
  readonly #loaded = new Map<string, Room>();
  readonly #presenceSweep = new SharedInterval(PRESENCE_SWEEP_MS);
  readonly #keepaliveSweep: SharedInterval;
  readonly #roomOptions: Omit<RoomOptions, 'readOnlyReason'>;
  #loading = 0;
  #peakLoading = 0;
  #closed = false;

  constructor(readonly options: RoomRegistryOptions) {
    // Keepalives go out a slot of rooms every 250 ms, not to every room at once.
    this.#keepaliveSweep = new SharedInterval(options.keepaliveMs / 2, 250);
    this.#roomOptions = {
      store: options.store,
      logger: options.logger,
      compactAfterUpdates: options.compactAfterUpdates,
      compactAfterBytes: options.compactAfterBytes,
      keepaliveMs: options.keepaliveMs,
      maxDocBytes: options.maxDocBytes,
      storageRetryMs: options.storageRetryMs,
      presenceSweep: this.#presenceSweep,
      presenceLimits: options.presenceLimits,
      maxUpdateParts: options.maxUpdateParts,
      keepaliveSweep: this.#keepaliveSweep,
      ...(options.history ? { history: options.history } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.fanout ? { fanout: options.fanout } : {}),
      onEmpty: (room) => this.#unloadWhenIdle(room),
      onStorageFailure: (room, reason) => {
        this.#readOnly.set(room.mapId, reason);
        this.#forget(room);
      },
      onStorageRecovered: (room) => this.#readOnly.delete(room.mapId),
      onLoadFailed: (room) => this.#forget(room),
    };
    // What another node did to a map reaches this node's room for it, if it has one.
    options.fanout?.onEvents({
      event: (event) => void this.#follow(event),
      missed: () => void this.#catchUpOnMissedEvents(),
    });
  }

  get size(): number {
    return this.#rooms.size;
  }

  /** Presence entries held by the loaded rooms. */
  get presenceEntries(): number {
    let entries = 0;
    for (const room of this.#loaded.values()) if (room.state === 'live') entries += room.presenceEntries;
    return entries;
  }

  /** The most rooms that were loading at the same moment since this process started. */
  get peakConcurrentLoads(): number {
    return this.#peakLoading;
  }

  /**
   * Whether a map can be opened: 'live', 'in-trash', or 'missing' (no such map). One look at the
   * store says both. Throws when the store cannot say.
   */
  async mapStanding(mapId: string): Promise<'live' | 'in-trash' | 'missing'> {
    try {
      return (await this.options.store.deletedAt(mapId)) === null ? 'live' : 'in-trash';
    } catch (error) {
      if (error instanceof UnknownMapError) return 'missing';
      throw error;
    }
  }

  /** The live room for a map, loading it if needed. Rejects when the load fails. */
  async acquire(mapId: string): Promise<Room> {
    if (this.#closed) throw new RoomLoadError('server is shutting down', CloseCode.goingAway);
    this.#cancelIdleUnload(mapId);
    const unloading = this.#unloading.get(mapId);
    if (unloading) await unloading;
    let pending = this.#rooms.get(mapId);
    if (!pending) {
      if (this.#rooms.size >= this.options.maxRooms) {
        throw new RoomLoadError(
          `the server has reached its limit of ${this.options.maxRooms} open maps; try again shortly`,
          CloseCode.unavailable,
        );
      }
      pending = this.#load(mapId);
      this.#rooms.set(mapId, pending);
      // A failed load leaves nothing behind, so the next client tries afresh.
      pending.catch(() => {
        if (this.#rooms.get(mapId) === pending) this.#rooms.delete(mapId);
      });
    }
    const room = await pending;
    if (room.state !== 'live') {
      // It failed or began unloading while this caller waited: ask again.
      return this.acquire(mapId);
    }
    return room;
  }

  /**
   * Runs `read` on the map's document, loading its room the way a sync does (single flight,
   * migrations, the version check). Rejects like `acquire` when the map does not load. Nobody
   * leaves a room that only a read opened, so it is unloaded after the same idle time as one
   * whose last client left.
   */
  async read<T>(mapId: string, read: (document: Y.Doc) => T): Promise<T> {
    const room = await this.acquire(mapId);
    try {
      // A room goes live before its document is built; a map that then turns out not to load
      // fails its room here as a sync would (the next caller loads it afresh).
      return read(room.document);
    } finally {
      if (room.state === 'live' && room.connectionCount === 0) this.#unloadWhenIdle(room);
    }
  }

  /**
   * Changes the map's document as the server (see Room.writeAsServer), loading its room as `read`
   * does.
   */
  async write<T>(mapId: string, by: string | null, change: (document: Y.Doc) => T): Promise<T> {
    const room = await this.acquire(mapId);
    try {
      return room.writeAsServer(by, change);
    } finally {
      if (room.state === 'live' && room.connectionCount === 0) this.#unloadWhenIdle(room);
    }
  }

  /** A restore repaired the map: its rooms, on every node, forget the damage they told its owners of. */
  async clearDamage(mapId: string): Promise<void> {
    this.options.fanout?.announce({ kind: 'damage-cleared', mapId });
    const room = await this.peek(mapId);
    if (room) await room.clearDamage();
    else await this.options.store.noteDamage(mapId, null);
  }

  /** The map went to the trash (the store says so already): its rooms unload on every node, their sessions told why. */
  async trashed(mapId: string): Promise<void> {
    this.options.fanout?.announce({ kind: 'map-trashed', mapId });
    await this.evict(mapId, MAP_IN_TRASH, CloseCode.gone);
  }

  /**
   * Unloads a map's room now, if it is loaded, closing its connections with `closeCode` and
   * `reason` (a map moved to the trash). Waits until the room has let go.
   */
  async evict(mapId: string, reason: string, closeCode: number): Promise<void> {
    this.#cancelIdleUnload(mapId);
    const room = await this.peek(mapId);
    if (!room) return;
    this.#forget(room);
    const unloading = room.unload(reason, closeCode).finally(() => this.#unloading.delete(mapId));
    this.#unloading.set(mapId, unloading);
    await unloading;
  }

  /** The loaded room for a map, if there is one (for reads that must not load it). */
  async peek(mapId: string): Promise<Room | undefined> {
    const pending = this.#rooms.get(mapId);
    if (!pending) return undefined;
    const room = await pending.catch(() => undefined);
    return room?.state === 'live' ? room : undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const rooms = await Promise.allSettled(this.#rooms.values());
    await Promise.all([
      ...rooms.map((result) => (result.status === 'fulfilled' ? result.value.unload() : undefined)),
      ...this.#unloading.values(),
    ]);
    this.#rooms.clear();
    this.#loaded.clear();
    this.#presenceSweep.close();
    this.#keepaliveSweep.close();
  }

  async #load(mapId: string): Promise<Room> {
    await this.#takeLoadSlot();
    try {
      const readOnlyReason = this.#readOnly.get(mapId);
      // Rooms share one options object (a copy would sit in every idle room); only a read-only one gets its own.
      const room = await Room.load(mapId, readOnlyReason ? { ...this.#roomOptions, readOnlyReason } : this.#roomOptions);
      this.#loaded.set(mapId, room);
      return room;
    } finally {
      this.#releaseLoadSlot();
    }
  }

  async #takeLoadSlot(): Promise<void> {
    if (this.#loading >= this.options.maxConcurrentLoads) {
      await new Promise<void>((resolve) => this.#loadSlots.push(resolve));
    }
    this.#loading++;
    this.#peakLoading = Math.max(this.#peakLoading, this.#loading);
  }

  #releaseLoadSlot(): void {
    this.#loading--;
    this.#loadSlots.shift()?.();
  }

  #unloadWhenIdle(room: Room): void {
    this.#cancelIdleUnload(room.mapId);
    const timer = setTimeout(() => {
      this.#idleTimers.delete(room.mapId);
      if (room.connectionCount > 0 || room.state !== 'live') return;
      this.#forget(room);
      const unloading = room.unload('room closed').finally(() => this.#unloading.delete(room.mapId));
      this.#unloading.set(room.mapId, unloading);
    }, this.options.idleUnloadMs);
    timer.unref();
    this.#idleTimers.set(room.mapId, timer);
  }

  /** Does here what another node announced; its store writes are done already. */
  async #follow(event: NodeEvent): Promise<void> {
    if (event.kind === 'link-revoked') return;
    if (event.kind === 'map-trashed') return this.evict(event.mapId, MAP_IN_TRASH, CloseCode.gone);
    if (event.kind === 'damage-cleared') (await this.peek(event.mapId))?.forgetDamage();
  }

  /**
   * Announcements may have been lost: every loaded room checks the store for what they could have
   * said, and a map trashed meanwhile unloads.
   */
  async #catchUpOnMissedEvents(): Promise<void> {
    for (const room of [...this.#loaded.values()]) {
      if (room.state !== 'live') continue;
      try {
        if ((await this.mapStanding(room.mapId)) !== 'live') await this.evict(room.mapId, MAP_IN_TRASH, CloseCode.gone);
      } catch (error) {
        this.options.logger.warn({ err: error, mapId: room.mapId }, 'a missed announcement could not be checked against the store');
      }
    }
  }

  /** The room is no longer the map's: the next caller loads it afresh. */
  #forget(room: Room): void {
    this.#rooms.delete(room.mapId);
    if (this.#loaded.get(room.mapId) === room) this.#loaded.delete(room.mapId);
  }

  #cancelIdleUnload(mapId: string): void {
    const timer = this.#idleTimers.get(mapId);
    if (timer) {
      clearTimeout(timer);
      this.#idleTimers.delete(mapId);
    }
  }
}

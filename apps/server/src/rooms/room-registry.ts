import type { Logger } from 'pino';
import type { MapStore } from '../storage/map-store.js';
import { Room, type RoomOptions } from './room.js';

export interface RoomRegistryOptions {
  store: MapStore;
  logger: Logger;
  /** How long a room stays loaded after its last client leaves. */
  idleUnloadMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  keepaliveMs: number;
}

/**
 * The rooms of this process. A room is loaded once however many clients ask for it at the same
 * moment, unloaded a while after its last client leaves, and every room is unloaded on close.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Promise<Room>>();
  readonly #idleTimers = new Map<string, NodeJS.Timeout>();
  readonly #unloading = new Map<string, Promise<void>>();
  readonly #roomOptions: RoomOptions;
  #closed = false;

  constructor(readonly options: RoomRegistryOptions) {
    this.#roomOptions = {
      store: options.store,
      logger: options.logger,
      compactAfterUpdates: options.compactAfterUpdates,
      compactAfterBytes: options.compactAfterBytes,
      keepaliveMs: options.keepaliveMs,
      onEmpty: (room) => this.#onEmpty(room),
    };
  }

  get size(): number {
    return this.#rooms.size;
  }

  /** The live room for a map, loading it if needed. Rejects when the load fails. */
  async acquire(mapId: string): Promise<Room> {
    if (this.#closed) throw new Error('server is shutting down');
    this.#cancelIdleUnload(mapId);
    const unloading = this.#unloading.get(mapId);
    if (unloading) await unloading;
    let pending = this.#rooms.get(mapId);
    if (!pending) {
      pending = Room.load(mapId, this.#roomOptions);
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
  }

  #onEmpty(room: Room): void {
    if (room.state === 'failed') {
      this.#rooms.delete(room.mapId);
      return;
    }
    this.#cancelIdleUnload(room.mapId);
    const timer = setTimeout(() => {
      this.#idleTimers.delete(room.mapId);
      if (room.connectionCount > 0 || room.state !== 'live') return;
      this.#rooms.delete(room.mapId);
      const unloading = room.unload('room closed').finally(() => this.#unloading.delete(room.mapId));
      this.#unloading.set(room.mapId, unloading);
    }, this.options.idleUnloadMs);
    timer.unref();
    this.#idleTimers.set(room.mapId, timer);
  }

  #cancelIdleUnload(mapId: string): void {
    const timer = this.#idleTimers.get(mapId);
    if (timer) {
      clearTimeout(timer);
      this.#idleTimers.delete(mapId);
    }
  }
}

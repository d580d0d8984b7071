import { MapExistsError, UnknownMapError, type MapStore, type StoredMap } from './map-store.js';

interface MemoryMap {
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  log: { seq: number; update: Uint8Array }[];
  createdAt: number;
}

/** Keeps maps in process memory: for tests and for trying Waymark without a disk. */
export class MemoryMapStore implements MapStore {
  readonly #maps = new Map<string, MemoryMap>();

  async createMap(id: string, initialState: Uint8Array, createdAt: number): Promise<void> {
    if (this.#maps.has(id)) throw new MapExistsError(id);
    this.#maps.set(id, { snapshot: initialState.slice(), snapshotSeq: 1, log: [], createdAt });
  }

  async hasMap(id: string): Promise<boolean> {
    return this.#maps.has(id);
  }

  async load(id: string): Promise<StoredMap> {
    const map = this.#get(id);
    const updates = map.log.map((entry) => entry.update.slice());
    return {
      snapshot: map.snapshot?.slice() ?? null,
      updates,
      lastSeq: map.log.at(-1)?.seq ?? map.snapshotSeq,
      logBytes: updates.reduce((sum, u) => sum + u.byteLength, 0),
      // Kept as copies in this process: nothing can change them behind the store's back.
      snapshotIntact: true,
    };
  }

  async appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number> {
    const map = this.#get(id);
    let seq = map.log.at(-1)?.seq ?? map.snapshotSeq;
    for (const update of updates) map.log.push({ seq: ++seq, update: update.slice() });
    return seq;
  }

  async compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    const map = this.#get(id);
    map.snapshot = snapshot.slice();
    map.snapshotSeq = Math.max(map.snapshotSeq, throughSeq);
    map.log = map.log.filter((entry) => entry.seq > throughSeq);
  }

  async close(): Promise<void> {}

  #get(id: string): MemoryMap {
    const map = this.#maps.get(id);
    if (!map) throw new UnknownMapError(id);
    return map;
  }
}

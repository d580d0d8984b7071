import type { Logger } from 'pino';
import { roleMay } from '../access/roles.js';
import type { DamageNote, MapStore } from '../storage/map-store.js';
import { encodeServerNotice } from '../sync/protocol.js';
import type { RoomConnection } from './room-connection.js';

const minute = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/**
 * What a stored map lost to damage on disk: kept in the store, and told to the map's owners and
 * editors (with the versions that may hold what was lost) until a version is restored.
 */
export class DamageNotes {
  #note: DamageNote | null = null;

  constructor(
    readonly mapId: string,
    readonly store: MapStore,
    readonly logger: () => Logger,
    readonly connections: ReadonlySet<RoomConnection>,
  ) {}

  /** The note the store kept from before, read with the map. */
  restore(note: DamageNote | null): void {
    this.#note = note;
  }

  /** Adds what was lost now to what was lost before, keeps it, and tells the owners and editors on the map. */
  async add(lostParts: number, since: number | null): Promise<void> {
    const before = this.#note;
    this.#note = {
      lostParts: (before?.lostParts ?? 0) + lostParts,
      since: before ? (before.since === null || since === null ? null : Math.min(before.since, since)) : since,
      foundAt: before?.foundAt ?? Date.now(),
    };
    try {
      await this.store.noteDamage(this.mapId, this.#note);
    } catch (error) {
      this.logger().warn({ err: error }, 'could not keep the damage note');
    }
    for (const connection of this.connections) this.tellIfShaper(connection);
  }

  get known(): boolean {
    return this.#note !== null;
  }

  /** Tells one connection, if it is an owner's or an editor's (the people who can restore a version). */
  tellIfShaper(connection: RoomConnection): void {
    if (this.#note && roleMay(connection.permission.role, 'shape-map')) void this.#tell(connection);
  }

  /** A restore repaired the map: the note goes, and nobody is told of it again. */
  async clear(): Promise<void> {
    if (!this.#note) return;
    this.#note = null;
    await this.store.noteDamage(this.mapId, null);
  }

  /** Another node repaired the map and cleared the stored note: this room forgets its copy. */
  forget(): void {
    this.#note = null;
  }

  /** The damage in words, with the versions that hold what was lost. */
  async #tell(connection: RoomConnection): Promise<void> {
    const damage = this.#note;
    if (!damage) return;
    const versions = (await this.store.listVersions(this.mapId).catch(() => [])).filter(
      (version) => damage.since === null || version.createdAt >= damage.since,
    );
    const when = damage.since === null ? '' : ` (written from ${minute(damage.since)} UTC on)`;
    const hold =
      versions.length > 0
        ? `The ${versions.length === 1 ? 'version' : `${versions.length} versions`} in History taken since then (newest: ${versions[0]!.name ?? minute(versions[0]!.createdAt)}) may hold it: restore one to bring it back.`
        : 'No version taken since then holds it.';
    const reason = `${damage.lostParts} stored change${damage.lostParts === 1 ? ' was' : 's were'} damaged on the server's disk and left out of this map${when}. ${hold}`;
    if (!connection.closed) connection.send(encodeServerNotice({ kind: 'damaged', reason }));
  }
}

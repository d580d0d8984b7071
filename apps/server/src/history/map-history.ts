import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { MapStore, VersionKind, VersionRecord } from '../storage/map-store.js';
import { versionsToThin } from './version-thinning.js';

/** When a map being edited gets an automatic version. */
export interface VersionPolicy {
  /** Editing that starts after this long without edits (or versions) first takes a version of the map as it was. */
  quietMs: number;
  /** While a map is being edited, a version at least this often. */
  everyMs: number;
}

export interface NewVersionInput {
  kind: VersionKind;
  name?: string | null;
  createdBy?: string | null;
}

/** The versions of every map: taken, listed and thinned as they age. */
export class MapHistory {
  constructor(
    readonly store: MapStore,
    readonly logger: Logger,
    readonly policy: VersionPolicy,
    readonly now: () => number = Date.now,
  ) {}

  /** Stores `state` as a version of the map; after an automatic one, thins the older ones. */
  async take(mapId: string, state: Uint8Array, input: NewVersionInput): Promise<VersionRecord> {
    const version: VersionRecord = {
      id: randomBytes(9).toString('base64url'),
      mapId,
      kind: input.kind,
      name: input.name ?? null,
      createdAt: this.now(),
      createdBy: input.createdBy ?? null,
      bytes: state.byteLength,
    };
    await this.store.createVersion({ ...version, state });
    if (version.kind !== 'named') await this.#thin(mapId);
    return version;
  }

  /** When the map's newest version was taken; 0 when it has none. */
  async latestAt(mapId: string): Promise<number> {
    return (await this.store.listVersions(mapId))[0]?.createdAt ?? 0;
  }

  async #thin(mapId: string): Promise<void> {
    try {
      const thin = versionsToThin(await this.store.listVersions(mapId), this.now());
      if (thin.length > 0) await this.store.deleteVersions(mapId, thin);
    } catch (error) {
      // Thinning again after the next version catches up; nothing is lost by waiting.
      this.logger.warn({ err: error, mapId }, 'versions could not be thinned');
    }
  }
}

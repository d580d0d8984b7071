import { migrateDoc, NewerSchemaError, pendingUpdate, hasPending, dropPending, serverOrigin } from '@waymark/model';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { bridgeLostRanges } from '../sync/lost-ranges.js';
import { CloseCode } from '../sync/sync-socket.js';
import { RoomLoadError } from './room-load-error.js';

/** What building a document from its stored parts did, beyond applying them. */
export interface BuiltMap {
  /** Updates that bridged the clocks of lost parts, so later changes by their writers land. */
  repairs: Uint8Array[];
  /** Updates the schema migrations wrote. */
  migrations: Uint8Array[];
  /** Parts without a checksum that did not decode (each costs only itself). */
  unreadable: number;
  /** Lost clock ranges bridged. */
  bridged: number;
  /** Whether content waited on what was lost and had to go with it. */
  orphaned: boolean;
}

/** The updates `run` makes to `doc`, in order. */
function updatesOf(doc: Y.Doc, run: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const keep = (update: Uint8Array) => updates.push(update);
  doc.on('update', keep);
  try {
    run();
  } finally {
    doc.off('update', keep);
  }
  return updates;
}

/**
 * Applies a map's stored parts (snapshot, then log) to its document, repairs what lost parts
 * left waiting, and runs the schema migrations. Throws a RoomLoadError for a map saved by a newer
 * Waymark. The repairs and migrations are returned for the room to store and relay like edits.
 */
export function buildStoredMap(doc: Y.Doc, parts: readonly Uint8Array[], logger: Logger): BuiltMap {
  let unreadable = 0;
  Y.transact(
    doc,
    () => {
      for (const part of parts) {
        try {
          Y.applyUpdate(doc, part);
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
  let bridged = 0;
  const repairs = updatesOf(doc, () => {
    bridged = pendingUpdate(doc) ? bridgeLostRanges(doc) : 0;
  });
  const orphaned = hasPending(doc);
  if (orphaned) dropPending(doc);
  const migrations = updatesOf(doc, () => {
    try {
      const result = migrateDoc(doc);
      if (result.applied.length > 0) logger.info({ from: result.from, to: result.to, applied: result.applied }, 'migrated map');
    } catch (error) {
      if (error instanceof NewerSchemaError) {
        throw new RoomLoadError('this map was saved by a newer version of Waymark; upgrade the server', CloseCode.serverError);
      }
      throw error;
    }
  });
  return { repairs, migrations, unreadable, bridged, orphaned };
}

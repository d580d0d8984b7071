import { schema as hocuspocusSchema } from '@hocuspocus/extension-sqlite';
import { CapabilitySigner, SqliteMapStore } from '@waymark/server';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import type { ColdMap } from './cold-map.js';
import type { ServerKind } from './protocol.js';
import { BENCH_AUTH_SECRET } from './servers.js';

export interface SeededRoom {
  room: string;
  token?: string;
}

const COLD_ROOM = 'coldload-map-0001';

/** Waymark's defaults (COMPACT_AFTER_UPDATES, COMPACT_AFTER_BYTES), which its rooms compact by. */
const WAYMARK_COMPACT_AFTER_UPDATES = 1000;
const WAYMARK_COMPACT_AFTER_BYTES = 4 * 1024 * 1024;

/**
 * Puts the cold-load map into a server's own storage in `dataDir`, the way that server keeps it:
 * - Waymark: its SqliteMapStore: the map created from the template state, then the updates
 *   appended to its log and the log compacted into a snapshot whenever it reaches Waymark's
 *   default thresholds, as a live room does (rooms/commit-queue.ts). With `uncompacted`, the
 *   50,000 updates stay in the log (what a room that never got to compact would leave).
 * - y-websocket: y-leveldb's LeveldbPersistence, the template state and every update stored
 *   one by one with storeUpdate (what the server's persistence does for each update; y-leveldb
 *   merges them only when a document is next read).
 * - Hocuspocus: its SQLite extension stores one merged document state per name (it never keeps
 *   a log), so its table gets the merged state under the extension's own schema.
 */
export async function seedColdMap(kind: ServerKind, dataDir: string, map: ColdMap, uncompacted = false): Promise<SeededRoom> {
  switch (kind) {
    case 'waymark': {
      const store = new SqliteMapStore({ file: join(dataDir, 'waymark.db') });
      await store.createMap(COLD_ROOM, map.initial, Date.now());
      if (uncompacted) {
        for (let i = 0; i < map.updates.length; i += 1000) await store.appendUpdates(COLD_ROOM, map.updates.slice(i, i + 1000));
      } else {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, map.initial);
        let count = 0;
        let bytes = 0;
        for (const update of map.updates) {
          const seq = await store.appendUpdates(COLD_ROOM, [update]);
          Y.applyUpdate(doc, update);
          count++;
          bytes += update.byteLength;
          if (count >= WAYMARK_COMPACT_AFTER_UPDATES || bytes >= WAYMARK_COMPACT_AFTER_BYTES) {
            await store.compact(COLD_ROOM, Y.encodeStateAsUpdate(doc), seq);
            count = 0;
            bytes = 0;
          }
        }
        doc.destroy();
      }
      await store.close();
      return { room: COLD_ROOM, token: new CapabilitySigner(BENCH_AUTH_SECRET).sign(COLD_ROOM, 'editor') };
    }
    case 'ywebsocket': {
      const persistence = new LeveldbPersistence(join(dataDir, 'leveldb'));
      await persistence.storeUpdate(COLD_ROOM, map.initial);
      for (const update of map.updates) await persistence.storeUpdate(COLD_ROOM, update);
      await persistence.destroy();
      return { room: COLD_ROOM };
    }
    case 'hocuspocus': {
      const db = new Database(join(dataDir, 'hocuspocus.sqlite'));
      db.exec(hocuspocusSchema);
      db.prepare('INSERT INTO "documents" ("name", "data") VALUES (?, ?)').run(COLD_ROOM, Buffer.from(map.merged));
      db.close();
      return { room: COLD_ROOM };
    }
    case 'relay':
      throw new Error('the raw relay stores nothing');
  }
}

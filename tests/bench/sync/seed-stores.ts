import { schema as hocuspocusSchema } from '@hocuspocus/extension-sqlite';
import { CapabilitySigner, SqliteMapStore } from '@waymark/server';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { LeveldbPersistence } from 'y-leveldb';
import type { ColdMap } from './cold-map.js';
import type { ServerKind } from './protocol.js';
import { BENCH_AUTH_SECRET } from './servers.js';

export interface SeededRoom {
  room: string;
  token?: string;
}

const COLD_ROOM = 'coldload-map-0001';

/**
 * Puts the cold-load map into a server's own storage in `dataDir`, the way that server keeps it:
 * - Waymark: its SqliteMapStore, the map created from the template state and then the 50,000
 *   updates appended to its log (as a live room would have appended them, never compacted).
 * - y-websocket: y-leveldb's LeveldbPersistence, the template state and every update stored
 *   one by one with storeUpdate (what the server's persistence does for each update).
 * - Hocuspocus: its SQLite extension stores one merged document state per name (it never keeps
 *   a log), so its table gets the merged state under the extension's own schema.
 */
export async function seedColdMap(kind: ServerKind, dataDir: string, map: ColdMap): Promise<SeededRoom> {
  switch (kind) {
    case 'waymark': {
      const store = new SqliteMapStore({ file: join(dataDir, 'waymark.db') });
      await store.createMap(COLD_ROOM, map.initial, Date.now());
      for (let i = 0; i < map.updates.length; i += 1000) {
        await store.appendUpdates(COLD_ROOM, map.updates.slice(i, i + 1000));
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

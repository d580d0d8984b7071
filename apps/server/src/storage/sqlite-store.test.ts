import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptMapError } from './map-store.js';
import { SqliteMapStore } from './sqlite-store.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-sqlite-'));
  file = join(dir, 'waymark.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function edit(file: string, sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  db.prepare(sql).run(...params);
  db.close();
}

describe('SqliteMapStore snapshot checksums', () => {
  it('vouches for a snapshot whose bytes match the checksum written with it', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([1, 2, 3]), 0);
    expect((await store.load('m')).snapshotIntact).toBe(true);
    await store.appendUpdates('m', [Uint8Array.from([4])]);
    await store.compact('m', Uint8Array.from([5, 6]), 2);
    const loaded = await store.load('m');
    expect(loaded.snapshotIntact).toBe(true);
    expect([...loaded.snapshot!]).toEqual([5, 6]);
    await store.close();
  });

  it('refuses to load a snapshot changed behind its back', async () => {
    const store = new SqliteMapStore({ file });
    await store.createMap('m', Uint8Array.from([1, 2, 3]), 0);
    edit(file, 'UPDATE maps SET snapshot = ? WHERE id = ?', Buffer.from([1, 2, 4]), 'm');
    await expect(store.load('m')).rejects.toThrow(CorruptMapError);
    await expect(store.load('m')).rejects.toThrow(/snapshot does not match its checksum/);
    await store.close();
  });

  it('opens a file written before checksums, and leaves its snapshots to be decoded', async () => {
    const old = new Database(file);
    old.exec(`
      CREATE TABLE maps (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, snapshot BLOB, snapshot_seq INTEGER NOT NULL);
      CREATE TABLE updates (map_id TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
        data BLOB NOT NULL, PRIMARY KEY (map_id, seq)) WITHOUT ROWID;
      INSERT INTO maps VALUES ('old', 0, x'010203', 1);
    `);
    old.close();
    const store = new SqliteMapStore({ file });
    const loaded = await store.load('old');
    expect(loaded.snapshotIntact).toBe(false);
    expect([...loaded.snapshot!]).toEqual([1, 2, 3]);
    // The next compaction writes a checksum.
    await store.compact('old', Uint8Array.from([7]), 1);
    expect((await store.load('old')).snapshotIntact).toBe(true);
    await store.close();
  });
});

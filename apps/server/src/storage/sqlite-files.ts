import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isStoreUnreachable } from './map-store.js';

/**
 * What the rest of the server knows about SQLite: where the database lives in DATA_DIR, how a
 * consistent copy of it is taken, and what its errors mean in words. Nothing outside storage/
 * names a file, writes SQL or reads an error code.
 */

export const DATABASE_FILE = 'waymark.db';

export function databaseFile(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** Why storage refused a write, in a few words for the people on the map. */
export function describeStorageFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'disk full';
  if (code === 'SQLITE_READONLY' || code === 'EROFS' || code === 'EACCES') return 'storage is read-only';
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return 'database is locked';
  if (isStoreUnreachable(error)) return 'the database cannot be reached';
  return 'storage error';
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * A consistent copy of the database at `source` while it stays in use (SQLite's online backup),
 * written to a temporary name, checked, and only then renamed to `destination`; an interrupted
 * or failed copy leaves nothing behind. Returns how many maps the copy holds.
 */
export async function backupDatabase(source: string, destination: string, progress?: (percent: number) => void): Promise<{ maps: number }> {
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial, {
      progress({ totalPages, remainingPages }) {
        progress?.(totalPages === 0 ? 100 : Math.floor(((totalPages - remainingPages) / totalPages) * 100));
        return 200;
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`backup failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  const copy = new Database(partial, { readonly: true });
  const check = copy.pragma('integrity_check', { simple: true });
  const maps = (copy.prepare('SELECT count(*) AS n FROM maps').get() as { n: number }).n;
  copy.close();
  if (check !== 'ok') {
    rmSync(partial, { force: true });
    throw new BackupError(`the copy failed its integrity check (${String(check)}); nothing was written`);
  }
  renameSync(partial, destination);
  return { maps };
}

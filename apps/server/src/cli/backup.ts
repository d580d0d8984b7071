/**
 * `pnpm backup <file>`: a consistent copy of the database while Waymark keeps running, through
 * SQLite's online backup, checked before it is reported done.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';

function fail(message: string): never {
  console.error(`waymark backup: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const force = args.includes('--force');
const target = args.find((a) => !a.startsWith('--'));
if (!target) fail('usage: pnpm backup <file> [--force]   (copies DATA_DIR/waymark.db to <file>)');

let dataDir: string;
try {
  dataDir = loadConfig().dataDir;
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
const source = join(dataDir, 'waymark.db');
const destination = resolve(target);
if (!existsSync(source)) fail(`no database at ${source} (is DATA_DIR right?)`);
if (existsSync(destination) && !force) fail(`${destination} exists; pass --force to replace it`);

// Copy to a temporary name first, so an interrupted backup never looks like a finished one.
const partial = `${destination}.partial`;
rmSync(partial, { force: true });
const db = new Database(source, { readonly: true, fileMustExist: true });
try {
  let lastPercent = -1;
  await db.backup(partial, {
    progress({ totalPages, remainingPages }) {
      const percent = totalPages === 0 ? 100 : Math.floor(((totalPages - remainingPages) / totalPages) * 100);
      if (percent !== lastPercent && process.stderr.isTTY) process.stderr.write(`\rbacking up… ${percent}%`);
      lastPercent = percent;
      return 200;
    },
  });
} catch (error) {
  rmSync(partial, { force: true });
  fail(`backup failed: ${(error as Error).message}`);
} finally {
  db.close();
}
const copy = new Database(partial, { readonly: true });
const check = copy.pragma('integrity_check', { simple: true });
const maps = (copy.prepare('SELECT count(*) AS n FROM maps').get() as { n: number }).n;
copy.close();
if (check !== 'ok') {
  rmSync(partial, { force: true });
  fail(`the copy failed its integrity check (${String(check)}); nothing was written`);
}
renameSync(partial, destination);
if (process.stderr.isTTY) process.stderr.write('\r');
console.log(`waymark backup: ${maps} maps copied to ${destination}`);

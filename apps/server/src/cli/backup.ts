/**
 * `pnpm backup <file>`: a consistent copy of the database while Waymark keeps running, through
 * SQLite's online backup, checked before it is reported done.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { backupDatabase, BackupError, databaseFile, DATABASE_FILE } from '../storage/sqlite-files.js';

function fail(message: string): never {
  console.error(`waymark backup: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const force = args.includes('--force');
const target = args.find((a) => !a.startsWith('--'));
if (!target) fail(`usage: pnpm backup <file> [--force]   (copies DATA_DIR/${DATABASE_FILE} to <file>)`);

let dataDir: string;
try {
  dataDir = loadConfig().dataDir;
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
const source = databaseFile(dataDir);
const destination = resolve(target);
if (!existsSync(source)) fail(`no database at ${source} (is DATA_DIR right?)`);
if (existsSync(destination) && !force) fail(`${destination} exists; pass --force to replace it`);

let lastPercent = -1;
try {
  const { maps } = await backupDatabase(source, destination, (percent) => {
    if (percent !== lastPercent && process.stderr.isTTY) process.stderr.write(`\rbacking up… ${percent}%`);
    lastPercent = percent;
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  console.log(`waymark backup: ${maps} maps copied to ${destination}`);
} catch (error) {
  if (error instanceof BackupError) fail(error.message);
  throw error;
}

import { accessSync, chmodSync, constants, mkdirSync } from 'node:fs';
import { ConfigError } from './config.js';

/**
 * Makes DATA_DIR ready before anything is written to it: created if missing, readable and
 * writable by this user alone (0700, and every file the process creates from here on 0600: the
 * map store and the secrets in it are the whole of everyone's maps and links). A folder that
 * cannot be used stops the start with one line that names it and says why.
 */
export function prepareDataDir(dataDir: string): void {
  process.umask(0o077);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = REASONS[code ?? ''] ?? message;
    throw new ConfigError(`DATA_DIR ${dataDir} cannot be used: ${why}${code ? ` (${code})` : ''}`);
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOSPC: 'the disk is full',
  EEXIST: 'a file of that name is in the way',
};

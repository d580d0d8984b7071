import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_FILE = 'auth-secret';
const WORKSPACE_TOKEN_FILE = 'workspace-token';

/**
 * The signing secret: AUTH_SECRET when set, otherwise one generated on first start and kept in
 * DATA_DIR, so links stay valid across restarts.
 */
export function loadOrCreateSecret(dataDir: string, configured: string | undefined): string {
  return configured || keptSecret(dataDir, SECRET_FILE);
}

/** The first workspace admin's token: WORKSPACE_TOKEN when set, otherwise generated once and kept in DATA_DIR. */
export function loadOrCreateWorkspaceToken(dataDir: string, configured: string | undefined): string {
  return configured || keptSecret(dataDir, WORKSPACE_TOKEN_FILE);
}

/**
 * A random secret kept in a file of DATA_DIR (mode 0600). Written exclusively, so two processes
 * starting together agree on one.
 */
function keptSecret(dataDir: string, name: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, name);
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable secret; delete it to create a new one`);
  return secret;
}

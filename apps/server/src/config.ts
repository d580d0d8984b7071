import { resolve } from 'node:path';
import { parseTrustedProxies } from './http/client-address.js';

/** Every setting of the server, read from the environment (see the README's configuration table). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Signs map links; generated and kept in DATA_DIR when unset. */
  authSecret: string | undefined;
  /** The first workspace admin's token; generated and kept in DATA_DIR when unset. */
  workspaceToken: string | undefined;
  /** Opens GET /metrics to whoever shows it; metrics are off when unset. */
  metricsToken: string | undefined;
  /** Origin the links point at, e.g. https://waymark.example.com. */
  publicUrl: string;
  /** 'postgres' exactly when DATABASE_URL is set. */
  storage: 'sqlite' | 'memory' | 'postgres';
  /** PostgreSQL to keep maps in (postgres://user:password@host:port/database), shared by every node. */
  databaseUrl: string | undefined;
  /** Redis whose streams carry each live room's updates and presence between nodes (redis:// or rediss://); one node alone when unset. */
  redisUrl: string | undefined;
  sqliteSync: 'normal' | 'full';
  maxMessageBytes: number;
  maxBufferedBytes: number;
  /** Bytes a connection may send while its map is still loading. */
  maxPendingBytes: number;
  maxDocBytes: number;
  /** Largest presence entry a client may publish, as JSON text. */
  maxPresenceBytes: number;
  /** Most structs plus deletions one document update may carry. */
  maxUpdateParts: number;
  maxMessagesPerSecond: number;
  /** Maps one client address may create per minute (with bursts of as many). */
  mapCreationRate: number;
  /** Days a deleted map stays in the trash before it is removed for good. */
  trashDays: number;
  /** Editing that starts after this long without edits first takes an automatic version. */
  versionQuietMs: number;
  /** A map being edited gets an automatic version at least this often. */
  versionEveryMs: number;
  /** Who may create maps: holders of a workspace link, or anyone who can reach the server. */
  mapCreation: 'workspace' | 'anyone';
  maxConnectionsPerIp: number;
  /** Proxies (addresses and CIDR ranges) whose X-Forwarded-For names the client for the per-address limits. */
  trustedProxies: string[];
  maxRooms: number;
  maxConcurrentLoads: number;
  storageRetryMs: number;
  sqliteBusyTimeoutMs: number;
  /** Testing hook: kill the process at this step of the first compaction (see COMPACT_STEPS). */
  crashAtCompactStep: string | undefined;
  roomIdleMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  keepaliveMs: number;
  /** How often each socket is pinged; one that has not answered by the next ping is cut off. */
  pingIntervalMs: number;
  logLevel: string;
  /** Folder of the built web app; unset serves none. */
  webDir: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (!raw) return undefined;
  // The URL carries a password: messages name its scheme only.
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL like postgres://user:password@host:5432/waymark');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  return raw;
}

function trustedProxies(env: Env): string[] {
  const parsed = parseTrustedProxies(env.TRUST_PROXY ?? '');
  if (!parsed.ok) throw new ConfigError(`TRUST_PROXY: ${parsed.reason}`);
  return parsed.proxies;
}

function redisUrl(env: Env): string | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  // The URL may carry a password: messages name its scheme only.
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL must be a URL like redis://host:6379 or rediss://user:password@host:6380');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got ${url.protocol}//`);
  }
  return raw;
}

/** PostgreSQL when DATABASE_URL is set; STORAGE may say so too, but not the opposite. */
function storage(env: Env, database: string | undefined): Config['storage'] {
  const chosen = oneOf(env, 'STORAGE', ['sqlite', 'memory', 'postgres'], database ? 'postgres' : 'sqlite');
  if (chosen === 'postgres' && !database) throw new ConfigError('STORAGE=postgres needs DATABASE_URL (postgres://…)');
  if (chosen !== 'postgres' && database) {
    throw new ConfigError(`DATABASE_URL is set, which keeps maps in PostgreSQL, but STORAGE is ${chosen}: unset one of them`);
  }
  return chosen;
}

function publicUrl(env: Env, port: number): string {
  const raw = env.PUBLIC_URL;
  if (!raw) return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must start with http:// or https://, got "${raw}"`);
  }
  return url.href.replace(/\/$/, '');
}

const MiB = 1024 * 1024;

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const secret = env.AUTH_SECRET || undefined;
  if (secret !== undefined && Buffer.byteLength(secret) < 16) {
    throw new ConfigError('AUTH_SECRET must be at least 16 characters long');
  }
  const workspaceToken = env.WORKSPACE_TOKEN || undefined;
  if (workspaceToken !== undefined && !/^[A-Za-z0-9._~-]{16,512}$/.test(workspaceToken)) {
    throw new ConfigError('WORKSPACE_TOKEN must be 16 to 512 characters of letters, digits, ".", "_", "~" or "-"');
  }
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[A-Za-z0-9._~-]{16,512}$/.test(metricsToken)) {
    throw new ConfigError('METRICS_TOKEN must be 16 to 512 characters of letters, digits, ".", "_", "~" or "-"');
  }
  const database = databaseUrl(env);
  return {
    port,
    metricsToken,
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR || 'data'),
    authSecret: secret,
    workspaceToken,
    publicUrl: publicUrl(env, port),
    storage: storage(env, database),
    databaseUrl: database,
    redisUrl: redisUrl(env),
    sqliteSync: oneOf(env, 'SQLITE_SYNC', ['normal', 'full'], 'normal'),
    maxMessageBytes: integer(env, 'MAX_MESSAGE_BYTES', 8 * MiB, 1024, 512 * MiB),
    maxBufferedBytes: integer(env, 'MAX_BUFFERED_BYTES', 32 * MiB, 64 * 1024, 4096 * MiB),
    maxPendingBytes: integer(env, 'MAX_PENDING_BYTES', 16 * MiB, 1024, 4096 * MiB),
    maxDocBytes: integer(env, 'MAX_DOC_BYTES', 64 * MiB, 1024, 64 * 1024 * MiB),
    maxPresenceBytes: integer(env, 'MAX_PRESENCE_BYTES', 16 * 1024, 256, 1 * MiB),
    maxUpdateParts: integer(env, 'MAX_UPDATE_PARTS', 100_000, 100, 100_000_000),
    maxMessagesPerSecond: integer(env, 'MAX_MESSAGES_PER_SECOND', 200, 1, 1_000_000),
    mapCreationRate: integer(env, 'MAP_CREATION_RATE', 30, 1, 1_000_000),
    mapCreation: oneOf(env, 'MAP_CREATION', ['workspace', 'anyone'], 'workspace'),
    trashDays: integer(env, 'TRASH_DAYS', 30, 0, 36_500),
    versionQuietMs: integer(env, 'VERSION_QUIET_MS', 30 * 60_000, 1_000, 30 * 24 * 3600_000),
    versionEveryMs: integer(env, 'VERSION_EVERY_MS', 3600_000, 1_000, 30 * 24 * 3600_000),
    maxConnectionsPerIp: integer(env, 'MAX_CONNECTIONS_PER_IP', 200, 1, 1_000_000),
    trustedProxies: trustedProxies(env),
    maxRooms: integer(env, 'MAX_ROOMS', 10_000, 1, 10_000_000),
    maxConcurrentLoads: integer(env, 'MAX_CONCURRENT_LOADS', 8, 1, 10_000),
    storageRetryMs: integer(env, 'STORAGE_RETRY_MS', 5_000, 10, 3600_000),
    sqliteBusyTimeoutMs: integer(env, 'SQLITE_BUSY_TIMEOUT_MS', 5_000, 0, 600_000),
    roomIdleMs: integer(env, 'ROOM_IDLE_MS', 10_000, 0, 24 * 3600_000),
    compactAfterUpdates: integer(env, 'COMPACT_AFTER_UPDATES', 1000, 1, 10_000_000),
    compactAfterBytes: integer(env, 'COMPACT_AFTER_BYTES', 4 * MiB, 1024, 4096 * MiB),
    keepaliveMs: integer(env, 'KEEPALIVE_MS', 15_000, 100, 3600_000),
    pingIntervalMs: integer(env, 'PING_INTERVAL_MS', 30_000, 100, 3600_000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    crashAtCompactStep: env.WAYMARK_CRASH_AT || undefined,
    webDir: env.WEB_DIR === undefined ? undefined : env.WEB_DIR || undefined,
  };
}

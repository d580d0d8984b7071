import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { CapabilitySigner } from './access/capability.js';
import { LinkAuthority } from './access/link-authority.js';
import { loadOrCreateSecret, loadOrCreateWorkspaceToken } from './access/secret.js';
import { ConfigError, type Config } from './config.js';
import { RedisFanout } from './fanout/redis-fanout.js';
import { createApp } from './http/app.js';
import { ClientAddresses } from './http/client-address.js';
import { MapHistory } from './history/map-history.js';
import { ServerMetrics, type LiveCounts } from './metrics.js';
import { MapImageRenderer } from './exports/image-renderer.js';
import { DEFAULT_PRESENCE_LIMITS } from './rooms/presence-entry.js';
import { RoomRegistry } from './rooms/room-registry.js';
import type { MapStore } from './storage/map-store.js';
import { MemoryMapStore } from './storage/memory-store.js';
import { PostgresMapStore } from './storage/postgres-store.js';
import { databaseFile } from './storage/sqlite-files.js';
import { COMPACT_STEPS, SqliteMapStore, type CompactStep } from './storage/sqlite-store.js';
import { SyncEndpoint } from './transport/sync-endpoint.js';

export interface WaymarkServer {
  readonly http: Server;
  readonly store: MapStore;
  readonly rooms: RoomRegistry;
  readonly signer: CapabilitySigner;
  readonly links: LinkAuthority;
  readonly logger: Logger;
  /** Starts listening; resolves with the origin clients should use, e.g. http://127.0.0.1:8080. */
  listen(): Promise<string>;
  /** Stops accepting, flushes and compacts every room, closes the store. */
  close(): Promise<void>;
}

export interface ServerParts {
  logger?: Logger;
  store?: MapStore;
}

function openStore(config: Config, logger: Logger): MapStore {
  if (config.storage === 'memory') return new MemoryMapStore();
  if (config.storage === 'postgres' && config.databaseUrl) {
    return new PostgresMapStore({
      connectionString: config.databaseUrl,
      onConnectionError: (error) => logger.warn({ err: error }, 'a PostgreSQL connection failed while idle; the pool opens another'),
    });
  }
  return new SqliteMapStore({
    file: databaseFile(config.dataDir),
    sync: config.sqliteSync,
    busyTimeoutMs: config.sqliteBusyTimeoutMs,
    onCompactStep: crashAt(config.crashAtCompactStep),
  });
}

function crashAt(step: string | undefined): ((current: CompactStep) => void) | undefined {
  if (!step) return undefined;
  if (!(COMPACT_STEPS as readonly string[]).includes(step)) {
    throw new ConfigError(`WAYMARK_CRASH_AT must be one of ${COMPACT_STEPS.join(', ')}, got "${step}"`);
  }
  return (current) => {
    if (current === step) process.kill(process.pid, 'SIGKILL');
  };
}

/** Wires the parts together; main.ts and the tests both start Waymark through this. */
export function createWaymarkServer(config: Config, parts: ServerParts = {}): WaymarkServer {
  const logger = parts.logger ?? pino({ level: config.logLevel, base: { service: 'waymark' } });
  const store = parts.store ?? openStore(config, logger);
  // Nothing is served before PostgreSQL's schema is in place; a database out of reach fails the start, saying why.
  const storeReady = store instanceof PostgresMapStore ? store.ready : Promise.resolve();
  if (store instanceof SqliteMapStore) {
    const problems = store.checkIntegrity();
    if (problems.length > 0) {
      logger.error({ problems }, `storage check at start: ${problems.map((problem) => problem.message).join('; ')}`);
      // Each map that lost something tells its owners and editors when they next open it.
      for (const { mapId, lostParts } of problems) {
        if (mapId && lostParts) void store.noteDamage(mapId, { lostParts, since: null, foundAt: Date.now() }).catch(() => {});
      }
    }
  }
  const signer = new CapabilitySigner(loadOrCreateSecret(config.dataDir, config.authSecret));
  const workspaceToken = loadOrCreateWorkspaceToken(config.dataDir, config.workspaceToken);
  const links = new LinkAuthority(signer, store, workspaceToken);
  const history = new MapHistory(store, logger, { quietMs: config.versionQuietMs, everyMs: config.versionEveryMs });
  // Counts only what is asked for: with no METRICS_TOKEN nothing is measured or served.
  let live: LiveCounts = { rooms: () => 0, connections: () => 0, presenceEntries: () => 0 };
  const metrics = config.metricsToken
    ? new ServerMetrics({ rooms: () => live.rooms(), connections: () => live.connections(), presenceEntries: () => live.presenceEntries() })
    : undefined;
  // Several nodes serve one map through Redis Streams when REDIS_URL is set.
  const fanout = config.redisUrl ? new RedisFanout({ url: config.redisUrl, logger }) : undefined;
  const rooms = new RoomRegistry({
    store,
    logger,
    history,
    ...(fanout ? { fanout } : {}),
    ...(metrics ? { metrics } : {}),
    idleUnloadMs: config.roomIdleMs,
    compactAfterUpdates: config.compactAfterUpdates,
    compactAfterBytes: config.compactAfterBytes,
    keepaliveMs: config.keepaliveMs,
    maxDocBytes: config.maxDocBytes,
    storageRetryMs: config.storageRetryMs,
    presenceLimits: { ...DEFAULT_PRESENCE_LIMITS, maxEntryBytes: config.maxPresenceBytes },
    maxUpdateParts: config.maxUpdateParts,
    maxRooms: config.maxRooms,
    maxConcurrentLoads: config.maxConcurrentLoads,
  });
  // Behind a balancer named in TRUST_PROXY, the per-address limits count the address it forwards.
  const addresses = new ClientAddresses(config.trustedProxies);
  const clientAddress = (request: IncomingMessage) => addresses.of(request);
  const sync = new SyncEndpoint({
    clientAddress,
    rooms,
    links,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    maxPendingBytes: config.maxPendingBytes,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    pingIntervalMs: config.pingIntervalMs,
    rateLimit: { perSecond: config.maxMessagesPerSecond, burst: config.maxMessagesPerSecond * 2 },
  });
  if (fanout) {
    // A link revoked here ends its sessions on every node.
    links.onRevoked((linkId, reason) => fanout.announce({ kind: 'link-revoked', linkId, reason }));
    fanout.onEvents({
      event: (event) => {
        if (event.kind === 'link-revoked') sync.endLink(event.linkId, event.reason);
      },
      missed: () => void sync.endRevokedLinks(),
    });
  }
  let publicUrl = config.publicUrl;
  // Its worker thread starts with the first PNG or PDF export and stops again when idle.
  const images = new MapImageRenderer();
  live = { rooms: () => rooms.size, connections: () => sync.connectionCount, presenceEntries: () => rooms.presenceEntries };
  const app = createApp({
    store,
    rooms,
    history,
    images,
    links,
    logger,
    webDir: config.webDir,
    get publicUrl() {
      return publicUrl;
    },
    mapCreationRate: config.mapCreationRate,
    mapCreation: config.mapCreation,
    clientAddress,
    trashDays: config.trashDays,
    // With DATABASE_URL, whether PostgreSQL answers: without it no edit is saved, so none is taken.
    // With REDIS_URL, whether Redis answers: without it edits still save, but other nodes' people do not see them live.
    health: async () => {
      const dependencies = {
        ...(store instanceof PostgresMapStore ? { postgres: (await store.answers()) ? 'up' : 'down' } : {}),
        ...(fanout ? { redis: fanout.reachable ? 'up' : 'down' } : {}),
      };
      const status = Object.values(dependencies).includes('down') ? 'degraded' : 'ok';
      return { status, rooms: rooms.size, connections: sync.connectionCount, ...dependencies };
    },
    metrics: metrics && config.metricsToken ? { registry: metrics, token: config.metricsToken } : undefined,
  });
  const http = createServer(app);
  http.on('upgrade', (request, socket, head) => {
    if (!sync.handleUpgrade(request, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });

  // Maps in the trash longer than TRASH_DAYS go for good: at start, then every hour.
  const purgeTrash = () =>
    store.purgeDeleted(Date.now() - config.trashDays * 24 * 3600_000).then(
      (purged) => {
        if (purged.length > 0) logger.info({ maps: purged }, 'removed maps from the trash for good');
      },
      (error: unknown) => logger.error({ err: error }, 'emptying the trash failed; trying again in an hour'),
    );
  // A survey import still pending at start was cut short by a stop: its verbatims go, nothing half-imported stays.
  void store.purgePendingSurveyImports().then(
    (purged) => {
      if (purged > 0) logger.info({ imports: purged }, 'removed survey imports left unfinished by the last stop');
    },
    (error: unknown) => logger.error({ err: error }, 'removing unfinished survey imports failed'),
  );
  const trashTimer = setInterval(() => void purgeTrash(), 3600_000);
  trashTimer.unref();
  void purgeTrash();

  let closing: Promise<void> | undefined;
  return {
    http,
    store,
    rooms,
    signer,
    links,
    logger,
    listen: () =>
      storeReady.then(
        () =>
          new Promise((resolve, reject) => {
            http.once('error', reject);
            http.listen(config.port, config.host, () => {
              http.off('error', reject);
              const { port } = http.address() as AddressInfo;
              // With PORT=0 (tests) the links must carry the port actually chosen.
              if (config.port === 0) publicUrl = `http://${formatHost(config.host)}:${port}`;
              logger.info({ host: config.host, port, publicUrl }, 'Waymark is listening');
              // As Jupyter does: after a first start, the log says where to go. Whoever reads the
              // log can already read DATA_DIR, where the token is kept.
              logger.info({ adminLink: `${publicUrl}/#workspace=${workspaceToken}` }, 'workspace admin link (keep it to yourself)');
              resolve(`http://${formatHost(config.host)}:${port}`);
            });
          }),
      ),
    close: () =>
      (closing ??= (async () => {
        clearInterval(trashTimer);
        http.close();
        await sync.close();
        await rooms.close();
        await fanout?.close();
        await images.close();
        await store.close();
        http.closeAllConnections();
        logger.info('Waymark stopped');
      })()),
  };
}

const formatHost = (host: string) => (host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host);

import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
import { prepareDataDir } from './data-dir.js';
import { createWaymarkServer, type WaymarkServer } from './server.js';
import { PostgresStoreError } from './storage/postgres-store.js';

let server: WaymarkServer;
try {
  const config = loadConfig();
  config.webDir ??= fileURLToPath(new URL('../../web/dist', import.meta.url));
  prepareDataDir(config.dataDir);
  server = createWaymarkServer(config);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`waymark: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
try {
  await server.listen();
} catch (error) {
  // A database out of reach at start is the operator's to fix: say which, in one line.
  if (error instanceof PostgresStoreError) {
    console.error(`waymark: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  server.logger.info({ signal }, 'stopping: flushing and compacting rooms');
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      server.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

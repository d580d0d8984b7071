import type { Logger } from 'pino';
import type { MapStore } from '@waymark/server';
import { afterEach, beforeEach } from 'vitest';
import type * as Y from 'yjs';
import { connect, synced, tokenOf, type Client } from './clients.js';
import { spawnServer, startServer, tempDataDir, type ChildServer, type RunningServer } from './server.js';

/** What every test bed gives a test: a fresh data folder and the clients it opens, both gone afterwards. */
interface TestBed {
  readonly dir: string;
  readonly clients: Client[];
  /**
   * A client on the map through `link` (a map link, its token in the fragment), synced, and destroyed after the test.
   * Given `doc`, the client connects with that document: what it already holds, and what it has not yet sent,
   * as a person's open tab does when it reconnects to another node.
   */
  join(url: string, mapId: string, link: string, doc?: Y.Doc): Promise<Client>;
}

/**
 * Registers the hooks of a test bed: a fresh data folder before each test; after it, the clients
 * destroyed, then `stopServers`, then the folder removed.
 */
function useTestBed(stopServers: () => Promise<void>): TestBed {
  let data: ReturnType<typeof tempDataDir> | undefined;
  const clients: Client[] = [];
  beforeEach(() => {
    data = tempDataDir();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await stopServers();
    data?.remove();
  });
  return {
    get dir() {
      if (!data) throw new Error('the test bed is only there inside a test');
      return data.dir;
    },
    clients,
    async join(url, mapId, link, doc) {
      const client = connect(url, mapId, tokenOf(link), doc);
      clients.push(client);
      await synced(client);
      return client;
    },
  };
}

/** Per test: a fresh data folder, server processes started in it, and clients, all stopped afterwards. */
export interface ProcessTestBed extends TestBed {
  /** Spawns `node apps/server/dist/main.js` on this test's data folder. */
  spawn(env?: Record<string, string>): Promise<ChildServer>;
}

export function useProcessTestBed(): ProcessTestBed {
  const children: ChildServer[] = [];
  const bed = useTestBed(async () => {
    for (const child of children.splice(0)) {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
      await child.exited;
    }
  });
  return {
    get dir() {
      return bed.dir;
    },
    clients: bed.clients,
    join: bed.join,
    async spawn(env = {}) {
      const child = await spawnServer(this.dir, env);
      children.push(child);
      return child;
    },
  };
}

/** Per test: a fresh data folder, servers started in this process on it, and clients, all stopped afterwards. */
export interface ServerTestBed extends TestBed {
  /**
   * Starts the real server in this process, on this test's data folder unless `parts.dataDir`
   * says otherwise. Closing it before the test ends (to restart it) is fine: it closes once.
   */
  start(env?: Record<string, string>, parts?: { store?: MapStore; logger?: Logger; dataDir?: string }): Promise<RunningServer>;
}

export function useServerTestBed(): ServerTestBed {
  const running: RunningServer[] = [];
  const bed = useTestBed(async () => {
    for (const server of running.splice(0)) await server.close();
  });
  return {
    get dir() {
      return bed.dir;
    },
    clients: bed.clients,
    join: bed.join,
    async start(env = {}, { dataDir, ...parts } = {}) {
      const started = await startServer(dataDir ?? this.dir, env, parts);
      let closing: Promise<void> | undefined;
      const server: RunningServer = { ...started, close: () => (closing ??= started.close()) };
      running.push(server);
      return server;
    },
  };
}

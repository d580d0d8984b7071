import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../../support/embedded-postgres.js';
import { startTestRedis, type TestRedis } from '../../support/test-redis.js';
import { spawnNode, type NodeProcess } from './node-process.js';

/** Every node signs and checks the same links, so a link made on one opens the map on any other. */
const SHARED_ENV = {
  AUTH_SECRET: 'waymark-cluster-bench-secret-0123456789',
  WORKSPACE_TOKEN: 'waymark-cluster-bench-workspace-token',
  NODE_ENV: 'production',
  MAP_CREATION: 'anyone',
  // Every client comes from 127.0.0.1, and the throughput writers send as fast as the server takes
  // them: the per-connection, per-address and map-creation limits are policy, not what is measured.
  MAP_CREATION_RATE: '1000000',
  MAX_MESSAGES_PER_SECOND: '1000000',
  MAX_CONNECTIONS_PER_IP: '100000',
};

/** One Waymark server process of the cluster. */
export interface ClusterNode {
  readonly name: string;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly pid: number;
  readonly process: NodeProcess;
  /** SIGKILL, as a crash would: nothing is flushed. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A PostgreSQL (embedded-postgres), a Redis (redis-server) and Waymark server processes
 * (apps/server/dist/main.js) sharing both, all on 127.0.0.1. `stop` ends every process it
 * started, each by its own handle, and removes their folders.
 */
export class Cluster {
  readonly nodes: ClusterNode[] = [];
  readonly #dataDirs: string[] = [];

  private constructor(
    readonly postgres: TestPostgres,
    readonly redis: TestRedis,
    readonly databaseUrl: string,
  ) {}

  static async start(): Promise<Cluster> {
    const postgres = await startTestPostgres();
    let redis: TestRedis | undefined;
    try {
      redis = await startTestRedis();
      return new Cluster(postgres, redis, await postgres.freshDatabase());
    } catch (error) {
      await redis?.stop();
      await postgres.stop();
      throw error;
    }
  }

  /** Starts one more node; resolves once it listens. */
  async startNode(name: string): Promise<ClusterNode> {
    // AUTH_SECRET and WORKSPACE_TOKEN are set, so nothing is kept here; the server still wants one.
    const dataDir = mkdtempSync(join(tmpdir(), 'waymark-cluster-node-'));
    this.#dataDirs.push(dataDir);
    const child = await spawnNode({ ...SHARED_ENV, DATA_DIR: dataDir, DATABASE_URL: this.databaseUrl, REDIS_URL: this.redis.url });
    const node: ClusterNode = {
      name,
      url: child.url,
      pid: child.pid,
      process: child,
      async kill() {
        child.signal('SIGKILL');
        await child.exited;
      },
      async stop(graceMs = 15_000) {
        if (!child.running()) return;
        child.signal('SIGTERM');
        const timer = setTimeout(() => child.signal('SIGKILL'), graceMs);
        await child.exited;
        clearTimeout(timer);
      },
    };
    this.nodes.push(node);
    return node;
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node.stop(5_000);
    for (const dir of this.#dataDirs) rmSync(dir, { recursive: true, force: true });
    await this.redis.stop().catch((error: unknown) => console.error('stopping Redis failed:', error));
    await this.postgres.stop().catch((error: unknown) => console.error('stopping PostgreSQL failed:', error));
  }
}

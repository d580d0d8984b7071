import { addCard, readCards, readLanes, readStages } from '@waymark/model';
import type { Client } from './clients.js';
import { useTestPostgres, type TestPostgres } from './embedded-postgres.js';
import type { ChildServer } from './server.js';
import { useProcessTestBed, type ProcessTestBed } from './test-bed.js';
import { useTestRedis, type TestRedis } from './test-redis.js';

/** Several server processes ("nodes") sharing one PostgreSQL database and one Redis, as in production. */
export interface TestCluster {
  readonly bed: ProcessTestBed;
  /** The file's Redis (started by the first test that asks). */
  redis(skip: (reason: string) => void): Promise<TestRedis>;
  /** The file's PostgreSQL server (each `start` makes a fresh database on it). */
  postgres(skip: (reason: string) => void): Promise<TestPostgres>;
  /** `count` nodes on a fresh database, each on its own port, with `env` on top of what they share. */
  start(skip: (reason: string) => void, count: number, env?: Record<string, string>): Promise<ChildServer[]>;
  /** `count` more nodes like those of the last `start`, on the same database. */
  addNodes(count: number): Promise<ChildServer[]>;
}

/** Signs and checks the same links on every node. */
export const CLUSTER_ENV = {
  AUTH_SECRET: 'cluster-test-secret-0123456789',
  WORKSPACE_TOKEN: 'cluster-test-workspace-token',
} as const;

export function useCluster(): TestCluster {
  const postgres = useTestPostgres();
  const redis = useTestRedis();
  const bed = useProcessTestBed();
  let lastEnv: Record<string, string> | null = null;
  const spawn = async (env: Record<string, string>, count: number) => {
    const nodes: ChildServer[] = [];
    for (let i = 0; i < count; i++) nodes.push(await bed.spawn(env));
    return nodes;
  };
  return {
    bed,
    redis: (skip) => redis.server(skip),
    postgres: (skip) => postgres.server(skip),
    async start(skip, count, env = {}) {
      const { url: redisUrl } = await redis.server(skip);
      lastEnv = { DATABASE_URL: await postgres.database(skip), REDIS_URL: redisUrl, ...CLUSTER_ENV, ...env };
      return spawn(lastEnv, count);
    },
    addNodes(count) {
      if (!lastEnv) throw new Error('addNodes needs a cluster started first');
      return spawn(lastEnv, count);
    },
  };
}

/** The texts of the map's cards, sorted, as one client sees them. */
export const cardTexts = (client: Client): string[] =>
  readCards(client.doc)
    .map((card) => card.text)
    .sort();

/** Types `count` cards (`<prefix>-0`, …) into the first cell of the map, as a person on that client would. */
export function typeCards(client: Client, prefix: string, count: number): string[] {
  const stageId = readStages(client.doc)[0]!.id;
  const laneId = readLanes(client.doc)[0]!.id;
  const texts = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (const text of texts) addCard(client.doc, { stageId, laneId, text });
  return texts;
}

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { addCard, readCards, readLanes, readStages } from '@waymark/model';
import { PostgresMapStore } from '@waymark/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMap, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import { useTestPostgres } from '../support/embedded-postgres.js';
import { repoRoot, type ChildServer } from '../support/server.js';
import { useProcessTestBed } from '../support/test-bed.js';
import { useTestRedis } from '../support/test-redis.js';

const postgres = useTestPostgres();
const redis = useTestRedis();

/** The part of the `pg` client these tests use, resolved as the server resolves it (the tests have no copy of their own). */
interface SqlClient {
  connect(): Promise<void>;
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
const pg = createRequire(join(repoRoot, 'apps/server/package.json'))('pg') as {
  Client: new (options: { connectionString: string }) => SqlClient;
};

async function withSql<T>(databaseUrl: string, work: (sql: SqlClient) => Promise<T>): Promise<T> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** The texts of the map's cards, sorted, as one document holds them. */
const cardTexts = (doc: Y.Doc) =>
  readCards(doc)
    .map((card) => card.text)
    .sort();

const holdsAll = (doc: Y.Doc, texts: readonly string[]) => {
  const held = new Set(cardTexts(doc));
  return texts.every((text) => held.has(text));
};

/** How often each text occurs among the map's cards; a card stored twice (or lost) shows here. */
function countsOf(doc: Y.Doc, texts: readonly string[]): Record<string, number> {
  const counts = Object.fromEntries(texts.map((text) => [text, 0]));
  for (const text of cardTexts(doc)) if (text in counts) counts[text]!++;
  return counts;
}

const once = (texts: readonly string[]) => Object.fromEntries(texts.map((text) => [text, 1]));

/** Adds the card `text` to the first cell of the map, as a person on that client would. */
function typeCard(client: Client, text: string): void {
  addCard(client.doc, { stageId: readStages(client.doc)[0]!.id, laneId: readLanes(client.doc)[0]!.id, text });
}

/** Lets the sockets and the nodes run between two keystrokes, so typing overlaps with commits and fan-out. */
const betweenKeystrokes = () => new Promise((resolve) => setTimeout(resolve, 15));

/** The map as PostgreSQL holds it now (snapshot, then log), read by a store of the test's own into a fresh document. */
async function storedDoc(databaseUrl: string, mapId: string): Promise<Y.Doc> {
  const store = new PostgresMapStore({ connectionString: databaseUrl });
  try {
    await store.ready;
    const { snapshot, updates } = await store.load(mapId);
    const doc = new Y.Doc();
    for (const part of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, part);
    return doc;
  } finally {
    await store.close();
  }
}

describe('a cluster of nodes when a node dies or two compact at once (REDIS_URL and DATABASE_URL)', () => {
  const bed = useProcessTestBed();

  /** One PostgreSQL database and one Redis for every node of the test. */
  async function sharedServices(skip: (reason: string) => void) {
    const { url: redisUrl } = await redis.server(skip);
    return { databaseUrl: await postgres.database(skip), redisUrl };
  }

  /**
   * A node on the shared services. Each node names its database connections (`name`), so the
   * database can tell which node wrote what.
   */
  function startNode(services: { databaseUrl: string; redisUrl: string }, name: string, env: Record<string, string> = {}) {
    const databaseUrl = new URL(services.databaseUrl);
    databaseUrl.searchParams.set('application_name', name);
    return bed.spawn({
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: services.redisUrl,
      // Every node signs and checks the same links.
      AUTH_SECRET: 'cluster-faults-test-secret-0123456789',
      WORKSPACE_TOKEN: 'cluster-faults-test-workspace-token',
      ...env,
    });
  }

  const joinAll = (node: ChildServer, map: CreatedMap, count: number) =>
    Promise.all(Array.from({ length: count }, () => bed.join(node.url, map.id, map.links.editor)));

  it('a node killed with SIGKILL during edits loses nothing any client had received', async ({ skip }) => {
    const services = await sharedServices(skip);
    const a = await startNode(services, 'waymark-node-a');
    const b = await startNode(services, 'waymark-node-b');
    const map = await createMap(a.url);
    let onA = await joinAll(a, map, 2);
    const onB = await joinAll(b, map, 2);
    const typists = [
      { name: 'a0', client: () => onA[0]! },
      { name: 'a1', client: () => onA[1]! },
      { name: 'b0', client: () => onB[0]! },
      { name: 'b1', client: () => onB[1]! },
    ];
    const keystrokes = 30;
    const killAfter = 12;
    const moveToBAfter = 20;
    const typed = typists.flatMap(({ name }) => Array.from({ length: keystrokes }, (_, i) => `${name}-${i}`));
    let seenBeforeKill: string[] = [];

    for (let i = 0; i < keystrokes; i++) {
      if (i === killAfter) {
        // Each side has received some of the other's cards through the fan-out before A dies.
        await waitFor(
          () => onA.every((c) => holdsAll(c.doc, ['b0-0', 'b1-0'])) && onB.every((c) => holdsAll(c.doc, ['a0-0', 'a1-0'])),
          'cards of each node on the clients of the other',
          20_000,
        );
      }
      for (const { name, client } of typists) typeCard(client(), `${name}-${i}`);
      if (i === killAfter) {
        // Right after a keystroke on every client: A dies with updates in flight, some received, some not yet committed.
        seenBeforeKill = [...new Set([...onA, ...onB].flatMap((c) => cardTexts(c.doc)))].sort();
        a.child.kill('SIGKILL');
        expect((await a.exited).signal).toBe('SIGKILL');
      }
      if (i === moveToBAfter) {
        // A's clients have kept typing while cut off; each moves to B with the document it holds.
        for (const client of onA) client.provider.destroy();
        onA = await Promise.all(onA.map((client) => bed.join(b.url, map.id, map.links.editor, client.doc)));
      }
      await betweenKeystrokes();
    }

    const everyone = [...onA, ...onB];
    const expected = [...new Set([...seenBeforeKill, ...typed])].sort();
    expect(seenBeforeKill).toEqual(expect.arrayContaining(['a0-0', 'b0-0', `a0-${killAfter}`]));
    await waitFor(() => everyone.every((client) => holdsAll(client.doc, expected)), 'every card on every client', 20_000);
    for (const client of everyone) expect(countsOf(client.doc, typed)).toEqual(once(typed));
    for (const client of everyone) expect(cardTexts(client.doc)).toEqual(cardTexts(onB[0]!.doc));

    // Every card is on a client other than the one that typed it, so some node has stored it: a fresh node loads it.
    const c = await startNode(services, 'waymark-node-c');
    const late = await bed.join(c.url, map.id, map.links.viewer);
    expect(cardTexts(late.doc)).toEqual(cardTexts(onB[0]!.doc));
    const stored = await storedDoc(services.databaseUrl, map.id);
    expect(cardTexts(stored)).toEqual(cardTexts(onB[0]!.doc));
    expect(countsOf(stored, typed)).toEqual(once(typed));
  }, 90_000);

  /**
   * Records in the database every update appended and every snapshot written, and which node did it
   * (the name its connections carry). The schema must be in place: a node has started on the database.
   */
  const noteStoreWrites = (databaseUrl: string) =>
    withSql(databaseUrl, (sql) =>
      sql.query(`
        CREATE TABLE test_store_writes (node text NOT NULL, map_id text NOT NULL, kind text NOT NULL, seq bigint NOT NULL);
        CREATE FUNCTION test_note_append() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO test_store_writes VALUES (current_setting('application_name'), NEW.map_id, 'append', NEW.seq);
          RETURN NEW;
        END $$;
        CREATE FUNCTION test_note_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO test_store_writes VALUES (current_setting('application_name'), NEW.id, 'snapshot', NEW.snapshot_seq);
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_note_append AFTER INSERT ON updates FOR EACH ROW EXECUTE FUNCTION test_note_append();
        CREATE TRIGGER test_note_snapshot AFTER UPDATE OF snapshot ON maps FOR EACH ROW EXECUTE FUNCTION test_note_snapshot();
      `),
    );

  interface StoreWrites {
    /** Updates each node appended to the map's log. */
    appends: Record<string, number>;
    /** Each snapshot written, in order: by which node, folding the log through which sequence number. */
    snapshots: { node: string; seq: number }[];
    /** The map's newest sequence number. */
    lastSeq: number;
  }

  const storeWrites = (databaseUrl: string, mapId: string): Promise<StoreWrites> =>
    withSql(databaseUrl, async (sql) => {
      const { rows } = await sql.query<{ node: string; kind: string; seq: string }>(
        'SELECT node, kind, seq FROM test_store_writes WHERE map_id = $1 ORDER BY ctid',
        [mapId],
      );
      const appends: Record<string, number> = {};
      for (const row of rows) if (row.kind === 'append') appends[row.node] = (appends[row.node] ?? 0) + 1;
      const snapshots = rows.filter((row) => row.kind === 'snapshot').map((row) => ({ node: row.node, seq: Number(row.seq) }));
      const head = await sql.query<{ last_seq: string }>('SELECT last_seq FROM maps WHERE id = $1', [mapId]);
      return { appends, snapshots, lastSeq: Number(head.rows[0]!.last_seq) };
    });

  /**
   * Two nodes that compact after every `COMPACT_AFTER` updates they commit, two clients on each
   * typing cards at once, until every client holds every card.
   */
  const COMPACT_AFTER = 20;
  async function typeWhileBothCompact(skip: (reason: string) => void, keystrokes: number) {
    const services = await sharedServices(skip);
    const compactOften = { COMPACT_AFTER_UPDATES: String(COMPACT_AFTER) };
    const a = await startNode(services, 'waymark-node-a', compactOften);
    await noteStoreWrites(services.databaseUrl);
    const b = await startNode(services, 'waymark-node-b', compactOften);
    const map = await createMap(a.url);
    const clients = [...(await joinAll(a, map, 2)), ...(await joinAll(b, map, 2))];
    const typed: string[] = [];
    for (let i = 0; i < keystrokes; i++) {
      clients.forEach((client, n) => {
        typeCard(client, `typist${n}-${i}`);
        typed.push(`typist${n}-${i}`);
      });
      await betweenKeystrokes();
    }
    await waitFor(() => clients.every((client) => holdsAll(client.doc, typed)), 'every card on every client', 30_000);
    return { services, nodes: [a, b], map, clients, typed, writes: () => storeWrites(services.databaseUrl, map.id) };
  }

  it('two nodes compacting one map at once lose nothing', async ({ skip }) => {
    const { services, nodes, map, clients, typed, writes } = await typeWhileBothCompact(skip, 60);
    for (const client of clients) expect(countsOf(client.doc, typed)).toEqual(once(typed));
    // Each node committed enough to compact several times over, and compactions were written meanwhile.
    const during = await writes();
    expect(during.appends['waymark-node-a'], JSON.stringify(during)).toBeGreaterThanOrEqual(2 * COMPACT_AFTER);
    expect(during.appends['waymark-node-b'], JSON.stringify(during)).toBeGreaterThanOrEqual(2 * COMPACT_AFTER);
    expect(during.snapshots.length, JSON.stringify(during)).toBeGreaterThanOrEqual(2);

    // Everything closed: the clients, then both nodes at once, each compacting on its way out.
    for (const client of clients) client.provider.destroy();
    for (const node of nodes) node.child.kill('SIGTERM');
    for (const node of nodes) expect((await node.exited).code).toBe(0);

    const stored = await storedDoc(services.databaseUrl, map.id);
    expect(countsOf(stored, typed)).toEqual(once(typed));
    const c = await startNode(services, 'waymark-node-c');
    const fresh = await bed.join(c.url, map.id, map.links.viewer);
    expect(countsOf(fresh.doc, typed)).toEqual(once(typed));
    expect(cardTexts(fresh.doc)).toEqual(cardTexts(stored));
  }, 90_000);

  it('two nodes editing one map at once keep folding its log into the snapshot', async ({ skip }) => {
    const { typed, writes } = await typeWhileBothCompact(skip, 60);
    const during = await writes();
    // Each node compacts after every 20 updates it commits: the newest snapshot stays near the end
    // of the log, rather than being written again and again where it first stopped.
    const newest = Math.max(1, ...during.snapshots.map((snapshot) => snapshot.seq));
    expect(
      during.lastSeq - newest,
      `updates left after the newest snapshot, of ${typed.length} typed: ${JSON.stringify(during)}`,
    ).toBeLessThan(typed.length / 2);
  }, 90_000);
});

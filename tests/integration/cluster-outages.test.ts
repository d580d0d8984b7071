import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, waitFor, type Client } from '../support/clients.js';
import { cardTexts, typeCards, useCluster } from '../support/cluster.js';

const holds = (client: Client, texts: readonly string[]) => texts.every((text) => cardTexts(client).includes(text));

interface Health {
  status: string;
  postgres?: string;
  redis?: string;
}
const health = async (url: string) => (await (await fetch(`${url}/healthz`)).json()) as Health;

describe('nodes while PostgreSQL is stopped and started again', () => {
  const cluster = useCluster();
  const { bed } = cluster;

  it('takes no edit it cannot store, says why, and saves what people typed meanwhile once PostgreSQL is back', async ({ skip }) => {
    const postgres = await cluster.postgres(skip);
    const [a, b] = await cluster.start(skip, 2, { STORAGE_RETRY_MS: '200' });
    const map = await createMap(a!.url);
    const writer = await bed.join(a!.url, map.id, map.links.editor);
    const watcher = await bed.join(b!.url, map.id, map.links.viewer);
    const before = typeCards(writer, 'before', 5);
    await waitFor(() => holds(watcher, before), 'the first cards on the other node');
    expect(await health(a!.url)).toMatchObject({ status: 'ok', postgres: 'up', redis: 'up' });

    let during: string[] = [];
    await postgres.halt();
    try {
      await waitFor(async () => (await health(a!.url)).postgres === 'down', '/healthz to say PostgreSQL is down');
      expect(await health(b!.url)).toMatchObject({ status: 'degraded', postgres: 'down', redis: 'up' });
      // The API says why, with a status a client retries on.
      const owner = { authorization: `Bearer ${tokenOf(map.links.owner)}` };
      const refused = await fetch(`${a!.url}/api/maps/${map.id}/links`, { headers: owner });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { error: string }).error).toBe('the server cannot reach its database right now; try again shortly');

      // Typed while nothing can be stored: not relayed (it was never stored), kept on the writer's device.
      during = typeCards(writer, 'during', 5);
      const failed = () => a!.logs.some((line) => line.msg === 'storage write failed; reopening the map read-only');
      await waitFor(failed, 'the node to fail the write', 15_000);
      expect(cardTexts(watcher).some((text) => text.startsWith('during'))).toBe(false);
      expect(holds(writer, during)).toBe(true);

      await postgres.startAgain();
      await waitFor(async () => (await health(a!.url)).status === 'ok', '/healthz to say all is well again', 20_000);
      // The writer's client reconnects by itself, and the map, writable again, asks it for what it lacks.
      await waitFor(() => holds(watcher, during), 'the cards typed meanwhile on the other node', 30_000);
    } finally {
      // Whatever happened, the next test finds PostgreSQL running.
      await postgres.startAgain().catch(() => {});
    }
    const after = typeCards(writer, 'after', 3);
    await waitFor(() => holds(watcher, after), 'the cards typed afterwards on the other node');

    // All of it is in the database: a node that opens the map afresh holds every card, once.
    const [c] = await cluster.addNodes(1);
    const fresh = await bed.join(c!.url, map.id, map.links.viewer);
    const typed = [...before, ...during, ...after].sort();
    expect(cardTexts(fresh).sort()).toEqual(typed);
  });
});

import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, waitFor } from '../support/clients.js';
import { cardTexts, typeCards, useCluster } from '../support/cluster.js';
import { openRaw } from '../support/raw-socket.js';
import type { ChildServer } from '../support/server.js';

describe('several nodes serving one map (REDIS_URL and DATABASE_URL)', () => {
  const cluster = useCluster();
  const { bed } = cluster;
  const startNodes = (skip: (reason: string) => void, count: number) => cluster.start(skip, count);

  it('relays edits made on either of two nodes to the clients of the other, concurrently', async ({ skip }) => {
    const [a, b] = await startNodes(skip, 2);
    const map = await createMap(a!.url);
    const onA = await bed.join(a!.url, map.id, map.links.editor);
    const onB = await bed.join(b!.url, map.id, map.links.editor);
    // Both type at once: neither waits for the other's cards before typing its own.
    const typed = [...typeCards(onA, 'typed-on-a', 25), ...typeCards(onB, 'typed-on-b', 25)].sort();
    const bothHaveAll = () => typed.every((text) => cardTexts(onA).includes(text) && cardTexts(onB).includes(text));
    await waitFor(bothHaveAll, 'both clients to hold every card', 20_000);
    expect(cardTexts(onA)).toEqual(cardTexts(onB));
  });

  it("shows a person's presence on one node to the clients of another, and their leaving", async ({ skip }) => {
    const [a, b] = await startNodes(skip, 2);
    const map = await createMap(a!.url);
    const ada = await bed.join(a!.url, map.id, map.links.editor);
    const bob = await bed.join(b!.url, map.id, map.links.viewer);
    ada.provider.awareness.setLocalStateField('user', { id: 'ada', name: 'Ada', colour: '#e11d48' });
    const adaId = ada.doc.clientID;
    const nameAtBob = () => (bob.provider.awareness.getStates().get(adaId) as { user?: { name?: string } } | undefined)?.user?.name;
    await waitFor(() => nameAtBob() === 'Ada', "Ada's presence on the other node");
    ada.provider.awareness.setLocalStateField('user', { id: 'ada', name: 'Ada L.', colour: '#e11d48' });
    await waitFor(() => nameAtBob() === 'Ada L.', "Ada's renamed presence on the other node");
    ada.provider.disconnect();
    await waitFor(() => !bob.provider.awareness.getStates().has(adaId), "Ada's leaving on the other node");
  });

  it("shows the people already on a map to a node that opens it, and takes a stopped node's people off at once", async ({ skip }) => {
    const [a, b] = await startNodes(skip, 2);
    const map = await createMap(a!.url);
    const ada = await bed.join(a!.url, map.id, map.links.editor);
    // Ada's page goes on, but her node stops: she is not reconnected to another one here.
    ada.provider.awareness.setLocalStateField('user', { id: 'ada', name: 'Ada', colour: '#e11d48' });
    const bob = await bed.join(b!.url, map.id, map.links.viewer);
    const adaAtBob = () => bob.provider.awareness.getStates().has(ada.doc.clientID);
    // Well within the 15 s after which her page would renew it by itself.
    await waitFor(adaAtBob, "Ada's presence on the node that opened the map after she came", 5_000);
    ada.provider.shouldConnect = false;
    a!.child.kill('SIGTERM');
    await a!.exited;
    // Well within the 30 s after which an entry nobody renews is dropped.
    await waitFor(() => !adaAtBob(), "Ada's leaving on the other node", 5_000);
  });

  it('gives a client of a node that opens the map late everything, and takes its edits to the others', async ({ skip }) => {
    const [a, b, c] = await startNodes(skip, 3);
    const map = await createMap(a!.url);
    const onA = await bed.join(a!.url, map.id, map.links.editor);
    const onB = await bed.join(b!.url, map.id, map.links.editor);
    const early = [...typeCards(onA, 'early-a', 15), ...typeCards(onB, 'early-b', 15)];
    await waitFor(
      () => early.every((text) => cardTexts(onA).includes(text) && cardTexts(onB).includes(text)),
      'the early cards on A and B',
    );
    const late = await bed.join(c!.url, map.id, map.links.editor);
    // What the third node's client holds the moment it has synced: the store's copy plus the stream.
    expect(cardTexts(late)).toEqual(cardTexts(onA));
    const fromLate = typeCards(late, 'late-c', 5);
    const everyone = [onA, onB, late];
    await waitFor(
      () => everyone.every((client) => fromLate.every((text) => cardTexts(client).includes(text))),
      "the late node's cards everywhere",
    );
    expect(cardTexts(onA)).toEqual(cardTexts(late));
    expect(cardTexts(onB)).toEqual(cardTexts(late));
  });

  it('loses no edit while Redis is down and restarts empty, and meanwhile refuses maps not yet open and says so on /healthz', async ({
    skip,
  }) => {
    const server = await cluster.redis(skip);
    const [a, b] = await startNodes(skip, 2);
    const map = await createMap(a!.url);
    const onA = await bed.join(a!.url, map.id, map.links.editor);
    const onB = await bed.join(b!.url, map.id, map.links.editor);
    const before = [...typeCards(onA, 'before-a', 5), ...typeCards(onB, 'before-b', 5)];
    await waitFor(() => before.every((text) => cardTexts(onA).includes(text) && cardTexts(onB).includes(text)), 'the first cards on both');
    const redisState = async (url: string) => ((await (await fetch(`${url}/healthz`)).json()) as { redis?: string }).redis;
    expect(await redisState(a!.url)).toBe('up');
    const notYetOpen = await createMap(a!.url);

    await server.crash();
    await waitFor(
      async () => (await redisState(a!.url)) === 'down' && (await redisState(b!.url)) === 'down',
      '/healthz to say Redis is down',
    );
    // Each node still takes and stores its own clients' edits while the other cannot hear of them.
    const during = [...typeCards(onA, 'during-a', 5), ...typeCards(onB, 'during-b', 5)];
    await waitFor(() => cardTexts(onA).includes('during-a-4') && cardTexts(onB).includes('during-b-4'), 'the edits made meanwhile');
    // Down long enough that the nodes gave up appending them (rather than holding them until Redis is back).
    const gaveUp = (node: ChildServer) => node.logs.some((line) => line.msg === 'an entry could not be appended to the room stream');
    await waitFor(() => gaveUp(a!) && gaveUp(b!), 'both nodes to give up appending to the stream', 20_000);
    // A map no node has open cannot be opened meanwhile: its stream's position cannot be taken.
    const refused = await openRaw(b!.url, notYetOpen.id, tokenOf(notYetOpen.links.viewer));
    expect((await refused.closed).reason).toMatch(/cannot reach its other nodes right now \(Redis\)/);
    await server.startAgain();
    await waitFor(
      async () => (await redisState(a!.url)) === 'up' && (await redisState(b!.url)) === 'up',
      '/healthz to say Redis is back',
      20_000,
    );
    // Nothing new is typed until then: what was typed meanwhile must come over by itself.
    const onBoth = (texts: string[]) => () => texts.every((text) => cardTexts(onA).includes(text) && cardTexts(onB).includes(text));
    await waitFor(onBoth([...before, ...during]), 'the cards typed meanwhile on both', 20_000);
    const after = [...typeCards(onA, 'after-a', 5), ...typeCards(onB, 'after-b', 5)];
    await waitFor(onBoth(after), 'the cards typed afterwards on both');
    expect(cardTexts(onA)).toEqual(cardTexts(onB));
  });
});

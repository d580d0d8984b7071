import { addCard, readMap, readRounds, readWorkshop } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, waitFor } from '../support/clients.js';
import { useCluster } from '../support/cluster.js';
import { openRaw } from '../support/raw-socket.js';
import { call, json, SEAT, workshopMap } from '../support/workshop-calls.js';

/**
 * What one node decides about a map's sessions reaches the sessions every other node holds:
 * revoked links, maps moved to the trash, a lifted workshop lock, a sealed round's reveal.
 */
describe('sessions held by several nodes', () => {
  const cluster = useCluster();
  const { bed } = cluster;

  /** A new editor link of the map, made by its owner on `url`. */
  async function newEditorLink(url: string, mapId: string, ownerToken: string): Promise<{ id: string; token: string }> {
    const response = await fetch(`${url}/api/maps/${mapId}/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` },
      body: JSON.stringify({ role: 'editor', label: 'Sam' }),
    });
    return json<{ id: string; token: string }>(response, 201);
  }

  const revoke = (url: string, mapId: string, linkId: string, ownerToken: string) =>
    fetch(`${url}/api/maps/${mapId}/links/${linkId}`, { method: 'DELETE', headers: { authorization: `Bearer ${ownerToken}` } });

  it("ends a revoked link's sessions on every node, not only on the one that revoked it", async ({ skip }) => {
    const [a, b, c] = await cluster.start(skip, 3);
    const map = await createMap(a!.url);
    const owner = tokenOf(map.links.owner);
    const link = await newEditorLink(a!.url, map.id, owner);
    const onB = await openRaw(b!.url, map.id, link.token);
    const onC = await openRaw(c!.url, map.id, link.token);
    // Another link's session on B goes on.
    const other = await openRaw(b!.url, map.id, tokenOf(map.links.editor));

    expect((await revoke(a!.url, map.id, link.id, owner)).status).toBe(204);
    for (const session of [onB, onC]) expect(await session.closed).toEqual({ code: 4403, reason: 'this link was revoked' });
    expect(other.ws.readyState).toBe(other.ws.OPEN);
    other.ws.close();
  });

  it("ends a link's sessions on a node that missed the word while Redis was down", async ({ skip }) => {
    const redis = await cluster.redis(skip);
    const [a, b] = await cluster.start(skip, 2);
    const map = await createMap(a!.url);
    const owner = tokenOf(map.links.owner);
    const link = await newEditorLink(a!.url, map.id, owner);
    const onB = await openRaw(b!.url, map.id, link.token);
    // The map is open on B (its room answered) before Redis goes.
    await waitFor(() => onB.received.length > 0, "B's room to answer");

    await redis.crash();
    const health = async (url: string) => ((await (await fetch(`${url}/healthz`)).json()) as { redis?: string }).redis;
    await waitFor(async () => (await health(b!.url)) === 'down', 'B to notice Redis is gone');
    try {
      // The revocation is stored while no node can hear of it; B's session stays open meanwhile.
      expect((await revoke(a!.url, map.id, link.id, owner)).status).toBe(204);
      // Down long enough that A gave up sending the word (rather than holding it until Redis is back).
      const gaveUp = () => a!.logs.some((line) => line.msg === 'an announcement to the other nodes waits until Redis answers');
      await waitFor(gaveUp, 'A to give up announcing the revocation', 20_000);
      expect(onB.ws.readyState).toBe(onB.ws.OPEN);
    } finally {
      // Whatever happened, the next test finds Redis running.
      await redis.startAgain();
    }
    expect(await onB.closed).toEqual({ code: 4403, reason: 'this link was revoked' });
  });

  it("closes a map's sessions on every node when it goes to the trash", async ({ skip }) => {
    const [a, b] = await cluster.start(skip, 2);
    const map = await createMap(a!.url);
    const onA = await openRaw(a!.url, map.id, tokenOf(map.links.viewer));
    const onB = await openRaw(b!.url, map.id, tokenOf(map.links.editor));
    const response = await fetch(`${a!.url}/api/maps/${map.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokenOf(map.links.owner)}` },
    });
    expect(response.status).toBe(204);
    for (const session of [onA, onB]) expect((await session.closed).code).toBe(4410);
  });

  it("takes in a participant's edits on another node once the facilitator lifts the lock", async ({ skip }) => {
    const [a, b] = await cluster.start(skip, 2);
    const map = await createMap(a!.url);
    const facilitator = { token: tokenOf(map.links.editor), seat: SEAT };
    await json(await call(a!.url, map, '/workshop/seat', facilitator, { body: { seat: SEAT, name: 'Fay' } }), 200);
    const viewer = await bed.join(a!.url, map.id, map.links.viewer);
    const participant = await bed.join(b!.url, map.id, map.links.participant);
    await json(await call(a!.url, map, '/workshop/lock', facilitator, { body: { locked: true } }), 200);
    await waitFor(() => readWorkshop(participant.doc).locked, 'the lock seen on the other node');

    const { stages, lanes } = readMap(participant.doc);
    const card = addCard(participant.doc, { stageId: stages[0]!.id, laneId: lanes[0]!.id, text: 'While locked' });
    await waitFor(() => participant.said.some((said) => said.kind === 'denied' && said.reason.includes('locked the map')), 'the refusal');
    expect(readMap(viewer.doc).cards.some((c) => c.id === card)).toBe(false);

    // Unlocked on A: B's room asks its clients for what it refused, and A's viewer gets the card.
    await json(await call(a!.url, map, '/workshop/lock', facilitator, { body: { locked: false } }), 200);
    await waitFor(() => readMap(viewer.doc).cards.some((c) => c.id === card), 'the edit taken in once unlocked');
  });

  it('keeps a vote sealed on every node until the reveal on one of them, then shows the results on all', async ({ skip }) => {
    const [a, b] = await cluster.start(skip, 2);
    const map = await createMap(a!.url);
    const owner = await bed.join(a!.url, map.id, map.links.owner);
    const { painIds, facilitator } = await workshopMap(a!.url, owner, map);
    const onB = await bed.join(b!.url, map.id, map.links.participant);
    const participant = tokenOf(map.links.participant);

    const opened = await json<{ id: string }>(
      await call(a!.url, map, '/rounds', facilitator, {
        body: { kind: 'vote', scope: { kind: 'laneKind', laneKind: 'painPoints' }, votesPerPerson: 2 },
      }),
      201,
    );
    await waitFor(() => readRounds(onB.doc).open?.id === opened.id, 'the round seen open on the other node');
    // Ballots cast through either node count in one round; neither node's clients see them.
    const ballot = (url: string, voter: string, person: string, cardIds: string[]) =>
      call(url, map, `/rounds/${opened.id}/ballot`, { token: participant, voter, person }, { method: 'PUT', body: { cardIds } });
    await json(await ballot(a!.url, 'voter-ana-0001', 'Ana Sealedname', [painIds[1]!, painIds[1]!]), 200);
    await json(await ballot(b!.url, 'voter-bo-00002', 'Bo', [painIds[2]!]), 200);
    await waitFor(() => readRounds(onB.doc).open?.people === 2, 'both voters counted on the other node');
    const workshop = JSON.stringify(onB.doc.getMap('workshop').toJSON());
    expect(workshop).not.toContain('Sealedname');
    for (const cardId of painIds) expect(workshop).not.toContain(cardId);

    await json(await call(b!.url, map, `/rounds/${opened.id}/reveal`, facilitator, { body: {} }), 200);
    for (const client of [owner, onB]) {
      await waitFor(() => readRounds(client.doc).results.length === 1, 'the results on both nodes');
      expect(readRounds(client.doc).results[0]!.totals).toEqual({ [painIds[1]!]: 2, [painIds[2]!]: 1 });
    }
  });
});

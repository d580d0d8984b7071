import { readMap, readRounds, voteTotals } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import { call, json, SEAT, workshopMap, type Caller } from '../support/workshop-calls.js';
import { openRaw } from '../support/raw-socket.js';
import type { ChildServer, RunningServer } from '../support/server.js';
import { useProcessTestBed, useServerTestBed } from '../support/test-bed.js';

describe('sealed rounds', () => {
  const bed = useServerTestBed();

  const join = (running: RunningServer, map: CreatedMap, role: keyof CreatedMap['links']): Promise<Client> =>
    bed.join(running.url, map.id, map.links[role]);

  it('keeps a dot vote sealed until the reveal: another participant holds no trace of a ballot, in its document or on the wire', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Vote' });
    const owner = await join(running, map, 'owner');
    const { painIds, chanceId, facilitator } = await workshopMap(running.url, owner, map);
    const participant = tokenOf(map.links.participant);
    const ana: Caller = { token: participant, voter: 'voter-ana-0001', person: 'Ana Sealedname' };
    const bo: Caller = { token: participant, voter: 'voter-bo-00002', person: 'Bo' };

    // Bo's client: a document, and a bare socket recording every message the server sends it.
    const boClient = await join(running, map, 'participant');
    const wire = await openRaw(running.url, map.id, participant);

    const opened = await json<{ id: string }>(
      await call(running.url, map, '/rounds', facilitator, {
        body: { kind: 'vote', scope: { kind: 'laneKind', laneKind: 'painPoints' }, votesPerPerson: 2 },
      }),
      201,
    );
    await waitFor(() => readRounds(boClient.doc).open?.id === opened.id, 'everyone sees the round open');
    expect(readRounds(boClient.doc).open).toMatchObject({ kind: 'vote', votesPerPerson: 2, people: 0 });

    // Ana votes twice for the second pain point: two dots on one card.
    await json(
      await call(running.url, map, `/rounds/${opened.id}/ballot`, ana, { method: 'PUT', body: { cardIds: [painIds[1], painIds[1]] } }),
      200,
    );
    await waitFor(() => readRounds(boClient.doc).open?.people === 1, 'the count of voters seen');

    // Over the allowance, outside the scope, unknown cards, no voter id: refused, nothing stored.
    const refused = [
      await call(running.url, map, `/rounds/${opened.id}/ballot`, ana, {
        method: 'PUT',
        body: { cardIds: [painIds[0], painIds[1], painIds[2]] },
      }),
      await call(running.url, map, `/rounds/${opened.id}/ballot`, ana, { method: 'PUT', body: { cardIds: [chanceId] } }),
      await call(running.url, map, `/rounds/${opened.id}/ballot`, ana, { method: 'PUT', body: { cardIds: ['nope'] } }),
      await call(
        running.url,
        map,
        `/rounds/${opened.id}/ballot`,
        { token: participant },
        { method: 'PUT', body: { cardIds: [painIds[0]] } },
      ),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(((await refused[0]!.json()) as { error: string }).error).toMatch(/2 votes/);
    // Viewers and commenters take no part; a participant cannot reveal.
    expect(
      (
        await call(
          running.url,
          map,
          `/rounds/${opened.id}/ballot`,
          { token: tokenOf(map.links.viewer), voter: 'voter-vi-00003' },
          { method: 'PUT', body: { cardIds: [] } },
        )
      ).status,
    ).toBe(403);
    expect((await call(running.url, map, `/rounds/${opened.id}/reveal`, { token: participant, seat: SEAT }, { body: {} })).status).toBe(
      403,
    );

    // Each sees only their own ballot.
    expect((await json<{ ballot: string[] }>(await call(running.url, map, `/rounds/${opened.id}`, ana), 200)).ballot).toEqual([
      painIds[1],
      painIds[1],
    ]);
    const boView = await json<{ ballot: string[]; results?: unknown; people: number }>(
      await call(running.url, map, `/rounds/${opened.id}`, bo),
      200,
    );
    expect(boView).toMatchObject({ ballot: [], people: 1 });
    expect(boView.results).toBeUndefined();

    // Bo's side holds nothing of Ana's ballot: not her name, not a card id beside the round's.
    const rounds = JSON.stringify(boClient.doc.getMap('workshop').toJSON());
    expect(rounds).not.toContain('Sealedname');
    for (const cardId of painIds) expect(rounds).not.toContain(cardId);
    const bytes = Buffer.concat(wire.received.map((frame) => Buffer.from(frame)));
    expect(bytes.includes(Buffer.from('Sealedname'))).toBe(false);
    expect(bytes.includes(Buffer.from('voter-ana'))).toBe(false);

    await json(
      await call(running.url, map, `/rounds/${opened.id}/ballot`, bo, { method: 'PUT', body: { cardIds: [painIds[1], painIds[2]] } }),
      200,
    );
    const revealed = await json<{ results: { totals: Record<string, number>; voters: Record<string, string[]> } }>(
      await call(running.url, map, `/rounds/${opened.id}/reveal`, facilitator, { body: {} }),
      200,
    );
    expect(revealed.results.totals).toEqual({ [painIds[1]!]: 3, [painIds[2]!]: 1 });
    expect(revealed.results.voters[painIds[1]!]!.sort()).toEqual(['Ana Sealedname', 'Ana Sealedname', 'Bo']);

    // After the reveal everyone has the totals, and who voted, from the document; scoring reads them per card.
    await waitFor(() => readRounds(boClient.doc).results.length === 1, 'the results seen');
    const { open, results } = readRounds(boClient.doc);
    expect(open).toBeNull();
    expect(results[0]!.totals).toEqual(revealed.results.totals);
    expect(results[0]!.voters?.[painIds[2]!]).toEqual(['Bo']);
    const totals = voteTotals(results);
    expect(painIds.map((id) => totals.get(id!)?.votes)).toEqual([0, 3, 1]);
    expect(totals.has(chanceId)).toBe(false);
    // A closed round takes no more ballots.
    expect(
      (await call(running.url, map, `/rounds/${opened.id}/ballot`, bo, { method: 'PUT', body: { cardIds: [painIds[0]] } })).status,
    ).toBe(409);
    wire.ws.close();
  });

  it('keeps an anonymous vote anonymous after the reveal, and counts a personal link as its person whatever the browser', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Anonymous' });
    const owner = await join(running, map, 'owner');
    const { painIds, facilitator } = await workshopMap(running.url, owner, map);
    const personal = await json<{ token: string }>(
      await call(
        running.url,
        map,
        '/links',
        { token: tokenOf(map.links.owner) },
        { body: { role: 'participant', label: 'Cy Personal', personal: true } },
      ),
      201,
    );
    expect(
      (await call(running.url, map, '/links', { token: tokenOf(map.links.owner) }, { body: { role: 'participant', personal: true } }))
        .status,
    ).toBe(400);

    const opened = await json<{ id: string }>(
      await call(running.url, map, '/rounds', facilitator, {
        body: { kind: 'vote', scope: { kind: 'map' }, votesPerPerson: 1, anonymous: true },
      }),
      201,
    );
    // Two browsers on one personal link are one voter: the second ballot replaces the first.
    await json(
      await call(
        running.url,
        map,
        `/rounds/${opened.id}/ballot`,
        { token: personal.token, voter: 'browser-one-01' },
        { method: 'PUT', body: { cardIds: [painIds[0]] } },
      ),
      200,
    );
    await json(
      await call(
        running.url,
        map,
        `/rounds/${opened.id}/ballot`,
        { token: personal.token },
        { method: 'PUT', body: { cardIds: [painIds[2]] } },
      ),
      200,
    );
    // A second round cannot open while this one is.
    expect((await call(running.url, map, '/rounds', facilitator, { body: { kind: 'brainstorm', scope: { kind: 'map' } } })).status).toBe(
      409,
    );
    const revealed = await json<{ results: { totals: Record<string, number>; voters: unknown; people: number } }>(
      await call(running.url, map, `/rounds/${opened.id}/reveal`, facilitator, { body: {} }),
      200,
    );
    expect(revealed.results).toMatchObject({ totals: { [painIds[2]!]: 1 }, voters: null, people: 1 });
    await waitFor(() => readRounds(owner.doc).results.length === 1, 'the results seen');
    expect(readRounds(owner.doc).results[0]!.voters).toBeNull();
    expect(JSON.stringify(owner.doc.getMap('workshop').toJSON())).not.toContain('Cy Personal');
  });

  it('reveals a silent brainstorm as normal cards, all at once, and deletes what a cancelled round held', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Brainstorm' });
    const owner = await join(running, map, 'owner');
    const { stages, pains, facilitator } = await workshopMap(running.url, owner, map);
    const participant = tokenOf(map.links.participant);
    const ana: Caller = { token: participant, voter: 'voter-ana-0001', person: 'Ana' };
    const bo: Caller = { token: participant, voter: 'voter-bo-00002', person: 'Bo' };
    const watcher = await join(running, map, 'viewer');

    const opened = await json<{ id: string }>(
      await call(running.url, map, '/rounds', facilitator, {
        body: { kind: 'brainstorm', scope: { kind: 'lane', id: pains.id }, endsAt: Date.now() + 60_000 },
      }),
      201,
    );
    const cell = { stageId: stages[1]!.id, laneId: pains.id };
    const anaCard = await json<{ id: string }>(
      await call(running.url, map, `/rounds/${opened.id}/cards`, ana, { body: { ...cell, text: 'Hidden idea from Ana' } }),
      201,
    );
    await json(await call(running.url, map, `/rounds/${opened.id}/cards`, bo, { body: { ...cell, text: 'Hidden idea from Bo' } }), 201);
    const dropped = await json<{ id: string }>(
      await call(running.url, map, `/rounds/${opened.id}/cards`, bo, { body: { ...cell, text: 'Second thoughts' } }),
      201,
    );
    await json(await call(running.url, map, `/rounds/${opened.id}/cards/${dropped.id}`, bo, { method: 'DELETE' }), 204);
    // Outside the round's lane, or Bo deleting Ana's card: refused.
    const otherLane = readMap(owner.doc).lanes.find((lane) => lane.kind === 'actions')!;
    expect(
      (
        await call(running.url, map, `/rounds/${opened.id}/cards`, ana, {
          body: { stageId: stages[1]!.id, laneId: otherLane.id, text: 'x' },
        })
      ).status,
    ).toBe(400);
    expect((await call(running.url, map, `/rounds/${opened.id}/cards/${anaCard.id}`, bo, { method: 'DELETE' })).status).toBe(404);
    expect(
      (await json<{ cards: { text: string }[] }>(await call(running.url, map, `/rounds/${opened.id}`, ana), 200)).cards.map((c) => c.text),
    ).toEqual(['Hidden idea from Ana']);

    await waitFor(() => readRounds(watcher.doc).open?.people === 2, 'two people seen taking part');
    expect(JSON.stringify(watcher.doc.toJSON())).not.toContain('Hidden idea');

    // Everyone's hidden cards land in one change.
    const landed: number[] = [];
    watcher.doc.on('afterTransaction', () =>
      landed.push(readMap(watcher.doc).cards.filter((card) => card.text.startsWith('Hidden idea')).length),
    );
    const revealed = await json<{ placed: number; unplaced: number }>(
      await call(running.url, map, `/rounds/${opened.id}/reveal`, facilitator, { body: {} }),
      200,
    );
    expect(revealed).toMatchObject({ placed: 2, unplaced: 0 });
    await waitFor(
      () => readMap(watcher.doc).cards.filter((card) => card.text.startsWith('Hidden idea')).length === 2,
      'the cards revealed',
    );
    expect(landed.filter((count) => count > 0)[0]).toBe(2);
    const anas = readMap(watcher.doc).cards.find((card) => card.text === 'Hidden idea from Ana')!;
    expect(anas).toMatchObject({ ...cell, author: 'Ana', id: anaCard.id });
    // Revealing again finishes a reveal, without doubling its cards.
    await json(await call(running.url, map, `/rounds/${opened.id}/reveal`, facilitator, { body: {} }), 200);
    expect(readMap(owner.doc).cards.filter((card) => card.text.startsWith('Hidden idea'))).toHaveLength(2);

    // A cancelled round's cards are gone for good.
    const second = await json<{ id: string }>(
      await call(running.url, map, '/rounds', facilitator, { body: { kind: 'brainstorm', scope: { kind: 'map' } } }),
      201,
    );
    await json(await call(running.url, map, `/rounds/${second.id}/cards`, ana, { body: { ...cell, text: 'Never shown' } }), 201);
    await json(await call(running.url, map, `/rounds/${second.id}`, facilitator, { method: 'DELETE' }), 204);
    expect(await json<{ state: string; cards: unknown[] }>(await call(running.url, map, `/rounds/${second.id}`, ana), 200)).toMatchObject({
      state: 'cancelled',
      cards: [],
    });
    expect((await call(running.url, map, `/rounds/${second.id}/reveal`, facilitator, { body: {} })).status).toBe(409);
    await waitFor(() => readRounds(watcher.doc).open === null, 'the cancel seen');
    expect(JSON.stringify(watcher.doc.toJSON())).not.toContain('Never shown');
  });

  it('refuses rounds that cannot run, and clients that write a round themselves', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Refusals' });
    const owner = await join(running, map, 'owner');
    const { facilitator } = await workshopMap(running.url, owner, map);
    const open = (body: unknown, caller: Caller = facilitator) => call(running.url, map, '/rounds', caller, { body });
    const statuses = [
      await open({ kind: 'vote', scope: { kind: 'stage', id: 'nope' } }),
      await open({ kind: 'vote', scope: { kind: 'tag', tag: 'no-card-has-this' } }),
      await open({ kind: 'brainstorm', scope: { kind: 'tag', tag: 'x' } }),
      await open({ kind: 'poll', scope: { kind: 'map' } }),
      await open({ kind: 'vote', scope: { kind: 'map' }, votesPerPerson: 0 }),
      await open({ kind: 'vote', scope: { kind: 'map' }, endsAt: Date.now() - 1 }),
      await open({ kind: 'vote', scope: 'map' }),
      await open({ kind: 'vote', scope: { kind: 'map' } }, { token: tokenOf(map.links.editor) }),
    ].map((response) => response.status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 403]);
    const round = await json<{ id: string }>(await open({ kind: 'vote', scope: { kind: 'map' } }), 201);
    await waitFor(() => readRounds(owner.doc).open?.id === round.id, 'the round seen');
    // A client forging a count, or a result, is refused: the server alone writes the workshop.
    owner.doc.getMap('workshop').set('round', { ...readRounds(owner.doc).open, people: 99 });
    await waitFor(() => owner.said.some((said) => said.kind === 'denied'), 'the forged round refused');
    const fresh = await join(running, map, 'viewer');
    expect(readRounds(fresh.doc).open?.people).toBe(0);
  });
});

describe('sealed rounds across a crash', () => {
  const bed = useProcessTestBed();

  it('loses no ballot and no hidden card when the server is killed mid-round', async () => {
    const first: ChildServer = await bed.spawn();
    const map = await createMap(first.url, { title: 'Crash' });
    const owner = connect(first.url, map.id, tokenOf(map.links.owner));
    bed.clients.push(owner);
    await synced(owner);
    const { painIds, stages, pains, facilitator } = await workshopMap(first.url, owner, map);
    const vote = await json<{ id: string }>(
      await call(first.url, map, '/rounds', facilitator, {
        body: { kind: 'vote', scope: { kind: 'laneKind', laneKind: 'painPoints' }, votesPerPerson: 2 },
      }),
      201,
    );
    const voters = ['voter-a-000001', 'voter-b-000002', 'voter-c-000003'].map((voter, i) => ({
      token: tokenOf(map.links.participant),
      voter,
      person: `P${i}`,
    }));
    for (const [i, voter] of voters.entries()) {
      await json(
        await call(first.url, map, `/rounds/${vote.id}/ballot`, voter, { method: 'PUT', body: { cardIds: [painIds[i % 2], painIds[2]] } }),
        200,
      );
    }
    owner.provider.disconnect();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await bed.spawn();
    expect((await json<{ ballot: string[] }>(await call(second.url, map, `/rounds/${vote.id}`, voters[1]!), 200)).ballot).toEqual([
      painIds[1],
      painIds[2],
    ]);
    const revealed = await json<{ results: { totals: Record<string, number>; people: number } }>(
      await call(second.url, map, `/rounds/${vote.id}/reveal`, facilitator, { body: {} }),
      200,
    );
    expect(revealed.results).toMatchObject({ people: 3, totals: { [painIds[0]!]: 2, [painIds[1]!]: 1, [painIds[2]!]: 3 } });

    // A brainstorm's hidden cards, killed before the reveal, come out after it.
    const storm = await json<{ id: string }>(
      await call(second.url, map, '/rounds', facilitator, { body: { kind: 'brainstorm', scope: { kind: 'map' } } }),
      201,
    );
    await json(
      await call(second.url, map, `/rounds/${storm.id}/cards`, voters[0]!, {
        body: { stageId: stages[0]!.id, laneId: pains.id, text: 'Survives the kill' },
      }),
      201,
    );
    second.child.kill('SIGKILL');
    await second.exited;
    const third = await bed.spawn();
    await json(await call(third.url, map, `/rounds/${storm.id}/reveal`, facilitator, { body: {} }), 200);
    const reader = connect(third.url, map.id, tokenOf(map.links.viewer), new Y.Doc());
    bed.clients.push(reader);
    await synced(reader);
    await waitFor(
      () => readMap(reader.doc).cards.some((card) => card.text === 'Survives the kill'),
      'the hidden card revealed after the restart',
    );
  });
});

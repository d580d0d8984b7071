import { addCard, readMap, readWorkshop } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { createMap, tokenOf, waitFor, type Client, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const SEAT = 'facilitator-seat-1';

/**
 * The workshop through the server: the facilitator seat, the agenda with its timer, and the lock.
 * Everyone reads one state from the map; only the facilitator changes it, and clients cannot
 * write it at all.
 */
describe('workshop', () => {
  const bed = useServerTestBed();

  const call = (
    running: RunningServer,
    map: CreatedMap,
    path: string,
    token: string,
    init: { method?: string; body?: unknown; seat?: string } = {},
  ) =>
    fetch(`${running.url}/api/maps/${map.id}/workshop${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(init.seat ? { 'x-waymark-seat': init.seat } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const join = (running: RunningServer, map: CreatedMap, role: keyof CreatedMap['links']): Promise<Client> =>
    bed.join(running.url, map.id, map.links[role]);

  it('runs an agenda with a timer everyone sees, from the facilitator seat only', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Workshop' });
    const editor = tokenOf(map.links.editor!);
    const participant = await join(running, map, 'participant');
    const { stages } = readMap(participant.doc);

    // Before anyone takes the seat, nobody runs the agenda; a participant cannot take it.
    expect((await call(running, map, '/agenda/start', editor, { body: {}, seat: SEAT })).status).toBe(403);
    expect((await call(running, map, '/seat', tokenOf(map.links.participant!), { body: { seat: SEAT, name: 'Pat' } })).status).toBe(403);
    const taken = await call(running, map, '/seat', editor, { body: { seat: SEAT, name: 'Ana' } });
    expect(taken.status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).facilitator?.name === 'Ana', 'everyone sees who facilitates');

    const agenda = await call(running, map, '/agenda', editor, {
      method: 'PUT',
      seat: SEAT,
      body: {
        items: [
          { title: 'Goals', minutes: 5 },
          { title: 'Awareness', minutes: 10, focus: { kind: 'stage', id: stages[0]!.id } },
        ],
      },
    });
    expect(agenda.status).toBe(200);
    // Without the seat's id, even the same editor link is refused.
    expect((await call(running, map, '/agenda/start', editor, { body: {} })).status).toBe(403);
    const { now } = (await (await fetch(`${running.url}/api/time`)).json()) as { now: number };
    expect((await call(running, map, '/agenda/start', editor, { body: {}, seat: SEAT })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).timer.state === 'running', 'the timer seen running');
    const running1 = readWorkshop(participant.doc);
    expect(running1.currentItemId).toBe(running1.agenda[0]!.id);
    expect(running1.timer.state === 'running' && running1.timer.endsAt - now).toBeGreaterThanOrEqual(5 * 60_000 - 1_000);

    expect((await call(running, map, '/agenda/pause', editor, { body: {}, seat: SEAT })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).timer.state === 'paused', 'the pause seen');
    expect((await call(running, map, '/agenda/pause', editor, { body: {}, seat: SEAT })).status).toBe(409);
    expect((await call(running, map, '/agenda/resume', editor, { body: {}, seat: SEAT })).status).toBe(200);
    expect((await call(running, map, '/agenda/next', editor, { body: {}, seat: SEAT })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).currentItemId === readWorkshop(participant.doc).agenda[1]!.id, 'the advance seen');
    // A late joiner reads the same state from the map.
    const late = await join(running, map, 'viewer');
    expect(readWorkshop(late.doc).timer).toEqual(readWorkshop(participant.doc).timer);
    expect((await call(running, map, '/agenda/next', editor, { body: {}, seat: SEAT })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).currentItemId === null, 'the end seen');
    const runs = readWorkshop(participant.doc).runs;
    expect(runs).toHaveLength(2);
    expect(runs.every((run) => run.endedAt !== null && run.endedAt >= run.startedAt)).toBe(true);

    // A focus on a stage the map does not have is refused; clients cannot write the workshop themselves.
    const bad = await call(running, map, '/agenda', editor, {
      method: 'PUT',
      seat: SEAT,
      body: { items: [{ title: 'X', minutes: 5, focus: { kind: 'lane', id: 'nope' } }] },
    });
    expect(bad.status).toBe(400);
    const owner = await join(running, map, 'owner');
    owner.doc.getMap('workshop').set('locked', true);
    await waitFor(() => owner.said.some((said) => said.kind === 'denied'), 'the client write refused');
    expect(readWorkshop(participant.doc).locked).toBe(false);

    // Handing over: another editor takes the seat; the old seat id no longer works.
    expect((await call(running, map, '/seat', tokenOf(map.links.owner!), { body: { seat: 'second-seat-22', name: 'Bo' } })).status).toBe(
      200,
    );
    expect((await call(running, map, '/agenda/start', editor, { body: {}, seat: SEAT })).status).toBe(403);
  });

  it('locks the map for participants while presenting, and takes their edits in once unlocked', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Locked' });
    const editor = tokenOf(map.links.editor!);
    expect((await call(running, map, '/seat', editor, { body: { seat: SEAT, name: 'Ana' } })).status).toBe(200);
    const participant = await join(running, map, 'participant');
    const viewer = await join(running, map, 'viewer');
    expect((await call(running, map, '/lock', editor, { body: { locked: true }, seat: SEAT })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).locked, 'the lock seen');

    const { stages, lanes } = readMap(participant.doc);
    const card = addCard(participant.doc, { stageId: stages[0]!.id, laneId: lanes[0]!.id, text: 'While locked' });
    await waitFor(
      () => participant.said.some((said) => said.kind === 'denied' && said.reason.includes('locked the map')),
      'the participant told',
    );
    expect(readMap(viewer.doc).cards.some((c) => c.id === card)).toBe(false);

    expect((await call(running, map, '/lock', editor, { body: { locked: false }, seat: SEAT })).status).toBe(200);
    await waitFor(() => readMap(viewer.doc).cards.some((c) => c.id === card), 'the edit taken in once unlocked');
  });

  it('keeps a parking lot anyone on the map adds to, which the facilitator turns into cards or clears', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Parking' });
    const editor = tokenOf(map.links.editor!);
    const viewer = await join(running, map, 'viewer');
    const park = (token: string, text: string, person?: string) =>
      fetch(`${running.url}/api/maps/${map.id}/workshop/parking`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          ...(person ? { 'x-waymark-person': encodeURIComponent(person) } : {}),
        },
        body: JSON.stringify({ text }),
      });
    expect((await park(tokenOf(map.links.participant!), 'Pricing page is confusing', 'Sam')).status).toBe(201);
    expect((await park(tokenOf(map.links.commenter!), 'Ask legal about consent')).status).toBe(201);
    expect((await park(tokenOf(map.links.viewer!), 'Not allowed')).status).toBe(403);
    expect((await park(editor, '   ')).status).toBe(400);
    await waitFor(() => readWorkshop(viewer.doc).parkingLot.length === 2, 'everyone sees the parking lot');
    const [pricing, legal] = readWorkshop(viewer.doc).parkingLot;
    expect(pricing).toMatchObject({ text: 'Pricing page is confusing', by: 'Sam' });

    // Only the facilitator clears it.
    const { stages, lanes } = readMap(viewer.doc);
    const toCard = (seat?: string) =>
      call(running, map, `/parking/${pricing!.id}/card`, editor, {
        body: { stageId: stages[1]!.id, laneId: lanes[0]!.id },
        ...(seat ? { seat } : {}),
      });
    expect((await toCard()).status).toBe(403);
    expect((await call(running, map, '/seat', editor, { body: { seat: SEAT, name: 'Ana' } })).status).toBe(200);
    expect((await toCard(SEAT)).status).toBe(200);
    await waitFor(
      () => readMap(viewer.doc).cards.some((card) => card.text === 'Pricing page is confusing' && card.stageId === stages[1]!.id),
      'the topic became a card',
    );
    expect((await call(running, map, `/parking/${legal!.id}`, editor, { method: 'DELETE', seat: SEAT })).status).toBe(200);
    await waitFor(() => readWorkshop(viewer.doc).parkingLot.length === 0, 'the parking lot cleared');
    expect((await call(running, map, `/parking/${legal!.id}`, editor, { method: 'DELETE', seat: SEAT })).status).toBe(404);
  });

  it('records which page participants follow, and lets only the facilitator bring everyone to it', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Follow' });
    const editor = tokenOf(map.links.editor!);
    const participant = await join(running, map, 'participant');
    const refused = async (response: Response, status: number) => {
      expect(response.status).toBe(status);
      return ((await response.json()) as { error: string }).error;
    };

    // A client id is an awareness client id: a whole number from 0 below 2^32.
    for (const clientId of [-1, 1.5, 2 ** 32, '12', null]) {
      expect(await refused(await call(running, map, '/seat', editor, { body: { seat: SEAT, name: 'Ana', clientId } }), 400)).toBe(
        'clientId must be a whole number from 0 to 4294967295 (the page’s awareness client id)',
      );
    }
    expect(readWorkshop(participant.doc).facilitator).toBeNull();
    expect((await call(running, map, '/seat', editor, { body: { seat: SEAT, name: 'Ana', clientId: 4_000_000_000 } })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).facilitator?.clientId === 4_000_000_000, 'everyone sees which page facilitates');
    const since = readWorkshop(participant.doc).facilitator!.since;

    // The facilitator's page reloaded: the seat stays, and the new page is the one followed.
    expect((await call(running, map, '/seat/client', editor, { method: 'PUT', body: { clientId: 17 } })).status).toBe(403);
    expect(
      await refused(await call(running, map, '/seat/client', editor, { method: 'PUT', seat: SEAT, body: { clientId: 'me' } }), 400),
    ).toMatch(/^clientId must be/);
    expect((await call(running, map, '/seat/client', editor, { method: 'PUT', seat: SEAT, body: { clientId: 17 } })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).facilitator?.clientId === 17, 'the new page seen');
    expect(readWorkshop(participant.doc).facilitator).toMatchObject({ seat: SEAT, name: 'Ana', since });

    // Only the facilitator brings everyone; a script may take the seat without naming a page.
    expect(readWorkshop(participant.doc).gatheredAt).toBeNull();
    expect(await refused(await call(running, map, '/gather', tokenOf(map.links.participant!), { body: {}, seat: SEAT }), 403)).toBe(
      'only the facilitator (Ana) may do this',
    );
    expect((await call(running, map, '/gather', editor, { body: {} })).status).toBe(403);
    const before = Date.now();
    expect((await call(running, map, '/gather', editor, { body: {}, seat: SEAT })).status).toBe(200);
    await waitFor(() => (readWorkshop(participant.doc).gatheredAt ?? 0) >= before, 'everyone sees the gathering');
    expect((await call(running, map, '/seat', editor, { body: { seat: 'facilitator-seat-2', name: 'Bo' } })).status).toBe(200);
    await waitFor(() => readWorkshop(participant.doc).facilitator?.name === 'Bo', 'the handover seen');
    expect(readWorkshop(participant.doc).facilitator?.clientId).toBeNull();
  });
});

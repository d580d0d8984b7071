import { addCard, readMap, readRounds, readWorkshop } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { pdfText } from '../support/pdf-text.js';
import { call, json, workshopMap, type Caller } from '../support/workshop-calls.js';
import { useServerTestBed } from '../support/test-bed.js';

interface Summary {
  facilitator: string | null;
  from: number | null;
  agenda: { title: string; plannedMinutes: number; actualMinutes: number | null; running: boolean }[];
  rounds: { kind: string; scope: string; people: number; cards: { text: string; votes: number | null; voters: string[] | null }[] }[];
  parkingLot: { text: string; by: string }[];
  changes: { people: { name: string; created: number }[]; cardsAdded: { text: string; by: string | null }[] };
}

/** The workshop summary: the agenda as run, round results, the parking lot and the session's changes, as JSON, Markdown and PDF. */
describe('workshop summary', () => {
  const bed = useServerTestBed();

  it('tells what the session did, in the app and as Markdown and PDF', async () => {
    const running = await bed.start();
    const map = await createMap(running.url, { title: 'Onboarding' });
    const owner = connect(running.url, map.id, tokenOf(map.links.owner));
    bed.clients.push(owner);
    await synced(owner);
    const { painIds, facilitator, stages, pains } = await workshopMap(running.url, owner, map);
    const viewer: Caller = { token: tokenOf(map.links.viewer) };

    const before = await json<Summary>(await call(running.url, map, '/workshop/summary', viewer), 200);
    expect(before).toMatchObject({ facilitator: 'Fay', from: null, rounds: [], changes: { people: [] } });

    await json(
      await call(running.url, map, '/workshop/agenda', facilitator, {
        method: 'PUT',
        body: {
          items: [
            { title: 'Pain points', minutes: 10 },
            { title: 'Wrap up', minutes: 5 },
            { title: 'Retro', minutes: 15 },
          ],
        },
      }),
      200,
    );
    await json(await call(running.url, map, '/workshop/agenda/start', facilitator, { body: {} }), 200);

    // During the session: a participant adds a card, a topic is parked, a vote is revealed.
    const participant = connect(running.url, map.id, tokenOf(map.links.participant));
    bed.clients.push(participant);
    await synced(participant);
    participant.provider.awareness.setLocalStateField('user', { name: 'Pat', colour: '#2563eb' });
    addCard(participant.doc, { stageId: stages[2]!.id, laneId: pains.id, text: 'Added in the workshop' });
    await waitFor(() => readMap(owner.doc).cards.some((card) => card.text === 'Added in the workshop'), 'the card to arrive');
    await json(
      await call(
        running.url,
        map,
        '/workshop/parking',
        { token: tokenOf(map.links.participant), person: 'Pat' },
        { body: { text: 'Pricing page copy' } },
      ),
      201,
    );
    const vote = await json<{ id: string }>(
      await call(running.url, map, '/rounds', facilitator, {
        body: { kind: 'vote', scope: { kind: 'laneKind', laneKind: 'painPoints' }, votesPerPerson: 2 },
      }),
      201,
    );
    await json(
      await call(
        running.url,
        map,
        `/rounds/${vote.id}/ballot`,
        { token: tokenOf(map.links.participant), voter: 'voter-pat-0001', person: 'Pat' },
        { method: 'PUT', body: { cardIds: [painIds[1], painIds[1]] } },
      ),
      200,
    );
    await json(await call(running.url, map, `/rounds/${vote.id}/reveal`, facilitator, { body: {} }), 200);
    await json(await call(running.url, map, '/workshop/agenda/next', facilitator, { body: {} }), 200);
    await waitFor(() => readRounds(owner.doc).results.length === 1 && readWorkshop(owner.doc).runs.length === 2, 'the session state');

    // Activity is stored once people pause; the summary also reads what is still gathering.
    await waitFor(async () => {
      const summary = await json<Summary>(await call(running.url, map, '/workshop/summary', viewer), 200);
      return summary.changes.cardsAdded.some((card) => card.text === 'Added in the workshop');
    }, 'the session changes in the summary');
    const summary = await json<Summary>(await call(running.url, map, '/workshop/summary', viewer), 200);
    expect(summary.agenda.map((line) => [line.title, line.plannedMinutes, line.actualMinutes, line.running])).toEqual([
      ['Pain points', 10, 0, false],
      ['Wrap up', 5, 0, true],
      ['Retro', 15, null, false],
    ]);
    expect(summary.rounds).toEqual([
      {
        kind: 'vote',
        scope: 'pain points',
        anonymous: false,
        people: 1,
        revealedAt: expect.any(Number),
        cards: [expect.objectContaining({ text: 'Pain 1', votes: 2, voters: ['Pat', 'Pat'] })],
      },
    ]);
    expect(summary.parkingLot).toEqual([expect.objectContaining({ text: 'Pricing page copy', by: 'Pat' })]);
    expect(summary.changes.cardsAdded).toEqual([expect.objectContaining({ text: 'Added in the workshop' })]);

    const markdown = await call(running.url, map, '/workshop/summary.md', viewer);
    expect(markdown.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(markdown.headers.get('content-disposition')).toContain('onboarding-workshop-summary.md');
    const text = await markdown.text();
    for (const part of [
      '# Workshop summary: Onboarding',
      '## Agenda as run',
      '| 3 | Retro | 15 min | – | not reached (planned 15 min) |',
      '## Round results',
      '2 votes: Pain 1',
      'voted for by Pat (2)',
      '## Parking lot',
      '- Pricing page copy (Pat)',
      '## Changes during the session',
      'Added in the workshop',
    ]) {
      expect(text).toContain(part);
    }

    const pdf = await call(running.url, map, '/workshop/summary.pdf', viewer);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfWords = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    for (const part of [
      'Workshop summary: Onboarding',
      'Agenda as run',
      'Dot vote on pain points',
      'Pricing page copy',
      'Added in the workshop',
    ])
      expect(pdfWords).toContain(part);

    expect((await call(running.url, map, '/workshop/summary.docx', viewer)).status).toBe(404);
    expect((await call(running.url, map, '/workshop/summary', { token: 'nope' })).status).toBe(401);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { decodeWorkshopSummary, fetchWorkshopSummary } from './summary-api';

const summary = {
  mapTitle: 'Onboarding',
  facilitator: 'Fay',
  from: Date.UTC(2025, 4, 12, 10, 2),
  to: Date.UTC(2025, 4, 12, 11, 15),
  agenda: [
    { title: 'Pain points', plannedMinutes: 10, actualMinutes: 12, startedAt: 1, endedAt: 2, running: false },
    { title: 'Retro', plannedMinutes: 15, actualMinutes: null, startedAt: null, endedAt: null, running: false },
  ],
  rounds: [
    {
      kind: 'vote',
      scope: 'pain points',
      anonymous: false,
      people: 2,
      revealedAt: 5,
      cards: [{ text: 'Slow checkout', stage: 'Pay', lane: 'Pains', votes: 3, voters: ['Ana', 'Bo', 'Ana'] }],
    },
  ],
  parkingLot: [{ text: 'Pricing page copy', by: 'Pat', at: 4 }],
  changes: {
    people: [{ name: 'Pat', created: 1, changed: 2, deleted: 0 }],
    cardsAdded: [{ text: 'Added', stage: 'Pay', lane: 'Pains', by: null }],
  },
};

const answer = (status: number, body?: unknown) =>
  vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );

describe('decoding the workshop summary', () => {
  it('keeps a well-formed summary', () => {
    const decoded = decodeWorkshopSummary(summary);
    expect(decoded).toMatchObject({
      mapTitle: 'Onboarding',
      facilitator: 'Fay',
      from: summary.from,
      to: summary.to,
      parkingLot: summary.parkingLot,
      changes: summary.changes,
    });
    expect(decoded?.agenda).toEqual([
      { title: 'Pain points', plannedMinutes: 10, actualMinutes: 12, running: false },
      { title: 'Retro', plannedMinutes: 15, actualMinutes: null, running: false },
    ]);
    expect(decoded?.rounds[0]?.cards).toEqual(summary.rounds[0]!.cards);
  });

  it('leaves out malformed lines and refuses a summary that is not one', () => {
    const decoded = decodeWorkshopSummary({
      ...summary,
      agenda: [...summary.agenda, { title: 'No time' }, 'x'],
      rounds: [...summary.rounds, { ...summary.rounds[0], kind: 'poll' }],
      parkingLot: [{ text: 'No time' }],
      changes: { people: [{ name: 'Eve', created: -1, changed: 0, deleted: 0 }], cardsAdded: [] },
    });
    expect(decoded?.agenda.map((line) => line.title)).toEqual(['Pain points', 'Retro']);
    expect(decoded?.rounds).toHaveLength(1);
    expect(decoded?.parkingLot).toEqual([]);
    expect(decoded?.changes.people).toEqual([]);
    expect(decodeWorkshopSummary({ ...summary, agenda: null })).toBeNull();
    expect(decodeWorkshopSummary({ ...summary, changes: [] })).toBeNull();
    expect(decodeWorkshopSummary('summary')).toBeNull();
  });
});

describe('fetchWorkshopSummary', () => {
  it('asks with the link and decodes the answer', async () => {
    const send = answer(200, summary);
    const fetched = await fetchWorkshopSummary('m 1', 'tok', send);
    expect(fetched.ok && fetched.value.mapTitle).toBe('Onboarding');
    const [path, init] = send.mock.calls[0]!;
    expect(path).toBe('/api/maps/m%201/workshop/summary');
    expect(init?.headers).toMatchObject({ authorization: 'Bearer tok' });
  });

  it('carries the server’s words, and says when the answer is not a summary', async () => {
    expect(await fetchWorkshopSummary('m1', 'bad', answer(401, { error: 'this link does not open the map' }))).toEqual({
      ok: false,
      status: 401,
      error: 'this link does not open the map',
    });
    expect(await fetchWorkshopSummary('m1', 'tok', answer(200, { rounds: [] }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('does not understand'),
    });
  });
});

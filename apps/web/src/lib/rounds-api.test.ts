import { describe, expect, it, vi } from 'vitest';
import { headerSafe } from './api-request';
import { decodeMyRound, RoundsApi, voterId } from './rounds-api';

const answer = (status: number, body?: unknown) =>
  vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );

describe('voterId', () => {
  it('keeps an id of the shape the server takes, and derives a stable one of that shape from any other', () => {
    expect(voterId('V1StGXR8_Z5jdHi6B-myT')).toBe('V1StGXR8_Z5jdHi6B-myT');
    for (const odd of ['short', 'has spaces and ü', 'x'.repeat(100), '']) {
      expect(voterId(odd)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      expect(voterId(odd)).toBe(voterId(odd));
    }
    expect(voterId('a.b')).not.toBe(voterId('a:b'));
  });
});

describe('RoundsApi', () => {
  const api = (send: ReturnType<typeof answer>) => new RoundsApi('map 1', 'tok', 'seat-123456', 'voter-123456', () => 'Zoë', send);

  it('takes part as this browser’s voter and name, and starts, reveals and cancels from the seat', async () => {
    const send = answer(200, { ballot: ['c1', 'c1'] });
    await api(send).vote('r/1', ['c1', 'c1']);
    expect(send).toHaveBeenLastCalledWith('/api/maps/map%201/rounds/r%2F1/ballot', {
      method: 'PUT',
      headers: {
        authorization: 'Bearer tok',
        'content-type': 'application/json',
        'x-waymark-person': headerSafe('Zoë'),
        'x-waymark-voter': 'voter-123456',
      },
      body: '{"cardIds":["c1","c1"]}',
    });
    await api(send).open({ kind: 'vote', scope: { kind: 'map' }, votesPerPerson: 3 });
    expect(send.mock.lastCall?.[0]).toBe('/api/maps/map%201/rounds');
    expect(send.mock.lastCall?.[1]?.headers).toMatchObject({ 'x-waymark-seat': 'seat-123456' });
    await api(send).cancel('r1');
    expect(send.mock.lastCall?.[1]).toMatchObject({ method: 'DELETE', headers: { 'x-waymark-seat': 'seat-123456' } });
  });

  it('reads the caller’s own round, and refuses an answer it does not understand', async () => {
    const mine = await api(
      answer(200, {
        id: 'r1',
        kind: 'brainstorm',
        state: 'open',
        cards: [{ id: 'h1', stageId: 's', laneId: 'l', text: 'Idea' }, { id: 7 }],
        ballot: null,
      }),
    ).mine('r1');
    expect(mine).toEqual({
      ok: true,
      value: { id: 'r1', kind: 'brainstorm', state: 'open', ballot: [], cards: [{ id: 'h1', stageId: 's', laneId: 'l', text: 'Idea' }] },
    });
    expect((await api(answer(200, { id: 'r1', kind: 'poll', state: 'open' })).mine('r1')).ok).toBe(false);
    expect((await api(answer(201, { id: 'h1' })).addCard('r1', { stageId: 's', laneId: 'l', text: 'x' })).ok).toBe(false);
    expect(await api(answer(409, { error: 'this round has been revealed' })).vote('r1', [])).toEqual({
      ok: false,
      status: 409,
      error: 'this round has been revealed',
    });
    expect(decodeMyRound({ id: 'r1', kind: 'vote', state: 'revealed', ballot: ['a', 3, 'b'] })?.ballot).toEqual(['a', 'b']);
  });
});

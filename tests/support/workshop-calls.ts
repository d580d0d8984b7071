import { addCard, readMap } from '@waymark/model';
import { expect } from 'vitest';
import { connect, tokenOf, waitFor, type Client, type CreatedMap } from './clients.js';

export const SEAT = 'facilitator-seat-1';

export interface Caller {
  token: string;
  seat?: string;
  voter?: string;
  person?: string;
}

/** Calls a map's route as a link holder (with the facilitator seat, a voter id and a name when given). */
export const call = (url: string, map: CreatedMap, path: string, caller: Caller, init: { method?: string; body?: unknown } = {}) =>
  fetch(`${url}/api/maps/${map.id}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${caller.token}`,
      ...(caller.seat ? { 'x-waymark-seat': caller.seat } : {}),
      ...(caller.voter ? { 'x-waymark-voter': caller.voter } : {}),
      ...(caller.person ? { 'x-waymark-person': encodeURIComponent(caller.person) } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

export const json = async <T>(response: Response, status: number): Promise<T> => {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
};

/** A map with three pain points and one opportunity, the editor in the facilitator seat. */
export async function workshopMap(url: string, owner: Client, map: CreatedMap) {
  const { stages, lanes } = readMap(owner.doc);
  const pains = lanes.find((lane) => lane.kind === 'painPoints')!;
  const chances = lanes.find((lane) => lane.kind === 'opportunities')!;
  const painIds = [0, 1, 2].map((i) => addCard(owner.doc, { stageId: stages[i]!.id, laneId: pains.id, text: `Pain ${i}` }));
  const chanceId = addCard(owner.doc, { stageId: stages[0]!.id, laneId: chances.id, text: 'Chance' });
  // The server has the cards once another client receives them.
  const reader = connect(url, map.id, tokenOf(map.links.viewer));
  try {
    await waitFor(() => readMap(reader.doc).cards.length >= 4, 'the cards to reach the server');
  } finally {
    reader.destroy();
  }
  const facilitator: Caller = { token: tokenOf(map.links.editor), seat: SEAT };
  await json(await call(url, map, '/workshop/seat', facilitator, { body: { seat: SEAT, name: 'Fay' } }), 200);
  return { stages, lanes, pains, painIds, chanceId, facilitator };
}

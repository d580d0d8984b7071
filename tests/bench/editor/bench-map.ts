import { addLane, addPersona, addStage, type LaneKind } from '@waymark/model';
import type * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../../support/clients.js';
import { seedCards } from '../../support/seed-map.js';

export const STAGES = 12;
export const LANES = 10;
export const CARDS = 500;

const LANE_KINDS: readonly LaneKind[] = [
  'goals',
  'actions',
  'touchpoints',
  'channels',
  'thoughts',
  'emotions',
  'painPoints',
  'opportunities',
  'backstage',
  'kpis',
];

/**
 * The benchmark map: 12 stages × 10 lanes (one of them the emotion curve, with two
 * personas scored at every stage) and 500 cards spread over the card cells.
 */
export function seedBenchMap(doc: Y.Doc): { cards: number } {
  for (let index = 0; index < STAGES; index++) addStage(doc, { name: `Stage ${index + 1}` });
  LANE_KINDS.slice(0, LANES).forEach((kind, index) => addLane(doc, { title: `Lane ${index + 1}`, kind }));
  addPersona(doc, { name: 'Evaluating buyer', colour: '#0ea5e9' });
  addPersona(doc, { name: 'Renewing admin', colour: '#f97316' });
  return { cards: seedCards(doc, { totalCards: CARDS }) };
}

/**
 * Creates the benchmark map on a running server through a Node client, and waits until the
 * server holds every card. Returns a client synced with it (the caller destroys it).
 */
export async function seedBenchMapOn(url: string): Promise<{ map: CreatedMap; cards: number; check: Client }> {
  const map = await createMap(url, { title: 'Benchmark journey', template: 'blank' });
  const seeder = connect(url, map.id, tokenOf(map.links.editor));
  await synced(seeder);
  const { cards } = seedBenchMap(seeder.doc);
  const check = connect(url, map.id, tokenOf(map.links.editor));
  await waitFor(() => check.provider.synced && check.doc.getMap('cards').size === cards, 'the server to hold the map');
  seeder.destroy();
  return { map, cards, check };
}

import { addLane, addPersona, addStage, exportMap, setMeta, type LaneKind } from '@waymark/model';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client, type CreatedMap } from '../../support/clients.js';
import { seedCards } from '../../support/seed-map.js';

/** A map's size for the benchmarks: stages (columns), lanes (rows, one the emotion curve) and cards. */
export interface BenchMapSize {
  readonly stages: number;
  readonly lanes: number;
  readonly cards: number;
}

/** The usual benchmark map, and a big one (what a long-lived, busy map grows to). */
export const BENCH_MAPS: Readonly<Record<'usual' | 'big', BenchMapSize>> = {
  usual: { stages: 12, lanes: 10, cards: 500 },
  big: { stages: 30, lanes: 15, cards: 5000 },
};

export const STAGES = BENCH_MAPS.usual.stages;
export const LANES = BENCH_MAPS.usual.lanes;
export const CARDS = BENCH_MAPS.usual.cards;

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
  'notes',
  'goals',
  'actions',
  'touchpoints',
  'painPoints',
];

/**
 * The benchmark map: 12 stages × 10 lanes (one of them the emotion curve, with two personas
 * scored at every stage) and 500 cards spread over the card cells, or another size.
 */
export function seedBenchMap(doc: Y.Doc, size: BenchMapSize = BENCH_MAPS.usual): { cards: number } {
  for (let index = 0; index < size.stages; index++) addStage(doc, { name: `Stage ${index + 1}` });
  LANE_KINDS.slice(0, size.lanes).forEach((kind, index) => addLane(doc, { title: `Lane ${index + 1}`, kind }));
  addPersona(doc, { name: 'Evaluating buyer', colour: '#0ea5e9' });
  addPersona(doc, { name: 'Renewing admin', colour: '#f97316' });
  return { cards: seedCards(doc, { totalCards: size.cards }) };
}

/**
 * Creates the benchmark map on a running server through a Node client, and waits until the
 * server holds every card. Returns a client synced with it (the caller destroys it).
 */
export async function seedBenchMapOn(
  url: string,
  size: BenchMapSize = BENCH_MAPS.usual,
): Promise<{ map: CreatedMap; cards: number; check: Client }> {
  if (size.cards > BENCH_MAPS.usual.cards) return importBenchMap(url, size);
  const map = await createMap(url, { title: 'Benchmark journey', template: 'blank' });
  const seeder = connect(url, map.id, tokenOf(map.links.editor));
  await synced(seeder);
  const { cards } = seedBenchMap(seeder.doc, size);
  const check = connect(url, map.id, tokenOf(map.links.editor));
  await waitFor(() => check.provider.synced && check.doc.getMap('cards').size === cards, 'the server to hold the map');
  seeder.destroy();
  return { map, cards, check };
}

/**
 * A big map arrives the way a big map does: imported from a file (a client typing 5,000 cards
 * in would meet the server's per-connection message rate first).
 */
async function importBenchMap(url: string, size: BenchMapSize): Promise<{ map: CreatedMap; cards: number; check: Client }> {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Benchmark journey' });
  const { cards } = seedBenchMap(doc, size);
  const response = await fetch(`${url}/api/maps/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(exportMap(doc)),
  });
  if (response.status !== 201) throw new Error(`import failed: ${response.status} ${await response.text()}`);
  const map = (await response.json()) as CreatedMap;
  const check = connect(url, map.id, tokenOf(map.links.editor));
  await waitFor(() => check.provider.synced && check.doc.getMap('cards').size === cards, 'the server to hold the map', 60_000);
  return { map, cards, check };
}

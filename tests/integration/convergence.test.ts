/**
 * Three stock clients edit one map through the model API while, seeded at random, they drop
 * off the server, edit offline and come back; card text is typed the way the web app's textarea
 * writes it. Between rounds the clients either edit straight on or wait until those online
 * hold the same (seeded too, so no round depends on how long the network takes). Once everyone
 * is connected again, every client, and a fresh client after a server restart, must read the
 * same map.
 */
import {
  addCard,
  addStage,
  deleteCard,
  deleteStage,
  moveCard,
  moveStage,
  readCards,
  readLanes,
  readMap,
  readStages,
  renameStage,
} from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor, type Client } from '../support/clients.js';
import { pick, seededRandom } from '../support/random.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';
import { typeIntoCard } from '../support/typing.js';

const WORDS = ['slow checkout', 'asks sales', 'reads reviews', 'confused', 'trial ends', 'calls support'];

function randomEdit(doc: Y.Doc, random: () => number): void {
  const stages = readStages(doc);
  const lanes = readLanes(doc).filter((l) => l.kind !== 'emotions');
  const cards = readCards(doc);
  const stage = pick(random, stages);
  const lane = pick(random, lanes);
  const card = pick(random, cards);
  const roll = random();
  if (roll < 0.3 && stage && lane) addCard(doc, { stageId: stage.id, laneId: lane.id, text: pick(random, WORDS) ?? '' });
  else if (roll < 0.5 && card && stage && lane) moveCard(doc, card.id, { stageId: stage.id, laneId: lane.id, after: null });
  else if (roll < 0.65 && card) {
    // Often the one card the team types into at once: the lowest id, the same on every client.
    const target = random() < 0.5 ? cards.reduce((low, c) => (c.id < low.id ? c : low)) : card;
    for (let keys = 1 + Math.floor(random() * 4); keys > 0; keys--) typeIntoCard(doc, target.id, random);
  } else if (roll < 0.72 && card) deleteCard(doc, card.id);
  else if (roll < 0.8) addStage(doc, { name: `Stage ${Math.floor(random() * 1000)}` });
  else if (roll < 0.86 && stage) renameStage(doc, stage.id, `${stage.name}!`);
  else if (roll < 0.93 && stage && stages.length > 1) {
    const target = pick(random, stages)!;
    moveStage(doc, stage.id, { after: target.id === stage.id ? null : target.id });
  } else if (stage && stages.length > 2) deleteStage(doc, stage.id);
}

const sameVector = (a: Y.Doc, b: Y.Doc) => Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));

describe('concurrent edits through the server converge', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer;

  beforeEach(async () => {
    running = await bed.start();
  });

  it.each([1, 2, 3, 4, 5, 6])('seed %i', async (seed) => {
    const random = seededRandom(seed);
    const map = await createMap(running.url);
    const team = [0, 1, 2].map(() => connect(running.url, map.id, tokenOf(map.links.editor)));
    clients.push(...team);
    await Promise.all(team.map(synced));

    for (let round = 0; round < 12; round++) {
      for (const member of team) {
        // Each round, a client may drop off or come back; offline edits wait in its document.
        if (random() < 0.25) {
          if (member.provider.shouldConnect) member.provider.disconnect();
          else member.provider.connect();
        }
      }
      for (let i = 0; i < 6; i++) randomEdit(pick(random, team)!.doc, random);
      // Either the next round's edits pile onto these unsent, or those online first hold the same.
      if (random() < 0.5) {
        const online = team.filter((member) => member.provider.shouldConnect);
        await waitFor(
          () => online.every((member) => member.provider.synced && sameVector(member.doc, online[0]!.doc)),
          'online clients to catch up',
        );
      }
    }
    for (const member of team) if (!member.provider.shouldConnect) member.provider.connect();
    await Promise.all(team.map(synced));

    const view = (client: Client) => {
      const { problems: _problems, ...rest } = readMap(client.doc);
      return rest;
    };
    await waitFor(
      () => {
        const [first, ...others] = team.map(view);
        return others.every((other) => JSON.stringify(other) === JSON.stringify(first));
      },
      'clients to converge',
      15_000,
    );

    const expected = view(team[0]!);
    // No card appears twice, however often it was moved concurrently.
    const ids = expected.cards.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);

    for (const c of clients.splice(0)) c.destroy();
    await running.close();
    running = await bed.start();
    const fresh = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(fresh);
    await synced(fresh);
    expect(view(fresh)).toEqual(expected);
  });
});

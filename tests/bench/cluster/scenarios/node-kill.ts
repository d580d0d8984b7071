import * as Y from 'yjs';
import { addWriterCard, typeKeystroke } from '../../sync/bench-document.js';
import type { Cluster, ClusterNode } from '../cluster.js';
import { percentiles, sleep, type Percentiles } from '../latency.js';
import { createBenchMap, MapClient, waitUntil, type BenchMap } from '../map-client.js';
import type { ClusterBenchOptions } from '../options.js';
import { expectedText, TypedCards } from '../typed-cards.js';

/** Keystrokes per second of every client. */
const TYPING_HZ = 2;
/** After the typing stops, how long the clients have to converge before what they lack is a loss. */
const SETTLE_MS = 30_000;

export interface NodeKillResult {
  maps: number;
  clientsPerMap: number;
  keystrokesPerSecondEach: number;
  beforeKillSeconds: number;
  afterKillSeconds: number;
  keystrokes: number;
  /** Clients of the killed node, each moved to the surviving one. */
  movedClients: number;
  /** From the SIGKILL until each moved client was synced with the surviving node. */
  reconnectMs: Percentiles;
  /** Keystrokes some client made that some client's document lacked after the settle. */
  clientLosses: number;
  /** Keystrokes missing from the maps as a fresh node loads them from storage, after both nodes are killed. */
  storageLosses: number;
  /** Client documents whose state vector differs from the fresh node's copy of their map. */
  divergentDocs: number;
  notes: string[];
}

interface Person {
  id: string;
  map: BenchMap;
  client: MapClient;
  cards: TypedCards;
  cardId: string | null;
  typed: number;
  /** On the node that is killed. */
  onVictim: boolean;
  reconnectMs?: number;
}

/**
 * Every client on both nodes types into its own card; node B is SIGKILLed mid-run and each of its
 * clients, once its socket drops, opens a new provider on node A for the same document (typing
 * on meanwhile, as a person would). After the typing stops: every keystroke any client made must
 * be in every client's document, and, once both nodes are SIGKILLed, in the maps a fresh node
 * loads from storage.
 */
export async function nodeKill(cluster: Cluster, a: ClusterNode, b: ClusterNode, options: ClusterBenchOptions): Promise<NodeKillResult> {
  const notes: string[] = [];
  const maps: BenchMap[] = [];
  for (let m = 0; m < options.killMaps; m++) maps.push(await createBenchMap(a.url, `Node kill ${m}`));
  const people: Person[] = [];
  const probes: MapClient[] = [];
  try {
    for (const [m, map] of maps.entries()) {
      const ids = Array.from({ length: options.killClientsPerMap }, (_, j) => `k${m}-${j}`);
      ids.forEach((id, j) => {
        const onVictim = j % 2 === 1;
        const client = new MapClient(map, (onVictim ? b : a).url);
        people.push({ id, map, client, cards: new TypedCards(client.doc, ids), cardId: null, typed: 0, onVictim });
      });
    }
    const writersOf = (map: BenchMap) => people.filter((p) => p.map === map).map((p) => p.id);
    if (!(await waitUntil(() => people.every((p) => p.client.synced), 60_000))) throw new Error('node kill: clients did not sync in 60 s');
    people.forEach((p, i) => (p.cardId = addWriterCard(p.client.doc, p.id, i % options.killClientsPerMap)));
    const cardsEverywhere = () => people.every((p) => writersOf(p.map).every((id) => p.cards.hasCard(id)));
    if (!(await waitUntil(cardsEverywhere, 60_000))) throw new Error("node kill: clients never received each other's cards");

    let killedAt = Number.NaN;
    const moved: Promise<void>[] = [];
    for (const person of people.filter((p) => p.onVictim)) {
      person.client.onDrop(() => {
        person.client.moveTo(a.url);
        moved.push(
          waitUntil(() => person.client.synced, 60_000, 5).then((synced) => {
            if (synced) person.reconnectMs = performance.now() - killedAt;
          }),
        );
      });
    }

    const timers: NodeJS.Timeout[] = [];
    const period = 1000 / TYPING_HZ;
    for (const person of people) {
      const type = () => typeKeystroke(person.client.doc, person.cardId!, ++person.typed);
      timers.push(setTimeout(() => timers.push(setInterval(type, period)), Math.random() * period));
    }
    try {
      await sleep(options.beforeKillSeconds * 1000);
      killedAt = performance.now();
      await b.kill();
      await sleep(options.afterKillSeconds * 1000);
    } finally {
      for (const timer of timers) clearInterval(timer);
    }
    // The drops come within the after-kill stretch; a client whose drop never came is reported.
    await Promise.all(moved);
    const victims = people.filter((p) => p.onVictim);
    const stranded = victims.filter((p) => p.reconnectMs === undefined).length;
    if (stranded > 0) notes.push(`${stranded} clients of the killed node never synced with the surviving one`);

    const typedBy = new Map(people.map((p) => [p.id, p.typed]));
    const lacking = (cards: TypedCards, map: BenchMap) =>
      writersOf(map).reduce((n, id) => {
        const expected = expectedText(typedBy.get(id)!);
        const text = cards.text(id);
        // A text that is not a prefix of what was typed would be corruption, not lag: all of it counts.
        return n + (expected.startsWith(text) ? expected.length - text.length : expected.length);
      }, 0);
    const clientMissing = () => people.reduce((n, p) => n + lacking(p.cards, p.map), 0);
    await waitUntil(() => clientMissing() === 0, SETTLE_MS, 50);
    const clientLosses = clientMissing();
    if (clientLosses > 0) notes.push(`clients still lacked ${clientLosses} keystrokes ${SETTLE_MS / 1000} s after the typing stopped`);
    const vectors = new Map(people.map((p) => [p.id, Y.encodeStateVector(p.client.doc)]));
    for (const person of people) person.client.detach();

    // Nothing but storage holds the maps now: a node that never had them open reads them.
    await a.kill();
    const fresh = await cluster.startNode('C');
    const probeCards = maps.map((map) => {
      const client = new MapClient(map, fresh.url);
      probes.push(client);
      return new TypedCards(client.doc, writersOf(map));
    });
    if (!(await waitUntil(() => probes.every((p) => p.synced), 60_000))) notes.push('a fresh-node probe never synced');
    const storageMissing = () => maps.reduce((n, map, i) => n + lacking(probeCards[i]!, map), 0);
    // Synced means the node sent what it loaded; give a late arrival a moment all the same.
    await waitUntil(() => storageMissing() === 0, 5_000, 50);
    const storageLosses = storageMissing();
    const probeVector = new Map(maps.map((map, i) => [map.id, Y.encodeStateVector(probes[i]!.doc)]));
    const divergentDocs = people.filter((p) => !sameVector(vectors.get(p.id)!, probeVector.get(p.map.id)!)).length;
    return {
      maps: maps.length,
      clientsPerMap: options.killClientsPerMap,
      keystrokesPerSecondEach: TYPING_HZ,
      beforeKillSeconds: options.beforeKillSeconds,
      afterKillSeconds: options.afterKillSeconds,
      keystrokes: people.reduce((n, p) => n + p.typed, 0),
      movedClients: victims.length,
      reconnectMs: percentiles(victims.flatMap((p) => (p.reconnectMs === undefined ? [] : [p.reconnectMs]))),
      clientLosses,
      storageLosses,
      divergentDocs,
      notes,
    };
  } finally {
    for (const client of [...people.map((p) => p.client), ...probes]) client.destroy();
  }
}

/** Whether two encoded state vectors name the same clients at the same clocks (in any order). */
function sameVector(x: Uint8Array, y: Uint8Array): boolean {
  const [left, right] = [Y.decodeStateVector(x), Y.decodeStateVector(y)];
  return left.size === right.size && [...left].every(([client, clock]) => right.get(client) === clock);
}

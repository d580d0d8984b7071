import { addWriterCard, typeKeystroke } from '../../sync/bench-document.js';
import type { ClusterNode } from '../cluster.js';
import { percentiles, round, sleep, type Percentiles } from '../latency.js';
import { createBenchMap, MapClient, waitUntil } from '../map-client.js';
import type { ClusterBenchOptions } from '../options.js';
import { TypedCards } from '../typed-cards.js';

/** Keystrokes in this first stretch are sent but not timed (connections and JIT warming up). */
const WARM_UP_MS = 2_000;
/** After the typing stops, how long readers have to catch up before what they lack is a loss. */
const SETTLE_MS = 10_000;

export interface FanoutResult {
  writers: number;
  readersPerNode: number;
  keystrokesPerSecondEach: number;
  seconds: number;
  /** Writer and reader on the same node. */
  singleNode: Percentiles;
  /** Writer on one node, reader on the other: through Redis. */
  crossNode: Percentiles;
  /** crossNode.p99 / singleNode.p99 (target ≤ 1.5). */
  p99Ratio: number;
  /** Keystrokes some reader still lacked SETTLE_MS after the typing stopped. */
  losses: number;
  notes: string[];
}

/**
 * One map open on both nodes; a writer on each types into its own card at a steady rate, and
 * readers on both nodes time each keystroke from its send to its arrival (all in this process,
 * one clock). A reader on the writer's node gives the single-node delay, one on the other node
 * the cross-node delay: both measured at once, under the same load.
 */
export async function fanoutLatency(a: ClusterNode, b: ClusterNode, options: ClusterBenchOptions): Promise<FanoutResult> {
  const map = await createBenchMap(a.url, 'Cluster fan-out');
  const writers = [
    { id: 'fa', node: a },
    { id: 'fb', node: b },
  ];
  const writerIds = writers.map((w) => w.id);
  const nodeOf = new Map(writers.map((w) => [w.id, w.node]));
  /** Send time of each timed keystroke, by writer, indexed by keystroke number. */
  const sentAt = new Map<string, number[]>(writerIds.map((id) => [id, []]));
  const single: number[] = [];
  const cross: number[] = [];
  const notes: string[] = [];

  const writerClients = writers.map((w) => new MapClient(map, w.node.url));
  const readers: { client: MapClient; cards: TypedCards }[] = [];
  try {
    for (const node of [a, b]) {
      for (let i = 0; i < options.readersPerNode; i++) {
        const client = new MapClient(map, node.url);
        const cards = new TypedCards(client.doc, writerIds, (writerId, before, now) => {
          const arrived = performance.now();
          const samples = nodeOf.get(writerId) === node ? single : cross;
          const sent = sentAt.get(writerId)!;
          for (let seq = before + 1; seq <= now; seq++) {
            const at = sent[seq];
            if (at !== undefined) samples.push(arrived - at);
          }
        });
        readers.push({ client, cards });
      }
    }
    const everyone = [...writerClients, ...readers.map((r) => r.client)];
    if (!(await waitUntil(() => everyone.every((c) => c.synced), 30_000))) throw new Error('fan-out: clients did not sync in 30 s');
    const cardIds = writerClients.map((client, i) => addWriterCard(client.doc, writerIds[i]!, i));
    const cardsEverywhere = () => readers.every((r) => writerIds.every((id) => r.cards.hasCard(id)));
    if (!(await waitUntil(cardsEverywhere, 30_000))) throw new Error("fan-out: readers never received the writers' cards");

    const typed = writers.map(() => 0);
    const started = performance.now();
    const timers: NodeJS.Timeout[] = [];
    const period = 1000 / options.latencyHz;
    writerClients.forEach((client, i) => {
      const type = () => {
        const seq = ++typed[i]!;
        if (performance.now() - started >= WARM_UP_MS) sentAt.get(writerIds[i]!)![seq] = performance.now();
        typeKeystroke(client.doc, cardIds[i]!, seq);
      };
      // A phase of its own for each writer, so the two do not type in the same tick.
      timers.push(setTimeout(() => timers.push(setInterval(type, period)), (i * period) / writers.length));
    });
    await sleep(options.latencySeconds * 1000);
    for (const timer of timers) clearInterval(timer);

    const missing = () => readers.reduce((n, r) => n + writerIds.reduce((m, id, i) => m + Math.max(0, typed[i]! - r.cards.held(id)), 0), 0);
    await waitUntil(() => missing() === 0, SETTLE_MS, 20);
    const losses = missing();
    if (losses > 0) notes.push(`${losses} keystrokes still missing at some reader ${SETTLE_MS / 1000} s after the typing stopped`);
    const singleNode = percentiles(single);
    const crossNode = percentiles(cross);
    return {
      writers: writers.length,
      readersPerNode: options.readersPerNode,
      keystrokesPerSecondEach: options.latencyHz,
      seconds: options.latencySeconds,
      singleNode,
      crossNode,
      p99Ratio: round(crossNode.p99 / singleNode.p99),
      losses,
      notes,
    };
  } finally {
    for (const client of [...writerClients, ...readers.map((r) => r.client)]) client.destroy();
  }
}

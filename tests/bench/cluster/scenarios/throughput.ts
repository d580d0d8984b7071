import { WebSocket } from 'ws';
import { syncUpdateFrame } from '../../../support/raw-socket.js';
import { addWriterCard, typeKeystroke } from '../../sync/bench-document.js';
import type { ClusterNode } from '../cluster.js';
import { round } from '../latency.js';
import { createBenchMap, MapClient, waitUntil, type BenchMap } from '../map-client.js';
import type { ClusterBenchOptions } from '../options.js';
import { TypedCards } from '../typed-cards.js';

/**
 * Keystrokes a writer may have sent that the reader on its own node has not yet received. The
 * writers go as fast as the node takes their updates in, commits them and relays them, without
 * piling up an unbounded queue inside it.
 */
const WINDOW = 16;
/** A run that has not delivered everything by then stops and says so. */
const RUN_LIMIT_MS = 120_000;

export type MapsVariant = 'one map' | 'many maps';
export type Placement = 'one node' | 'two nodes';

export interface ThroughputRun {
  maps: MapsVariant;
  placement: Placement;
  writers: number;
  mapCount: number;
  updates: number;
  /** From the first send until a reader on each node held every update. */
  seconds: number;
  updatesPerSecond: number;
  /** When the readers on each node held everything, seconds after the first send. */
  doneAtSeconds: Record<string, number>;
  /** Updates some reader never received within RUN_LIMIT_MS. */
  undelivered: number;
}

export interface ThroughputResult {
  runs: ThroughputRun[];
  /** Per maps variant: two nodes' updates/s ÷ one node's. */
  ratio: Record<string, number>;
  notes: string[];
}

interface Writer {
  id: string;
  map: BenchMap;
  node: ClusterNode;
  frames: Uint8Array[];
  sent: number;
  socket: WebSocket | null;
  /** The reader of the writer's map on the writer's node: it paces the writer. */
  pacer: TypedCards | null;
}

/**
 * K writers send keystrokes as fast as their node takes them (WINDOW unreceived at most), all
 * on one node or split over two; one reader of each map on each node. The rate is the updates
 * over the time until every reader held them all: accepted, stored (a node commits an update
 * before it relays it) and relayed on both nodes. One map for all writers, then a map each.
 */
export async function throughput(a: ClusterNode, b: ClusterNode, options: ClusterBenchOptions): Promise<ThroughputResult> {
  const runs: ThroughputRun[] = [];
  const notes: string[] = [];
  for (const maps of ['one map', 'many maps'] as const) {
    for (const placement of ['one node', 'two nodes'] as const) {
      const run = await throughputRun(a, b, maps, placement, options);
      if (run.undelivered > 0)
        notes.push(`${maps}, ${placement}: ${run.undelivered} updates not delivered within ${RUN_LIMIT_MS / 1000} s`);
      runs.push(run);
    }
  }
  const rate = (maps: MapsVariant, placement: Placement) =>
    runs.find((r) => r.maps === maps && r.placement === placement)?.updatesPerSecond ?? NaN;
  return {
    runs,
    ratio: {
      'one map': round(rate('one map', 'two nodes') / rate('one map', 'one node')),
      'many maps': round(rate('many maps', 'two nodes') / rate('many maps', 'one node')),
    },
    notes,
  };
}

async function throughputRun(
  a: ClusterNode,
  b: ClusterNode,
  variant: MapsVariant,
  placement: Placement,
  options: ClusterBenchOptions,
): Promise<ThroughputRun> {
  const count = options.writers;
  const mapCount = variant === 'one map' ? 1 : count;
  const maps: BenchMap[] = [];
  for (let i = 0; i < mapCount; i++) maps.push(await createBenchMap(a.url, `Throughput ${variant} ${i}`));
  const writers: Writer[] = Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    map: maps[i % mapCount]!,
    node: placement === 'two nodes' && i % 2 === 1 ? b : a,
    frames: [],
    sent: 0,
    socket: null,
    pacer: null,
  }));
  const readers: { node: ClusterNode; map: BenchMap; client: MapClient; cards: TypedCards; writers: Writer[] }[] = [];
  const writerClients: MapClient[] = [];
  let sending = false;
  try {
    for (const map of maps) {
      const ofMap = writers.filter((w) => w.map === map);
      for (const node of [a, b]) {
        const client = new MapClient(map, node.url);
        // Every arrival may open a writer's window.
        const cards = new TypedCards(
          client.doc,
          ofMap.map((w) => w.id),
          () => pump(),
        );
        readers.push({ node, map, client, cards, writers: ofMap });
        for (const writer of ofMap) if (writer.node === node) writer.pacer = cards;
      }
    }
    // Each writer joins through a stock provider to add its card, then types its keystrokes
    // ahead of time (so the run measures the servers, not Yjs encoding here) and sends them on a
    // bare socket whose incoming frames it ignores.
    writers.forEach((w) => writerClients.push(new MapClient(w.map, w.node.url)));
    const synced = () => [...writerClients, ...readers.map((r) => r.client)].every((c) => c.synced);
    if (!(await waitUntil(synced, 60_000))) throw new Error(`throughput (${variant}, ${placement}): clients did not sync in 60 s`);
    const cardIds = writers.map((w, i) => addWriterCard(writerClients[i]!.doc, w.id, i));
    const cardsEverywhere = () => readers.every((r) => r.writers.every((w) => r.cards.hasCard(w.id)));
    if (!(await waitUntil(cardsEverywhere, 60_000))) throw new Error(`throughput (${variant}, ${placement}): cards never arrived`);
    writers.forEach((w, i) => {
      const client = writerClients[i]!;
      client.detach();
      const record = (update: Uint8Array) => w.frames.push(syncUpdateFrame(update));
      client.doc.on('update', record);
      for (let seq = 1; seq <= options.updatesPerWriter; seq++) typeKeystroke(client.doc, cardIds[i]!, seq);
      client.doc.off('update', record);
    });
    await Promise.all(writers.map(async (w) => (w.socket = await openSocket(w))));

    const total = count * options.updatesPerWriter;
    const doneAt: Record<string, number> = {};
    const nodeDone = (node: ClusterNode) =>
      readers.filter((r) => r.node === node).every((r) => r.writers.every((w) => r.cards.held(w.id) >= options.updatesPerWriter));
    const started = performance.now();
    sending = true;
    function pump(): void {
      if (!sending) return;
      for (const w of writers) {
        const received = w.pacer?.held(w.id) ?? 0;
        while (w.sent < w.frames.length && w.sent - received < WINDOW) w.socket!.send(w.frames[w.sent++]!);
      }
    }
    pump();
    const finished = await waitUntil(
      () => {
        for (const node of [a, b]) if (doneAt[node.name] === undefined && nodeDone(node)) doneAt[node.name] = performance.now() - started;
        // A keystroke's arrival pumps; this catches a window that opened without one.
        pump();
        return Object.keys(doneAt).length === 2;
      },
      RUN_LIMIT_MS,
      2,
    );
    sending = false;
    const seconds = (performance.now() - started) / 1000;
    const undelivered = finished
      ? 0
      : readers.reduce((n, r) => n + r.writers.reduce((m, w) => m + Math.max(0, options.updatesPerWriter - r.cards.held(w.id)), 0), 0);
    return {
      maps: variant,
      placement,
      writers: count,
      mapCount,
      updates: total,
      seconds: round(seconds, 3),
      updatesPerSecond: Math.round(total / seconds),
      doneAtSeconds: Object.fromEntries(Object.entries(doneAt).map(([node, ms]) => [node, round(ms / 1000, 3)])),
      undelivered,
    };
  } finally {
    for (const w of writers) w.socket?.terminate();
    for (const client of [...writerClients, ...readers.map((r) => r.client)]) client.destroy();
  }
}

/** A bare sync socket for the writer's map on its node; what the node sends on it is dropped. */
function openSocket(writer: Writer): Promise<WebSocket> {
  const url = `${writer.node.url.replace(/^http/, 'ws')}/sync/${writer.map.id}?token=${encodeURIComponent(writer.map.token)}`;
  const socket = new WebSocket(url);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('a writer socket did not open in 30 s'));
    }, 30_000);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', (code, reason) => {
      if (code !== 1005 && code !== 1006)
        console.error(`[bench:cluster] writer ${writer.id}'s socket closed: ${code} ${reason.toString()}`);
    });
  });
}

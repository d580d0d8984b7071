/**
 * A client process: holds a share of the stock providers, runs the writers and awareness it is
 * told to, and measures fan-out. Each writer types into its own card of the map (see
 * bench-document.ts) and notes when it sent each keystroke; readers in this same process compute
 * the delay from the same clock, so no clock differs between processes.
 */
import * as Y from 'yjs';
import { createBenchClient, type BenchClient } from './bench-client.js';
import { addWriterCard, cardText, onWriterCard, typeKeystroke, writerAuthor, writerCards } from './bench-document.js';
import type { ClientSpec, LoadResult, ProbeRoom, SentCounts, WorkerPlan, WorkerReply, WorkerRequest } from './protocol.js';
import { appendTrace, SLOW_UPDATE_MS, traceDir } from './trace.js';

interface Pair {
  /** The writer's card, once this client's document holds it. */
  cardId: string | null;
  /** Updates of the writer this document holds: the length of the card's text. */
  received: number;
}

interface Member {
  spec: ClientSpec;
  client: BenchClient;
  /** Per writer of the same room (other than itself). */
  pairs: Map<string, Pair>;
  /** A writer's own card. */
  cardId: string | null;
  seq: number;
  frozen: boolean;
}

const now = () => performance.timeOrigin + performance.now();

let plan: WorkerPlan | null = null;
const members = new Map<number, Member>();
/** Send times of this process's writers' keystrokes, by writer, indexed by sequence number. */
const sentAt = new Map<string, number[]>();
/** Writers by their cards' author name. */
const writerByAuthor = new Map<string, string>();
let recording = false;
let delays: number[] = [];
/** Updates slower than SLOW_UPDATE_MS, for BENCH_TRACE_DIR. */
let slow: string[] = [];
let freezeArmed = false;

function reply(message: WorkerReply): void {
  process.send?.(message);
}

function setUp(next: WorkerPlan): void {
  plan = next;
  const templateState = next.templateState ? new Uint8Array(Buffer.from(next.templateState, 'base64')) : undefined;
  for (const writerId of Object.keys(next.writers)) writerByAuthor.set(writerAuthor(writerId), writerId);
  for (const spec of next.clients) {
    if (spec.writerId !== undefined) sentAt.set(spec.writerId, []);
    const client = createBenchClient(next.kind, next.wsUrl, spec.room, spec.token, templateState);
    const member: Member = { spec, client, pairs: new Map(), cardId: null, seq: 0, frozen: false };
    members.set(spec.id, member);
    client.onDrop(() => {
      if (!freezeArmed) return;
      member.frozen = true;
      client.disconnect();
    });
    client.awareness.setLocalStateField('user', { name: `bench-${spec.id}`, color: '#3366ff' });
    // Writers anywhere in the run: a reader counts every writer of its room, local or not.
    for (const [writerId, room] of Object.entries(next.writers)) {
      if (room === spec.room && writerId !== spec.writerId) member.pairs.set(writerId, { cardId: null, received: 0 });
    }
    onWriterCard(client.doc, (author, cardId) => watchCard(member, author, cardId));
  }
}

/** Starts counting a writer's keystrokes at a reader, once its card has arrived there. */
function watchCard(member: Member, author: string, cardId: string): void {
  const writerId = writerByAuthor.get(author);
  const pair = writerId === undefined ? undefined : member.pairs.get(writerId);
  const text = cardText(member.client.doc, cardId);
  if (!pair || pair.cardId !== null || !text) return;
  pair.cardId = cardId;
  pair.received = text.length;
  // Set only for writers in this process: the others' keystrokes are counted, not timed.
  const sent = sentAt.get(writerId!);
  text.observe(() => {
    const arrived = now();
    const length = text.length;
    if (recording && sent) {
      for (let seq = pair.received + 1; seq <= length; seq++) {
        const at = sent[seq];
        if (at === undefined) continue;
        delays.push(arrived - at);
        if (traceDir && arrived - at > SLOW_UPDATE_MS) slow.push(`${Math.round(at)} ${Math.round(arrived - at)} ${writerId}`);
      }
    }
    pair.received = Math.max(pair.received, length);
  });
}

async function waitUntil(condition: () => boolean, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}

function holds(doc: Y.Doc, stateVector: Record<string, number>): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  return Object.entries(stateVector).every(([client, clock]) => (have.get(Number(client)) ?? 0) >= clock);
}

async function connect(ids: number[] | undefined, timeoutMs: number, stateVector?: Record<string, number>): Promise<WorkerReply> {
  const targets = ids ? ids.map((id) => members.get(id)).filter((m): m is Member => m !== undefined) : [...members.values()];
  const ready = (m: Member) => m.client.ready() && (!stateVector || holds(m.client.doc, stateVector));
  // Time the clients spend inside document transactions (applying what the server sent), so a
  // cold load can be split into the client's share and the server's.
  let applyMs = 0;
  let transactionStart = 0;
  const before = () => (transactionStart = performance.now());
  const after = () => (applyMs += performance.now() - transactionStart);
  for (const member of targets) {
    member.client.doc.on('beforeTransaction', before);
    member.client.doc.on('afterTransaction', after);
  }
  const started = performance.now();
  for (const member of targets) member.client.connect();
  // A cold load is timed to the millisecond; a room's worth of clients need not be.
  await waitUntil(() => targets.every(ready), timeoutMs, stateVector ? 1 : 10);
  const ms = performance.now() - started;
  for (const member of targets) {
    member.client.doc.off('beforeTransaction', before);
    member.client.doc.off('afterTransaction', after);
  }
  return { type: 'connected', ms, notReady: targets.filter((m) => !ready(m)).length, applyMs };
}

function write(member: Member): void {
  if (member.frozen || !member.client.open() || member.spec.writerId === undefined || member.cardId === null) return;
  const seq = ++member.seq;
  sentAt.get(member.spec.writerId)![seq] = now();
  typeKeystroke(member.client.doc, member.cardId, seq);
}

/** Gives each writer here its card, then waits until every client here holds its room's cards. */
async function addCards(timeoutMs: number): Promise<WorkerReply> {
  const writerIndex = new Map(Object.keys(plan?.writers ?? {}).map((writerId, i) => [writerId, i]));
  let made = 0;
  for (const member of members.values()) {
    const writerId = member.spec.writerId;
    if (writerId === undefined || member.cardId !== null) continue;
    const doc = member.client.doc;
    member.cardId = writerCards(doc).get(writerAuthor(writerId)) ?? addWriterCard(doc, writerId, writerIndex.get(writerId) ?? 0);
    made++;
  }
  const unbound = () => {
    let missing = 0;
    for (const member of members.values()) {
      if (![...member.pairs.values()].some((pair) => pair.cardId === null)) continue;
      // A card that came with the sync, before anything observed the document.
      for (const [author, cardId] of writerCards(member.client.doc)) watchCard(member, author, cardId);
      missing += [...member.pairs.values()].filter((pair) => pair.cardId === null).length;
    }
    return missing;
  };
  await waitUntil(() => unbound() === 0, timeoutMs, 20);
  return { type: 'cards-added', made, missing: unbound() };
}

async function load(writers: string[], writeHz: number, awarenessHz: number, durationMs: number): Promise<WorkerReply> {
  const active = [...members.values()].filter((m) => m.spec.writerId !== undefined && writers.includes(m.spec.writerId));
  const timers: NodeJS.Timeout[] = [];
  const every = (hz: number, task: () => void) => {
    // A random phase, so a process's writers do not all fire in the same tick.
    const period = 1000 / hz;
    timers.push(setTimeout(() => timers.push(setInterval(task, period)), Math.random() * period));
  };
  delays = [];
  recording = true;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const member of active) every(writeHz, () => write(member));
  if (awarenessHz > 0) {
    for (const member of members.values()) {
      every(awarenessHz, () => {
        if (member.client.open()) member.client.awareness.setLocalStateField('cursor', { x: Math.random(), y: Math.random() });
      });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  for (const timer of timers) clearInterval(timer);
  // Let what is in flight arrive before the delays are handed over.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  recording = false;
  const used = process.cpuUsage(cpu);
  const sent: Record<string, number> = {};
  for (const member of members.values()) if (member.spec.writerId) sent[member.spec.writerId] = member.seq;
  const result: LoadResult = {
    delaysMs: delays,
    sent,
    cpuMs: (used.user + used.system) / 1000,
    wallMs: performance.now() - started,
  };
  delays = [];
  appendTrace(`slow-updates-${process.pid}.txt`, slow);
  slow = [];
  return { type: 'loaded', result };
}

function losses(sent: SentCounts): WorkerReply {
  let missing = 0;
  let readers = 0;
  for (const member of members.values()) {
    readers++;
    for (const [writerId, pair] of member.pairs) {
      const total = sent[writerId]?.sent ?? 0;
      missing += Math.max(0, total - pair.received);
    }
  }
  return { type: 'losses', missing, readers };
}

function seen(): WorkerReply {
  const result: Record<string, number> = {};
  for (const member of members.values()) {
    for (const [writerId, pair] of member.pairs) result[writerId] = Math.max(result[writerId] ?? 0, pair.received);
  }
  return { type: 'seen', seen: result };
}

/** Fresh documents that never saw the room: what they receive can only have come from the server. */
async function probe(rooms: ProbeRoom[], timeoutMs: number): Promise<WorkerReply> {
  if (!plan) throw new Error('no plan');
  const started = performance.now();
  const probes = rooms.map((room) => ({ room, client: createBenchClient(plan!.kind, plan!.wsUrl, room.room, room.token) }));
  for (const { client } of probes) client.connect();
  await waitUntil(() => probes.every((p) => p.client.ready()), timeoutMs);
  const ms = performance.now() - started;
  const held: Record<string, number> = {};
  const count = () => {
    let total = 0;
    for (const { room, client } of probes) {
      const cards = writerCards(client.doc);
      for (const writerId of room.writers) {
        const cardId = cards.get(writerAuthor(writerId));
        held[writerId] = cardId === undefined ? 0 : (cardText(client.doc, cardId)?.length ?? 0);
        total += held[writerId];
      }
    }
    return total;
  };
  // A server may answer the sync before its storage has loaded and send the rest as updates
  // (the y-websocket server does): wait until what the probes hold stops changing.
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const total = count();
    if (total === last) break;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const notReady = probes.filter((p) => !p.client.ready()).length;
  for (const { client } of probes) client.destroy();
  return { type: 'probed', held, ms, notReady };
}

async function reconnect(timeoutMs: number): Promise<WorkerReply> {
  freezeArmed = false;
  const started = performance.now();
  for (const member of members.values()) {
    member.frozen = false;
    member.client.connect();
  }
  await waitUntil(() => [...members.values()].every((m) => m.client.ready()), timeoutMs);
  const notReady = [...members.values()].filter((m) => !m.client.ready()).length;
  return { type: 'reconnected', ms: performance.now() - started, notReady };
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'plan':
      setUp(request.plan);
      return { type: 'planned' };
    case 'connect':
      return connect(request.ids, request.timeoutMs, request.stateVector);
    case 'add-cards':
      return addCards(request.timeoutMs);
    case 'load':
      return load(request.writers, request.writeHz, request.awarenessHz, request.durationMs);
    case 'losses':
      return losses(request.sent);
    case 'arm-freeze':
      freezeArmed = true;
      return { type: 'armed' };
    case 'await-frozen': {
      const started = performance.now();
      await waitUntil(() => [...members.values()].every((m) => !m.client.open()), request.timeoutMs);
      const stillOpen = [...members.values()].filter((m) => m.client.open()).length;
      return { type: 'frozen', ms: performance.now() - started, stillOpen };
    }
    case 'seen':
      return seen();
    case 'probe':
      return probe(request.rooms, request.timeoutMs);
    case 'reconnect':
      return reconnect(request.timeoutMs);
    case 'close':
      for (const member of members.values()) member.client.destroy();
      members.clear();
      setTimeout(() => process.exit(0), 100);
      return { type: 'closed' };
  }
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(reply, (error: unknown) =>
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

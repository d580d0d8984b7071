/**
 * A client process: holds a share of the stock providers, runs the writers and awareness it is
 * told to, and measures fan-out. Writers stamp each update with {seq, sentAt}; readers in this
 * same process compute the delay from the same clock, so no clock differs between processes.
 */
import * as Y from 'yjs';
import { createBenchClient, type BenchClient } from './bench-client.js';
import type { ClientSpec, LoadResult, ProbeRoom, SentCounts, WorkerPlan, WorkerReply, WorkerRequest } from './protocol.js';
import { appendTrace, SLOW_UPDATE_MS, traceDir } from './trace.js';

interface Stamp {
  s: number;
  t: number;
}

interface Pair {
  received: number;
  /** The next sequence number expected; a larger one arriving first is a gap. */
  expected: number;
  /** Highest n such that 1..n have all arrived. */
  contiguous: number;
  pending: Set<number>;
}

interface Member {
  spec: ClientSpec;
  client: BenchClient;
  /** Per writer of the same room (other than itself). */
  pairs: Map<string, Pair>;
  seq: number;
  frozen: boolean;
}

const now = () => performance.timeOrigin + performance.now();
const logKey = (writerId: string) => `bench-log-${writerId}`;
const textKey = (writerId: string) => `bench-text-${writerId}`;

let plan: WorkerPlan | null = null;
const members = new Map<number, Member>();
const localWriters = new Set<string>();
let recording = false;
let delays: number[] = [];
/** Updates slower than SLOW_UPDATE_MS, for BENCH_TRACE_DIR. */
let slow: string[] = [];
let gaps = 0;
let freezeArmed = false;

function reply(message: WorkerReply): void {
  process.send?.(message);
}

function setUp(next: WorkerPlan): void {
  plan = next;
  for (const spec of next.clients) if (spec.writerId !== undefined) localWriters.add(spec.writerId);
  for (const spec of next.clients) {
    const client = createBenchClient(next.kind, next.wsUrl, spec.room, spec.token);
    const member: Member = { spec, client, pairs: new Map(), seq: 0, frozen: false };
    members.set(spec.id, member);
    client.onDrop(() => {
      if (!freezeArmed) return;
      member.frozen = true;
      client.disconnect();
    });
    client.awareness.setLocalStateField('user', { name: `bench-${spec.id}`, color: '#3366ff' });
    // Writers anywhere in the run: a reader counts every writer of its room, local or not.
    for (const [writerId, room] of Object.entries(next.writers)) if (room === spec.room) watchWriter(member, writerId);
  }
}

/** Starts counting a writer's updates at every reader of its room in this process. */
function watchWriter(member: Member, writerId: string): void {
  if (member.spec.writerId === writerId || member.pairs.has(writerId)) return;
  const pair: Pair = { received: 0, expected: 1, contiguous: 0, pending: new Set() };
  member.pairs.set(writerId, pair);
  const measure = localWriters.has(writerId);
  member.client.doc.getArray<Stamp>(logKey(writerId)).observe((event) => {
    const arrived = now();
    for (const item of event.changes.added) {
      for (const stamp of item.content.getContent() as Stamp[]) {
        pair.received++;
        if (stamp.s > pair.expected) gaps++;
        pair.expected = Math.max(pair.expected, stamp.s + 1);
        pair.pending.add(stamp.s);
        while (pair.pending.delete(pair.contiguous + 1)) pair.contiguous++;
        if (recording && measure) {
          delays.push(arrived - stamp.t);
          if (traceDir && arrived - stamp.t > SLOW_UPDATE_MS) slow.push(`${Math.round(stamp.t)} ${Math.round(arrived - stamp.t)} ${writerId}`);
        }
      }
    }
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
  if (member.frozen || !member.client.open() || member.spec.writerId === undefined) return;
  const writerId = member.spec.writerId;
  const doc = member.client.doc;
  const seq = ++member.seq;
  doc.transact(() => {
    const text = doc.getText(textKey(writerId));
    text.insert(text.length, String.fromCharCode(97 + (seq % 26)));
    doc.getArray<Stamp>(logKey(writerId)).push([{ s: seq, t: now() }]);
  });
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
  gaps = 0;
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
    gaps,
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
    for (const [writerId, pair] of member.pairs) result[writerId] = Math.max(result[writerId] ?? 0, pair.contiguous);
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
      for (const writerId of room.writers) {
        const seqs = new Set(client.doc.getArray<Stamp>(logKey(writerId)).toArray().map((stamp) => stamp.s));
        let contiguous = 0;
        while (seqs.has(contiguous + 1)) contiguous++;
        held[writerId] = contiguous;
        total += contiguous;
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

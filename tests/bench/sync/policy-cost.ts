/**
 * What Waymark's update check costs per update, next to the Yjs apply it guards, in one process
 * with no sockets. For each kind of edit, a few updates made by a client through the model, then
 * for every iteration a fresh copy of the server's document (untimed) and on it, timed apart, in
 * the room's order (rooms/update-intake.ts, UpdateIntake.take):
 *  - the check: readUpdate (the bounded decode) + missingDependency + checkUpdate, the work the
 *    policy adds to a room's path;
 *  - Y.applyUpdate of the same update on the same document, which the room does anyway.
 * And on a second fresh copy, the apply alone (the path without the check). Whatever runs first on
 * a just-built copy finds cold caches; the check, coming first, pays for that and leaves the
 * apply after it a little warmer, which the apply alone shows. The check is also timed a second
 * time between the two (it changes nothing), for what it costs with everything in cache. Garbage collection is left to V8
 * (a forced collection per iteration moves the copy to the old space and slows whatever follows),
 * so a p99 may hold a scavenge of the harness's copies.
 *
 * The policy functions are not exported by @waymark/server (its index exports the server), so
 * they are imported from its build by path: the code the bench's Waymark server runs.
 *
 * Started as a child process by scenarios/policy-cost.ts; answers over IPC.
 */
import { addCard, moveCard, readCards, readLanes, readStages, spliceCardText } from '@waymark/model';
import * as Y from 'yjs';
import { checkUpdate, type UpdateSender } from '../../../apps/server/dist/policy/update-policy.js';
import { missingDependency } from '../../../apps/server/dist/sync/update-dependencies.js';
import { readUpdate } from '../../../apps/server/dist/sync/update-reader.js';
import { seededRandom } from '../../support/random.js';
import { CARDS, seedBenchMap } from '../editor/bench-map.js';
import type { PolicyCostRequest, PolicyCostRow } from './protocol.js';

/** The server's default MAX_UPDATE_PARTS. */
const MAX_PARTS = 100_000;
const PASTE_CARDS = 1000;
const editor: UpdateSender = { role: 'editor', owns: () => true };

interface Operation {
  name: string;
  /** Distinct updates of this kind, each made on a copy of the map as the server holds it. */
  variants: number;
  iterations: number;
  warmUp: number;
  /** Makes the edit on a client's copy of the map (the update is what the client sends). */
  edit(doc: Y.Doc, random: () => number): void;
}

const copyOf = (state: Uint8Array): Y.Doc => {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, state);
  return doc;
};

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** The one update a client sends for `edit`, made on a fresh copy of the map. */
function updateFor(state: Uint8Array, operation: Operation, random: () => number): Uint8Array {
  const doc = copyOf(state);
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  operation.edit(doc, random);
  doc.destroy();
  if (updates.length !== 1) throw new Error(`${operation.name}: expected one update, got ${updates.length}`);
  return updates[0]!;
}

const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const micros = (samples: number[]) => {
  const sorted = Float64Array.from(samples).sort();
  return { p50: quantile(sorted, 0.5) * 1000, p99: quantile(sorted, 0.99) * 1000 };
};

function measure(state: Uint8Array, operation: Operation, mapCards: number, random: () => number): PolicyCostRow {
  const updates = Array.from({ length: operation.variants }, () => updateFor(state, operation, random));
  const read: number[] = [];
  const dependencies: number[] = [];
  const policy: number[] = [];
  const check: number[] = [];
  const apply: number[] = [];
  const applyAlone: number[] = [];
  const checkWarm: number[] = [];
  let parts = 0;
  for (let i = 0; i < operation.warmUp + operation.iterations; i++) {
    const update = updates[i % updates.length]!;
    const unchecked = copyOf(state);
    const started = performance.now();
    Y.applyUpdate(unchecked, update, { kind: 'remote' });
    const alone = performance.now() - started;
    unchecked.destroy();
    const doc = copyOf(state);
    const t0 = performance.now();
    const decoded = readUpdate(update, MAX_PARTS);
    const t1 = performance.now();
    const missing = missingDependency(doc, decoded);
    const t2 = performance.now();
    const checked = checkUpdate(doc, decoded, editor, MAX_PARTS);
    const t3 = performance.now();
    // The same check once more (it changes nothing): what it costs with code and data in cache.
    const again = readUpdate(update, MAX_PARTS);
    missingDependency(doc, again);
    checkUpdate(doc, again, editor, MAX_PARTS);
    const t4 = performance.now();
    Y.applyUpdate(doc, update, { kind: 'remote' });
    const t5 = performance.now();
    doc.destroy();
    // A refused update would measure the refusal, not the check of an edit people make.
    if (missing) throw new Error(`${operation.name}: ${missing}`);
    if (!checked.verdict.ok) throw new Error(`${operation.name} refused: ${checked.verdict.reasons.join('; ')}`);
    if (i < operation.warmUp) continue;
    parts = decoded.parts;
    read.push(t1 - t0);
    dependencies.push(t2 - t1);
    policy.push(t3 - t2);
    check.push(t3 - t0);
    apply.push(t5 - t4);
    applyAlone.push(alone);
    checkWarm.push(t4 - t3);
  }
  const checkUs = micros(check);
  const applyUs = micros(apply);
  return {
    operation: operation.name,
    mapCards,
    updateBytes: Math.round(updates.reduce((n, u) => n + u.byteLength, 0) / updates.length),
    parts,
    variants: updates.length,
    iterations: operation.iterations,
    checkUs,
    readUs: micros(read),
    dependenciesUs: micros(dependencies),
    policyUs: micros(policy),
    applyUs,
    applyAloneUs: micros(applyAlone),
    checkWarmUs: micros(checkWarm),
    ratioP50: checkUs.p50 / applyUs.p50,
    ratioP99: checkUs.p99 / applyUs.p99,
  };
}

/** The three edits of the issue, at `scale` × the default iterations. */
function operations(scale: number): Operation[] {
  const iterations = (n: number) => Math.max(Math.round(n / 10), Math.round(n * scale));
  return [
    {
      name: 'keystroke (one character into a card)',
      variants: 64,
      iterations: iterations(1000),
      warmUp: 200,
      edit(doc, random) {
        const card = pick(random, readCards(doc));
        spliceCardText(doc, card.id, { index: Math.floor(random() * (card.text.length + 1)), remove: 0, insert: 'x' });
      },
    },
    {
      name: 'card move (moveCard: stageId, laneId, order)',
      variants: 64,
      iterations: iterations(1000),
      warmUp: 200,
      edit(doc, random) {
        const card = pick(random, readCards(doc));
        const stage = pick(
          random,
          readStages(doc).filter((s) => s.id !== card.stageId),
        );
        const lane = pick(
          random,
          readLanes(doc).filter((l) => l.kind !== 'emotions'),
        );
        moveCard(doc, card.id, { stageId: stage.id, laneId: lane.id });
      },
    },
    {
      name: `paste ${PASTE_CARDS.toLocaleString('en')} cards (addCard × ${PASTE_CARDS.toLocaleString('en')}, one transaction)`,
      variants: 2,
      iterations: iterations(50),
      warmUp: 5,
      edit(doc, random) {
        const stage = pick(random, readStages(doc));
        const lane = pick(
          random,
          readLanes(doc).filter((l) => l.kind !== 'emotions'),
        );
        doc.transact(() => {
          for (let i = 0; i < PASTE_CARDS; i++) addCard(doc, { stageId: stage.id, laneId: lane.id, text: `Pasted note ${i}` });
        });
      },
    },
  ];
}

export function policyCost(request: PolicyCostRequest): PolicyCostRow[] {
  const random = seededRandom(request.seed);
  // The editor benchmark's map: 12 stages × 10 lanes, two personas, 500 cards, emotion scores.
  const client = new Y.Doc();
  seedBenchMap(client);
  const server = copyOf(Y.encodeStateAsUpdate(client));
  client.destroy();
  const state = Y.encodeStateAsUpdate(server);
  server.destroy();
  return operations(request.scale).map((operation) => measure(state, operation, CARDS, random));
}

process.on('message', (request: PolicyCostRequest) => {
  try {
    process.send?.({ type: 'policy-cost', rows: policyCost(request) });
  } catch (error) {
    process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));

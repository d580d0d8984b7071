/**
 * What the bench clients write, on every server alike: a journey map made from a template, and
 * in it one card per writer, which that writer types into one character per update
 * (`cards/<id>/text`), all through the model's write API. Waymark refuses writes outside the
 * model, so this is also the only load whose fan-out it relays.
 *
 * A writer's card is found by its author (`bench-<writerId>`), so readers in any process know it
 * without being told its random id. Only the writer types into its card, which starts empty, so
 * the card's text length is the number of updates of that writer a document holds: Yjs integrates
 * one client's updates in order, so that count has no gaps.
 */
import { addCard, createMapFromTemplate, readLanes, readStages, spliceCardText, topLevelMap } from '@waymark/model';
import * as Y from 'yjs';

/** The template every bench map is made from (Waymark: POST /api/maps; the others: seeded). */
export const BENCH_TEMPLATE = 'buyer-journey';

let templateState: Uint8Array | undefined;

/**
 * The template map as one Yjs update, made once per run. The servers without a map API get it
 * from their clients: each applies these same bytes before connecting, so every room of theirs
 * holds the same map a Waymark room is created with.
 */
export function benchTemplateState(): Uint8Array {
  if (!templateState) {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Bench map', template: BENCH_TEMPLATE }, { kind: 'server' });
    templateState = Y.encodeStateAsUpdate(doc);
    doc.destroy();
  }
  return templateState;
}

export const writerAuthor = (writerId: string) => `bench-${writerId}`;

/**
 * Adds the writer's card to a synced map document, in a cell of its own where the map has enough
 * card cells (the emotion lane holds a curve, not cards). Returns the card's id.
 */
export function addWriterCard(doc: Y.Doc, writerId: string, index: number): string {
  const stages = readStages(doc);
  const lanes = readLanes(doc).filter((lane) => lane.kind !== 'emotions');
  if (stages.length === 0 || lanes.length === 0) throw new Error('the bench map has no stages or lanes yet (not synced?)');
  const stage = stages[index % stages.length]!;
  const lane = lanes[Math.floor(index / stages.length) % lanes.length]!;
  return addCard(doc, { stageId: stage.id, laneId: lane.id, text: '', author: writerAuthor(writerId) });
}

/** Types one character at the end of the card: one keystroke, one update. */
export function typeKeystroke(doc: Y.Doc, cardId: string, seq: number): void {
  const text = cardText(doc, cardId);
  spliceCardText(doc, cardId, { index: text?.length ?? 0, remove: 0, insert: String.fromCharCode(97 + (seq % 26)) });
}

/** The shared text of a card, if the document holds the card. */
export function cardText(doc: Y.Doc, cardId: string): Y.Text | undefined {
  const record = topLevelMap(doc, 'cards').get(cardId);
  const text = record instanceof Y.Map ? record.get('text') : undefined;
  return text instanceof Y.Text ? text : undefined;
}

/** The card each bench writer's author name is on, among the cards the document holds now. */
export function writerCards(doc: Y.Doc): Map<string, string> {
  const byAuthor = new Map<string, string>();
  for (const [id, record] of topLevelMap(doc, 'cards')) {
    const author = record instanceof Y.Map ? record.get('author') : undefined;
    if (typeof author === 'string' && author.startsWith('bench-')) byAuthor.set(author, id);
  }
  return byAuthor;
}

/**
 * Calls `found(author, cardId)` for every bench writer's card that arrives from now on (a card
 * arrives whole: its fields come in the transaction that adds it).
 */
export function onWriterCard(doc: Y.Doc, found: (author: string, cardId: string) => void): void {
  topLevelMap(doc, 'cards').observe((event) => {
    for (const [id, change] of event.changes.keys) {
      if (change.action !== 'add') continue;
      const record = topLevelMap(doc, 'cards').get(id);
      const author = record instanceof Y.Map ? record.get('author') : undefined;
      if (typeof author === 'string' && author.startsWith('bench-')) found(author, id);
    }
  });
}

import type * as Y from 'yjs';
import { topLevelMap } from './doc-keys.js';
import { parseOrReport } from './problems.js';
import { cardContext, parseCard, type Card, type CardContext } from './records/card.js';
import { collectLanes } from './records/lane.js';
import { collectPersonas } from './records/persona.js';
import { collectStages } from './records/stage.js';

/**
 * Incremental reading for views that keep one piece of state per record: a 500-card map
 * should not be re-read whole because someone typed one letter into one card.
 */

/** What `observeDeep` hands a listener; only the fields we read. */
export interface DeepEvent {
  readonly target: unknown;
  readonly keysChanged: ReadonlySet<string>;
  readonly path: readonly (string | number)[];
}

/**
 * Ids of the records in `collection` that a batch of `collection.observeDeep` events
 * touched: keys added, replaced or deleted at the top, plus any record with a change
 * somewhere inside it (a field, its text, its metrics).
 */
export function changedRecordIds(collection: Y.Map<unknown>, events: readonly DeepEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.target === collection) {
      for (const key of event.keysChanged) ids.add(key);
      continue;
    }
    const first = event.path[0];
    if (typeof first === 'string') ids.add(first);
  }
  return ids;
}

/**
 * The validated cards with these ids, checked against the current stages, lanes and
 * personas exactly as `readCards` would; null for an id that is gone or does not validate.
 * A view that keeps the structure already passes its `context` (see `cardContext`), so a
 * keystroke reads one card and nothing else.
 */
export function readCardsById(doc: Y.Doc, ids: Iterable<string>, context: CardContext = structureOf(doc)): Map<string, Card | null> {
  const cards = topLevelMap(doc, 'cards');
  const result = new Map<string, Card | null>();
  for (const id of ids) {
    const value = cards.get(id);
    const card = value === undefined ? undefined : parseOrReport('cards', id, [], () => parseCard(id, value, context, []));
    result.set(id, card ?? null);
  }
  return result;
}

function structureOf(doc: Y.Doc): CardContext {
  return cardContext(collectStages(doc, []), collectLanes(doc, []), collectPersonas(doc, []));
}

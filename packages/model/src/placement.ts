import { orderBetween, type OrderedRecord } from './order.js';

/**
 * Where to put a record among its siblings. Give `after` or `before`, not both: the write
 * computes its neighbours from the document as it is at that moment, so a second anchor
 * captured earlier by the UI could already be stale. `after: null` = first,
 * `before: null` = last, neither = last.
 */
export interface Placement {
  readonly after?: string | null | undefined;
  readonly before?: string | null | undefined;
}

/**
 * The order key for a placement among `siblings` (sorted by (order, id), without the record
 * being placed). Neighbours that share the anchor's key (concurrent inserts) are skipped, so
 * the result is always strictly between two different keys.
 */
export function orderForPlacement(siblings: readonly OrderedRecord[], placement: Placement, what: string): string {
  const { after, before } = placement;
  if (after !== undefined && before !== undefined) {
    throw new Error(`${what}: give either "after" or "before", not both`);
  }
  const first = siblings[0];
  const last = siblings[siblings.length - 1];
  if (after === null) return orderBetween(null, first?.order ?? null);
  if (before === null || (after === undefined && before === undefined)) {
    return orderBetween(last?.order ?? null, null);
  }
  const anchorId = (after ?? before) as string;
  const anchorIndex = siblings.findIndex((sibling) => sibling.id === anchorId);
  const anchor = siblings[anchorIndex];
  if (anchor === undefined) throw new Error(`${what}: unknown anchor "${anchorId}"`);
  if (after !== undefined) {
    const next = siblings.slice(anchorIndex + 1).find((sibling) => sibling.order > anchor.order);
    return orderBetween(anchor.order, next?.order ?? null);
  }
  const previous = siblings
    .slice(0, anchorIndex)
    .reverse()
    .find((sibling) => sibling.order < anchor.order);
  return orderBetween(previous?.order ?? null, anchor.order);
}

import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import type { Origin } from '../origin.js';
import { checkMetaPatch, type MetaPatch } from '../records/meta.js';
import { transactAs } from './transaction.js';

/** Updates title, goal and/or scope; only the given fields are written. */
export function setMeta(doc: Y.Doc, patch: MetaPatch, origin?: Origin): void {
  const checked = checkMetaPatch(patch);
  transactAs(doc, origin, () => {
    const meta = topLevelMap(doc, 'meta');
    for (const [field, value] of Object.entries(checked)) {
      if (value !== undefined) meta.set(field, value);
    }
  });
}

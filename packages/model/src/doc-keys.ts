import * as Y from 'yjs';
import { holdsContent, topLevelTypes } from './yjs-adapter.js';

/**
 * The top-level shared types of a map document, each a Y.Map. The list is part of the
 * document format: a key is never renamed or reused for another purpose.
 */
export const TOP_LEVEL_KEYS = [
  'meta',
  'stages',
  'lanes',
  'cards',
  'personas',
  'emotions',
  'workshop',
  'actions',
  'comments',
  'metrics',
] as const;

export type TopLevelKey = (typeof TOP_LEVEL_KEYS)[number];

/** Collections the readers validate; problems name one of these. */
export type RecordCollection = 'meta' | 'stages' | 'lanes' | 'cards' | 'personas' | 'emotions' | 'actions' | 'comments' | 'metrics';

/**
 * The top-level map for `key`. Values are `unknown` on purpose: anything a peer wrote can
 * be in there, and the record modules validate before use.
 */
export function topLevelMap(doc: Y.Doc, key: TopLevelKey): Y.Map<unknown> {
  return doc.getMap<unknown>(key);
}

/** The record Y.Map stored under `id` in a collection, if the value is one. */
export function recordMap(doc: Y.Doc, key: TopLevelKey, id: string): Y.Map<unknown> | undefined {
  const value = topLevelMap(doc, key).get(id);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

/**
 * Top-level types holding content this version never writes: a key it has no name for, or
 * list content (a Y.Array or Y.Text) under one of its keys, which are all Y.Maps. Either means
 * a newer Waymark wrote the document. Yjs keeps a root it has no constructor for as a bare
 * type, so what it holds is read through the Yjs adapter.
 */
export function unfamiliarTopLevelKeys(doc: Y.Doc): string[] {
  const known: ReadonlySet<string> = new Set(TOP_LEVEL_KEYS);
  const unfamiliar: string[] = [];
  for (const [key, type] of topLevelTypes(doc)) {
    const holds = holdsContent(type);
    if (holds.list || (!known.has(key) && holds.entries)) unfamiliar.push(key);
  }
  return unfamiliar;
}

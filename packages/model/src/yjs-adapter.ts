import * as Y from 'yjs';

/**
 * Every place Waymark reads or changes Yjs beyond its documented API, in one module. Each is
 * here because no public call gives the same thing (or none at a cost that matters), and
 * yjs-adapter.test.ts pins what each relies on, so a Yjs upgrade that changes one fails a test
 * rather than a user. Add to it only with a reason and a test.
 */

/** Any shared type (Y.Map, Y.Text, a bare top-level type), as Yjs itself types them in `Doc.share`. */
export type SharedType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

/** The item that holds a nested type (a record's Y.Map in its collection, a card's Y.Text); null for a top-level type. */
export function holderOf(type: { readonly _item: Y.Item | null }): Y.Item | null {
  return type._item;
}

/** The name of a top-level type of `doc`, looked up each time (asking for a top-level type as a Y.Map replaces the bare type Yjs made for it, so names cannot be kept by identity). */
export function topLevelNameOf(doc: Y.Doc, type: unknown): string | undefined {
  for (const [name, top] of doc.share) if (top === type) return name;
  return undefined;
}

/** The top-level types of `doc` by name, including those it holds only as bare types (a root it has no constructor for). */
export function topLevelTypes(doc: Y.Doc): ReadonlyMap<string, SharedType> {
  return doc.share;
}

/** Whether a map has, or once had, `key`: Yjs keeps the last item of every key a map ever held, deleted or not. */
export function everHadKey(type: { readonly _map: Map<string, Y.Item> } | undefined, key: string): boolean {
  return type?._map.has(key) ?? false;
}

/** The client whose item holds a map's live value under `key` (who wrote it last); undefined when the key holds nothing. */
export function entryWriter(type: { readonly _map: Map<string, Y.Item> }, key: string): number | undefined {
  const item = type._map.get(key);
  return item === undefined || item.deleted ? undefined : item.id.client;
}

/** Whether a type holds content as a list (live list items) or any live map entry: how a bare type shows what it holds. */
export function holdsContent(type: { readonly _length: number; readonly _map: Map<string, Y.Item> }): { list: boolean; entries: boolean } {
  return { list: type._length > 0, entries: [...type._map.values()].some((item) => !item.deleted) };
}

/** Whether the document holds structs or deletions still waiting for content it lacks. */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/** The structs waiting for content the document lacks, as Yjs keeps them (a v2 update), or null. */
export function pendingUpdate(doc: Y.Doc): Uint8Array | null {
  return doc.store.pendingStructs?.update ?? null;
}

/** Forgets whatever waits for content the document lacks, so none of it reaches a snapshot. */
export function dropPending(doc: Y.Doc): void {
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
}

/**
 * Yjs decodes each stored value (a map field, an array element) into an array grown by `push`,
 * which reserves room for about 17 values where one is held: some 128 bytes wasted per value.
 * Copying each array after a load gives that back (megabytes on a big map, measured in the
 * sync benchmark's many-rooms heap figure).
 */
export function trimValueArrays(doc: Y.Doc): void {
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      if (struct instanceof Y.Item && struct.content instanceof Y.ContentAny) struct.content.arr = struct.content.arr.slice();
    }
  }
}

/**
 * Drops the listeners a Y.Doc sets on itself for its `whenLoaded`/`whenSynced` promises, for a
 * document no provider will ever settle (a server room's), which would otherwise keep them for nothing.
 */
export function dropSelfListeners(doc: Y.Doc): void {
  doc._observers.clear();
}

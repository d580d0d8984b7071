import * as Y from 'yjs';
import type { DecodedUpdate } from './protocol.js';
import type { StructId } from './update-reader.js';

/**
 * Why an update cannot be integrated completely into `doc`, or null when it can. Yjs keeps an
 * update whose dependencies are missing as "pending" inside the document, where it would leak
 * into snapshots and replies; the stock client never sends one (it syncs first), so the room
 * refuses it before applying anything and the client resyncs on reconnect.
 */
export function missingDependency(doc: Y.Doc, { structs, deletes }: DecodedUpdate): string | null {
  const provided = new Map<number, { start: number; end: number }>();
  for (const struct of structs) {
    if (struct.kind === 'skip') return 'update has a gap in its history';
    const { client, clock } = struct.id;
    const range = provided.get(client);
    if (!range) provided.set(client, { start: clock, end: clock + struct.length });
    else if (clock !== range.end) return 'update has a gap in its history';
    else range.end = clock + struct.length;
  }
  const state = (client: number) => Y.getState(doc.store, client);
  for (const [client, range] of provided) {
    if (range.start > state(client)) return 'update builds on changes the server does not have';
  }
  const known = (id: StructId): boolean => {
    if (id.clock < state(id.client)) return true;
    const range = provided.get(id.client);
    return range !== undefined && id.clock >= range.start && id.clock < range.end;
  };
  for (const struct of structs) {
    if (struct.kind !== 'item') continue;
    if (struct.origin && !known(struct.origin)) return 'update refers to content the server does not have';
    if (struct.rightOrigin && !known(struct.rightOrigin)) return 'update refers to content the server does not have';
    if (struct.parent !== null && typeof struct.parent !== 'string' && !known(struct.parent)) {
      return 'update refers to content the server does not have';
    }
  }
  for (const { client, clock, length } of deletes) {
    const end = Math.max(state(client), provided.get(client)?.end ?? 0);
    if (clock + length > end) return 'update deletes content the server does not have';
  }
  return null;
}

import { pendingUpdate, serverOrigin } from '@waymark/model';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * Yjs integrates a client's changes in clock order: when a stored part is lost, every later
 * change by the same client waits forever for the missing clocks. This fills each gap with a
 * collected range (a GC struct: content known to be gone), so those later changes integrate;
 * whatever was placed relative to the lost content is collected with it. Returns how many gaps
 * were filled.
 */
export function bridgeLostRanges(doc: Y.Doc, maxRounds = 100): number {
  let bridged = 0;
  for (let round = 0; round < maxRounds; round++) {
    const pending = pendingUpdate(doc);
    if (!pending) break;
    const starts = new Map<number, number>();
    // Yjs keeps the waiting structs as a v2 update.
    for (const struct of Y.decodeUpdateV2(pending).structs) {
      const { client, clock } = struct.id;
      starts.set(client, Math.min(starts.get(client) ?? Number.POSITIVE_INFINITY, clock));
    }
    let filled = false;
    for (const [client, start] of starts) {
      const have = Y.getState(doc.store, client);
      if (start <= have) continue;
      Y.applyUpdate(doc, collectedRange(client, have, start - have), serverOrigin());
      bridged++;
      filled = true;
    }
    if (!filled) break;
  }
  return bridged;
}

/** A v1 update holding one GC struct of `length` clocks for `client` from `clock`, and no deletions. */
function collectedRange(client: number, clock: number, length: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // clients
  encoding.writeVarUint(encoder, 1); // structs of this client
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  encoding.writeUint8(encoder, 0); // GC
  encoding.writeVarUint(encoder, length);
  encoding.writeVarUint(encoder, 0); // delete set: no clients
  return encoding.toUint8Array(encoder);
}

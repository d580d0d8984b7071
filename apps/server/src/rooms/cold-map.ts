import * as Y from 'yjs';
import { encodeSyncStep2, encodeSyncUpdate } from '../sync/protocol.js';
import type { RoomConnection } from './room-connection.js';

/** What a joining client with nothing is told once every stored part has been sent. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * A room's stored map before its document is built. A room goes live as soon as its bytes are
 * read: the first clients are sent those bytes while the document is built, so a big map's cold
 * load costs about one Yjs apply, on the client, instead of two in a row.
 */
export class ColdMap {
  /**
   * The stored parts not yet known to decode: the log, and the snapshot too unless the store
   * checked it against its checksum. Decoded once, before the first cold reply leaves.
   */
  #unchecked: readonly Uint8Array[];
  /** Joined while cold: they get the server's sync step 1 once the document is built. */
  readonly awaitingStep1 = new Set<RoomConnection>();

  constructor(
    /** The snapshot (if any), then the log. */
    readonly parts: readonly Uint8Array[],
    snapshotChecked: boolean,
  ) {
    this.#unchecked = snapshotChecked ? parts.slice(1) : parts;
  }

  /**
   * A sync reply straight from the stored bytes; false (nothing sent) when a stored part does not
   * decode, and the document must be built (leaving it out) to answer.
   */
  reply(connection: RoomConnection, stateVector: Uint8Array): boolean {
    try {
      for (const part of this.#unchecked) Y.decodeUpdate(part);
    } catch {
      return false;
    }
    this.#unchecked = [];
    const empty = Y.decodeStateVector(stateVector).size === 0;
    for (const part of this.parts) connection.send(encodeSyncUpdate(empty ? part : Y.diffUpdate(part, stateVector)));
    connection.send(encodeSyncStep2(EMPTY_UPDATE));
    return true;
  }
}

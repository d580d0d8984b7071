import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { encodeAwareness } from '../sync/protocol.js';
import { RoomConnection } from './room-connection.js';

/**
 * A room's presence (the y-websocket awareness): who is here, their cursors and selections,
 * plus one entry of the server's own for notices such as "read-only". Entries are relayed only
 * when their clock moves forward, so the stock client's habit of re-broadcasting what it hears
 * does not echo around the room, and presence never touches storage.
 */
export class Presence {
  readonly #awareness: awarenessProtocol.Awareness;

  constructor(
    doc: Y.Doc,
    readonly broadcast: (frame: Uint8Array, except: unknown) => void,
  ) {
    this.#awareness = new awarenessProtocol.Awareness(doc);
    this.#awareness.setLocalState(null);
    this.#awareness.on('update', this.#relay);
  }

  /** Every current entry, for a client that just joined or asked. */
  snapshotFrame(): Uint8Array | null {
    const clients = [...this.#awareness.getStates().keys()];
    if (clients.length === 0) return null;
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, clients));
  }

  apply(connection: RoomConnection, update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.#awareness, update, connection);
  }

  /** Removes everyone a departing connection spoke for, and tells the others. */
  leave(connection: RoomConnection): void {
    if (connection.awarenessClients.size === 0) return;
    awarenessProtocol.removeAwarenessStates(this.#awareness, [...connection.awarenessClients], connection);
  }

  /** The server's own entry: a notice every client can show, or null to clear it. */
  setServerNotice(notice: { readOnly: boolean; reason: string } | null): void {
    this.#awareness.setLocalState(notice ? { server: notice } : null);
  }

  destroy(): void {
    this.#awareness.off('update', this.#relay);
    this.#awareness.destroy();
  }

  readonly #relay = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const clients = [...change.added, ...change.updated, ...change.removed];
    if (clients.length === 0) return;
    // A connection speaks for the entries it moved forward, not for the echoes of other
    // people's presence that the stock client sends back (their clocks are not newer).
    if (origin instanceof RoomConnection) {
      for (const id of change.added) origin.awarenessClients.add(id);
      for (const id of change.updated) origin.awarenessClients.add(id);
      for (const id of change.removed) origin.awarenessClients.delete(id);
    }
    this.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, clients)), origin);
  };
}

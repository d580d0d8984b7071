import { dropPending, hasPending, remoteOrigin } from '@waymark/model';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { FanoutListener, RoomChannel } from '../fanout/room-fanout.js';
import type { MapStore } from '../storage/map-store.js';
import { decodeMessage, encodeSyncUpdate } from '../sync/protocol.js';
import type { CommitQueue } from './commit-queue.js';
import type { Presence } from './presence.js';
import { broadcast, type RoomConnection } from './room-connection.js';

/** What taking other nodes' changes needs of the room. */
export interface RemoteRoom {
  readonly mapId: string;
  readonly doc: Y.Doc;
  readonly log: CommitQueue;
  readonly presence: Presence;
  readonly connections: ReadonlySet<RoomConnection>;
  readonly store: MapStore;
  readonly maxUpdateParts: number;
  readonly logger: () => Logger;
  /** The room's channel to the other nodes, once open. */
  channel(): RoomChannel | null;
  /** Whether the room is live. */
  live(): boolean;
  /** Builds a cold room's document; false when that failed and the room closed. */
  build(): boolean;
}

/**
 * What other nodes serving the map send this room (through the fan-out): their accepted updates,
 * applied here as remote changes and relayed to every connection like an accepted edit of this
 * node's, but neither stored nor published again; their presence, through the same clock rule as
 * this node's; and, when the stream may have missed something, a catch-up from the store.
 */
export class RemoteChanges implements FanoutListener {
  constructor(readonly room: RemoteRoom) {}

  update(update: Uint8Array, seq: number): void {
    const { room } = this;
    if (!room.live() || !room.build()) return;
    Y.applyUpdate(room.doc, update, remoteOrigin('fanout'));
    if (hasPending(room.doc)) {
      // It needs an update this node has not had (a stream entry that never came): the store has both.
      dropPending(room.doc);
      void this.#catchUp();
      return;
    }
    room.log.noteStoredElsewhere(seq);
    broadcast(room.connections, encodeSyncUpdate(update), null);
  }

  awareness(frame: Uint8Array): void {
    if (!this.room.live()) return;
    const message = decodeMessage(frame, this.room.maxUpdateParts);
    if (message.type === 'awareness') this.room.presence.applyRemote(message.entries);
  }

  resync(): void {
    void this.#catchUp();
  }

  presenceWanted(): void {
    if (!this.room.live()) return;
    const frame = this.room.presence.localFrame();
    if (frame) this.room.channel()?.publishAwareness(frame);
  }

  /** Applies what the store holds that the document lacks, and relays it. */
  async #catchUp(): Promise<void> {
    const { room } = this;
    if (!room.live() || !room.build()) return;
    try {
      const stored = await room.store.load(room.mapId);
      if (!room.live()) return;
      const before = Y.encodeStateVector(room.doc);
      const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
      Y.applyUpdate(room.doc, Y.mergeUpdates(parts), remoteOrigin('fanout'));
      if (hasPending(room.doc)) {
        dropPending(room.doc);
        room.logger().error('the stored map refers to content it does not hold; left out');
      }
      room.log.noteStoredElsewhere(0, stored.lastSeq);
      broadcast(room.connections, encodeSyncUpdate(Y.encodeStateAsUpdate(room.doc, before)), null);
    } catch (error) {
      room.logger().warn({ err: error }, 'catching up from the store failed');
    }
  }
}

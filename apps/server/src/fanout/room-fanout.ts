import type { NodeEvent } from './node-events.js';

/**
 * What a room needs of the fan-out between nodes, and nothing of Redis: with REDIS_URL set the
 * server passes a RedisFanout (redis-fanout.ts); without it rooms have none and serve this node's
 * connections only.
 */
export interface RoomFanout {
  /**
   * Opens the map's channel. Called before the room reads the store, so the channel's position is
   * taken first: everything another node commits after the read is delivered, and what it
   * committed before is in what the room reads. Rejects when the fan-out cannot be reached.
   */
  open(mapId: string, listener: FanoutListener): Promise<RoomChannel>;
  /** Tells every other node of something that changes what their sessions may do (node-events.ts). */
  announce(event: NodeEvent): void;
  /** Hears other nodes' announcements from now on; returns what stops it. */
  onEvents(listener: NodeEventListener): () => void;
  close(): Promise<void>;
}

/** What a node hears of the others' announcements. */
export interface NodeEventListener {
  event(event: NodeEvent): void;
  /**
   * Announcements may have been missed (the fan-out was out of reach): whatever they could have
   * said is checked against the store instead.
   */
  missed(): void;
}

/** What another node sent the room. */
export interface FanoutListener {
  /** An update another node accepted and committed to the store under sequence number `seq`. */
  update(update: Uint8Array, seq: number): void;
  /** An awareness frame (y-websocket's message) of the presence entries another node relayed. */
  awareness(frame: Uint8Array): void;
  /** Another node opened the room: it lacks this node's people until they next renew their presence. */
  presenceWanted(): void;
  /**
   * The stream may have missed updates (Redis restarted, or a node could not append what it had
   * stored): the room takes what the store holds that its document lacks.
   */
  resync(): void;
}

/** One live room's channel to the other nodes serving its map. */
export interface RoomChannel {
  /** Starts delivering to the listener (the room is live), from the position taken when it opened. */
  start(): void;
  /** Updates this node has just committed, the last of them under sequence number `lastSeq`. */
  publishUpdates(updates: readonly Uint8Array[], lastSeq: number): void;
  /** An awareness frame of the entries this node's connections moved forward. */
  publishAwareness(frame: Uint8Array): void;
  /** Asks the other nodes serving the map for their people's presence (the room just opened here). */
  askForPresence(): void;
  /** Stops delivering; the room has unloaded. */
  close(): void;
}

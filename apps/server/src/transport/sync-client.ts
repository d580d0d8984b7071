import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { LINK_EXPIRED } from '../access/link-authority.js';
import type { Permission } from '../access/roles.js';
import { RoomLoadError, type Room } from '../rooms/room.js';
import { RoomConnection, type RateLimit } from '../rooms/room-connection.js';
import type { Ticking } from '../shared-interval.js';
import { CloseCode } from '../sync/sync-socket.js';
import { WsSyncSocket } from './ws-socket.js';

/** What a client needs of its endpoint's settings. */
export interface SyncClientOptions {
  logger: Logger;
  /** The largest message a client may send. */
  maxMessageBytes: number;
  /** Bytes waiting to be written to a slow reader before it is cut off. */
  maxBufferedBytes: number;
  /** Bytes a connection may send before its room is live. */
  maxPendingBytes: number;
  rateLimit: RateLimit;
}

/**
 * One client from its upgrade to its close: its socket, its connection to the room and, while the
 * room loads, the messages it sent, kept in order and handed over once the room is live.
 */
export class SyncClient extends WsSyncSocket implements Ticking {
  readonly connection: RoomConnection;
  room: Room | null = null;
  /** Messages that arrived before the room was live; null when there are none, or once it is. */
  early: Uint8Array[] | null = null;
  earlyBytes = 0;
  /** Whether it answered the last ping. */
  alive = true;
  #expiry: NodeJS.Timeout | undefined;

  constructor(
    ws: WebSocket,
    permission: Permission,
    /** The link it came in through. */
    readonly linkId: string,
    /** The remote address its connection is counted against. */
    readonly address: string,
    readonly options: SyncClientOptions,
  ) {
    super(ws, options.maxBufferedBytes);
    this.connection = new RoomConnection(this, permission, options.rateLimit, linkId);
  }

  /** Pings the peer, or cuts it off when it did not answer the last ping (the endpoint's ping sweep calls it). */
  tick(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  /** Ends the session when its link expires. */
  expireAt(at: number): void {
    // setTimeout takes at most 2^31-1 ms; a link that far off is checked again then.
    const delay = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
    this.#expiry = setTimeout(() => {
      if (Date.now() < at) return this.expireAt(at);
      this.options.logger.info({ mapId: this.mapId, connection: this.connection.id }, 'closing connection: link expired');
      this.connection.close(CloseCode.forbidden, LINK_EXPIRED);
    }, delay);
    this.#expiry.unref();
  }

  clearExpiry(): void {
    clearTimeout(this.#expiry);
  }

  get mapId(): string {
    return this.connection.permission.mapId;
  }

  receive(bytes: Uint8Array, isBinary: boolean): void {
    const { connection, options } = this;
    if (connection.closed) return;
    if (!isBinary) {
      options.logger.warn({ mapId: this.mapId, connection: connection.id }, 'closing connection: text frame');
      connection.close(CloseCode.badMessage, 'the sync protocol is binary');
      return;
    }
    if (bytes.byteLength > options.maxMessageBytes) {
      options.logger.warn(
        { mapId: this.mapId, connection: connection.id, bytes: bytes.byteLength },
        'closing connection: message too large',
      );
      connection.close(CloseCode.tooLarge, `message of ${bytes.byteLength} bytes is over the limit of ${options.maxMessageBytes}`);
      return;
    }
    if (this.room) {
      this.room.receive(connection, bytes);
      return;
    }
    this.earlyBytes += bytes.byteLength;
    if (this.earlyBytes > options.maxPendingBytes) {
      options.logger.warn(
        { mapId: this.mapId, connection: connection.id, bytes: this.earlyBytes },
        'closing connection: too much sent before the map loaded',
      );
      connection.close(CloseCode.tryAgainLater, 'too much data sent before the map finished loading; reconnecting');
      this.early = null;
      return;
    }
    (this.early ??= []).push(bytes);
  }

  joined(room: Room): void {
    if (this.connection.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.room = room;
    room.join(this.connection);
    const early = this.early ?? [];
    this.early = null;
    for (const bytes of early) room.receive(this.connection, bytes);
  }

  refused(error: unknown): void {
    const reason = error instanceof RoomLoadError ? error.message : 'the map could not be loaded; try again';
    const code = error instanceof RoomLoadError ? error.closeCode : CloseCode.serverError;
    this.options.logger.error({ err: error, mapId: this.mapId }, 'room load failed');
    this.connection.close(code, reason);
  }

  left(): void {
    this.early = null;
    this.room?.leave(this.connection);
  }

  logSocketError(error: Error): void {
    this.options.logger.warn(
      { mapId: this.mapId, connection: this.connection.id, reason: error.message },
      'closing connection: socket error',
    );
  }

  protected override onSlowReader(bufferedBytes: number): void {
    this.options.logger.warn({ mapId: this.mapId, buffered: bufferedBytes }, 'closing connection: slow reader');
  }
}

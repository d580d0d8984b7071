import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { CapabilitySigner } from '../access/capability.js';
import type { Permission } from '../access/roles.js';
import { RoomLoadError } from '../rooms/room.js';
import { RoomConnection, type RateLimit } from '../rooms/room-connection.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { MapStore } from '../storage/map-store.js';
import { CloseCode } from '../sync/sync-socket.js';
import { WsSyncSocket } from './ws-socket.js';

export interface SyncEndpointOptions {
  rooms: RoomRegistry;
  store: MapStore;
  signer: CapabilitySigner;
  logger: Logger;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  /** Bytes a connection may send before its room is live. */
  maxPendingBytes: number;
  maxConnectionsPerIp: number;
  rateLimit: RateLimit;
  /** Interval of WebSocket pings; a socket that misses one is dropped. */
  pingIntervalMs?: number;
}

const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})$/;

/**
 * `ws://HOST:PORT/sync/<mapId>?token=<token>`: checks the token and the map before the upgrade,
 * then hands the socket to the map's room. Knows nothing of storage beyond whether a map exists.
 */
export class SyncEndpoint {
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  readonly #alive = new WeakSet<WebSocket>();
  /** Open and upgrading connections per remote address. */
  readonly #perAddress = new Map<string, number>();
  readonly #ping: NodeJS.Timeout;

  constructor(readonly options: SyncEndpointOptions) {
    // ws itself drops frames past twice the limit (close code 1009) before buffering them; frames
    // between the limit and that are read and refused with a reason the client can show.
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes * 2,
      perMessageDeflate: false,
    });
    this.#ping = setInterval(() => this.#pingAll(), options.pingIntervalMs ?? 30_000);
    this.#ping.unref();
  }

  get connectionCount(): number {
    return this.#sockets.size;
  }

  /** Handles an HTTP upgrade request; returns false when the path is not the sync endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = SYNC_PATH.exec(url.pathname);
    if (!match) return false;
    const mapId = match[1]!;
    const permission = this.options.signer.verify(url.searchParams.get('token'), mapId);
    if (!permission) {
      this.options.logger.info({ mapId }, 'sync refused: missing or invalid token');
      rejectUpgrade(socket, 401, 'Unauthorized', 'a valid map token is required');
      return true;
    }
    const address = request.socket.remoteAddress ?? 'unknown';
    const open = this.#perAddress.get(address) ?? 0;
    if (open >= this.options.maxConnectionsPerIp) {
      this.options.logger.warn({ mapId, connections: open }, 'sync refused: too many connections from one address');
      rejectUpgrade(socket, 429, 'Too Many Requests', `at most ${this.options.maxConnectionsPerIp} connections per address`);
      return true;
    }
    this.#perAddress.set(address, open + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.#perAddress.delete(address);
      else this.#perAddress.set(address, left);
    };
    socket.once('close', release);
    void this.#admit(request, socket, head, permission);
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.#ping);
    for (const ws of this.#sockets) ws.close(CloseCode.goingAway, 'server is shutting down');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  async #admit(request: IncomingMessage, socket: Duplex, head: Buffer, permission: Permission): Promise<void> {
    const { logger, store } = this.options;
    const mapId = permission.mapId;
    try {
      if (!(await store.hasMap(mapId))) {
        rejectUpgrade(socket, 404, 'Not Found', 'no map with this id');
        return;
      }
    } catch (error) {
      logger.error({ err: error, mapId }, 'sync refused: storage unavailable');
      rejectUpgrade(socket, 503, 'Service Unavailable', 'storage unavailable');
      return;
    }
    if (socket.destroyed) return;
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#attach(ws, permission));
  }

  #attach(ws: WebSocket, permission: Permission): void {
    const { logger, rooms } = this.options;
    const mapId = permission.mapId;
    this.#sockets.add(ws);
    this.#alive.add(ws);
    const syncSocket = new WsSyncSocket(ws, {
      maxBufferedBytes: this.options.maxBufferedBytes,
      onSlowReader: (buffered) => logger.warn({ mapId, buffered }, 'closing connection: slow reader'),
    });
    const connection = new RoomConnection(syncSocket, permission, this.options.rateLimit);
    // Messages that arrive while the room loads are kept, in order, and handled once it is live.
    let early: Uint8Array[] | null = [];
    let earlyBytes = 0;
    let room: Awaited<ReturnType<RoomRegistry['acquire']>> | null = null;

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (connection.closed) return;
      const bytes = toBytes(data);
      if (!isBinary) {
        logger.warn({ mapId, connection: connection.id }, 'closing connection: text frame');
        connection.close(CloseCode.badMessage, 'the sync protocol is binary');
        return;
      }
      if (bytes.byteLength > this.options.maxMessageBytes) {
        logger.warn({ mapId, connection: connection.id, bytes: bytes.byteLength }, 'closing connection: message too large');
        connection.close(
          CloseCode.tooLarge,
          `message of ${bytes.byteLength} bytes is over the limit of ${this.options.maxMessageBytes}`,
        );
        return;
      }
      if (room) room.receive(connection, bytes);
      else if (early) {
        earlyBytes += bytes.byteLength;
        if (earlyBytes > this.options.maxPendingBytes) {
          logger.warn({ mapId, connection: connection.id, bytes: earlyBytes }, 'closing connection: too much sent before the map loaded');
          connection.close(CloseCode.tryAgainLater, 'too much data sent before the map finished loading; reconnecting');
          early = null;
          return;
        }
        early.push(bytes);
      }
    });
    ws.on('pong', () => this.#alive.add(ws));
    ws.on('error', (error) => {
      logger.warn({ mapId, connection: connection.id, reason: error.message }, 'closing connection: socket error');
    });
    ws.on('close', () => {
      this.#sockets.delete(ws);
      early = null;
      room?.leave(connection);
    });

    rooms.acquire(mapId).then(
      (loaded) => {
        if (connection.closed || ws.readyState !== ws.OPEN) return;
        room = loaded;
        room.join(connection);
        for (const bytes of early ?? []) room.receive(connection, bytes);
        early = null;
      },
      (error: unknown) => {
        const reason = error instanceof RoomLoadError ? error.message : 'the map could not be loaded; try again';
        const code = error instanceof RoomLoadError ? error.closeCode : CloseCode.serverError;
        logger.error({ err: error, mapId }, 'room load failed');
        connection.close(code, reason);
      },
    );
  }

  #pingAll(): void {
    for (const ws of this.#sockets) {
      if (!this.#alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.#alive.delete(ws);
      ws.ping();
    }
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function rejectUpgrade(socket: Duplex, status: number, statusText: string, message: string): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

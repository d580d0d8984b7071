import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { LinkAuthority } from '../access/link-authority.js';
import type { Permission } from '../access/roles.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { SharedInterval } from '../shared-interval.js';
import { isStoreUnreachable, STORE_UNREACHABLE } from '../storage/map-store.js';
import { CloseCode, MAP_IN_TRASH } from '../sync/sync-socket.js';
import { SyncClient, type SyncClientOptions } from './sync-client.js';

export interface SyncEndpointOptions extends SyncClientOptions {
  rooms: RoomRegistry;
  links: LinkAuthority;
  maxConnectionsPerIp: number;
  /** Where an upgrade came from, for the per-address limit (see ClientAddresses). */
  clientAddress(request: IncomingMessage): string;
  /** Interval of WebSocket pings; a socket that has not answered one by the next is dropped. */
  pingIntervalMs: number;
}

const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})$/;

/**
 * `ws://HOST:PORT/sync/<mapId>?token=<token>`: checks the token and the map before the upgrade,
 * then hands the socket to the map's room. Whether the map exists, and is out of the trash, the
 * room registry says; the endpoint knows nothing of storage.
 */
export class SyncEndpoint {
  readonly #wss: WebSocketServer;
  readonly #clients = new Map<WebSocket, SyncClient>();
  /** Open clients by the link they came in through, to end them when it is revoked. */
  readonly #byLink = new Map<string, Set<SyncClient>>();
  readonly #stopListening: () => void;
  /** Open and upgrading connections per remote address. */
  readonly #perAddress = new Map<string, number>();
  /** Pings every client once per `pingIntervalMs`, a slot of them at a time. */
  readonly #pings: SharedInterval;
  // ws calls a listener with the socket as `this`, so one function per event serves every
  // socket, instead of a set of closures kept alive by each connection.
  readonly #onMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void;
  readonly #onPong: (this: WebSocket) => void;
  readonly #onError: (this: WebSocket, error: Error) => void;
  readonly #onClose: (this: WebSocket) => void;

  constructor(readonly options: SyncEndpointOptions) {
    // ws itself drops frames past twice the limit (close code 1009) before buffering them; frames
    // between the limit and that are read and refused with a reason the client can show.
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes * 2,
      perMessageDeflate: false,
      // A token sent as the subprotocol (so proxies that log URLs never see it) is answered in kind.
      handleProtocols: (protocols) => protocols.values().next().value ?? false,
    });
    this.#stopListening = options.links.onRevoked((linkId, reason) => this.endLink(linkId, reason));
    // A slot of sockets every second: pinging thousands in one instant stalls every room.
    this.#pings = new SharedInterval(options.pingIntervalMs, 1000);
    const pings = this.#pings;
    const clients = this.#clients;
    const release = (address: string) => this.#release(address);
    this.#onMessage = function (data, isBinary) {
      clients.get(this)?.receive(toBytes(data), isBinary);
    };
    this.#onPong = function () {
      const client = clients.get(this);
      if (client) client.alive = true;
    };
    this.#onError = function (error) {
      clients.get(this)?.logSocketError(error);
    };
    const byLink = this.#byLink;
    this.#onClose = function () {
      const client = clients.get(this);
      if (!client) return;
      clients.delete(this);
      const sameLink = byLink.get(client.linkId);
      sameLink?.delete(client);
      if (sameLink?.size === 0) byLink.delete(client.linkId);
      client.clearExpiry();
      pings.delete(client);
      release(client.address);
      client.left();
    };
  }

  get connectionCount(): number {
    return this.#clients.size;
  }

  /** Handles an HTTP upgrade request; returns false when the path is not the sync endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = SYNC_PATH.exec(url.pathname);
    if (!match) return false;
    const mapId = match[1]!;
    const token = url.searchParams.get('token') ?? firstProtocol(request.headers['sec-websocket-protocol']);
    const address = this.options.clientAddress(request);
    const open = this.#perAddress.get(address) ?? 0;
    if (open >= this.options.maxConnectionsPerIp) {
      this.options.logger.warn({ mapId, connections: open }, 'sync refused: too many connections from one address');
      rejectUpgrade(socket, 429, 'Too Many Requests', `at most ${this.options.maxConnectionsPerIp} connections per address`);
      return true;
    }
    this.#perAddress.set(address, open + 1);
    // Until the socket is handed to its room, closing it gives the count back; after, its client does.
    const release = () => this.#release(address);
    socket.once('close', release);
    void this.#admit(request, socket, head, token, mapId, address, release);
    return true;
  }

  async close(): Promise<void> {
    this.#stopListening();
    this.#pings.close();
    for (const ws of this.#clients.keys()) ws.close(CloseCode.goingAway, 'server is shutting down');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  async #admit(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    token: string | null | undefined,
    mapId: string,
    address: string,
    release: () => void,
  ): Promise<void> {
    const { logger, rooms } = this.options;
    let access: Awaited<ReturnType<LinkAuthority['forMap']>>;
    try {
      access = await this.options.links.forMap(token, mapId);
      if (!access.ok) {
        const what = access.status === 401 ? 'sync refused: missing or invalid token' : 'sync refused: link revoked or expired';
        logger.info({ mapId, reason: access.reason }, what);
        rejectUpgrade(socket, access.status, access.status === 401 ? 'Unauthorized' : 'Forbidden', access.reason);
        return;
      }
      const standing = await rooms.mapStanding(mapId);
      if (standing !== 'live') {
        if (standing === 'missing') rejectUpgrade(socket, 404, 'Not Found', 'no map with this id');
        else rejectUpgrade(socket, 410, 'Gone', MAP_IN_TRASH);
        return;
      }
    } catch (error) {
      logger.error({ err: error, mapId }, 'sync refused: storage unavailable');
      rejectUpgrade(socket, 503, 'Service Unavailable', isStoreUnreachable(error) ? STORE_UNREACHABLE : 'storage unavailable');
      return;
    }
    if (socket.destroyed) return;
    const { permission, linkId, expiresAt } = access;
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('close', release);
      this.#attach(ws, permission, linkId, expiresAt, address);
    });
  }

  #attach(ws: WebSocket, permission: Permission, linkId: string, expiresAt: number | null, address: string): void {
    const client = new SyncClient(ws, permission, linkId, address, this.options);
    this.#clients.set(ws, client);
    const sameLink = this.#byLink.get(linkId);
    if (sameLink) sameLink.add(client);
    else this.#byLink.set(linkId, new Set([client]));
    if (expiresAt !== null) client.expireAt(expiresAt);
    this.#pings.add(client);
    ws.on('message', this.#onMessage);
    ws.on('pong', this.#onPong);
    ws.on('error', this.#onError);
    ws.on('close', this.#onClose);
    this.options.rooms.acquire(permission.mapId).then(
      (room) => client.joined(room),
      (error: unknown) => client.refused(error),
    );
  }

  /**
   * Ends the sessions of every link revoked while word of it may have been lost (another node
   * revoked it while the fan-out was away).
   */
  async endRevokedLinks(): Promise<void> {
    for (const linkId of [...this.#byLink.keys()]) {
      try {
        const reason = await this.options.links.revocationOf(linkId);
        if (reason) this.endLink(linkId, reason);
      } catch (error) {
        this.options.logger.warn({ err: error }, "a link's standing could not be checked; its sessions go on");
      }
    }
  }

  /** Ends every session of a revoked link (revoked here, or on another node). */
  endLink(linkId: string, reason: string): void {
    for (const client of this.#byLink.get(linkId) ?? []) {
      this.options.logger.info({ mapId: client.mapId, connection: client.connection.id }, 'closing connection: link revoked');
      client.connection.close(CloseCode.forbidden, reason);
    }
  }

  #release(address: string): void {
    const left = (this.#perAddress.get(address) ?? 1) - 1;
    if (left <= 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, left);
  }
}

/** The first subprotocol a client offered, where a client that keeps tokens out of URLs puts its token. */
function firstProtocol(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim() || undefined;
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

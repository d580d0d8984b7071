import type { Permission } from '../access/roles.js';
import type { SyncSocket } from '../sync/sync-socket.js';

let nextConnectionId = 1;

/** One client in one room: its socket, what it may do, and the awareness clients it speaks for. */
export class RoomConnection {
  readonly id = nextConnectionId++;
  /** Awareness client ids this connection has announced, removed for everyone when it leaves. */
  readonly awarenessClients = new Set<number>();
  lastSentAt = Date.now();
  #closed = false;

  constructor(
    readonly socket: SyncSocket,
    readonly permission: Permission,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  send(frame: Uint8Array): void {
    if (this.#closed) return;
    this.lastSentAt = Date.now();
    this.socket.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.close(code, reason);
  }
}

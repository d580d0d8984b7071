import type { WebSocket } from 'ws';
import { CloseCode, type SyncSocket } from '../sync/sync-socket.js';

export interface WsSocketOptions {
  /** A reader whose unsent bytes pile up past this is disconnected rather than buffered for. */
  maxBufferedBytes: number;
  onSlowReader(bufferedBytes: number): void;
}

/** Adapts a `ws` WebSocket to the room's SyncSocket, guarding the server's memory from slow readers. */
export class WsSyncSocket implements SyncSocket {
  constructor(
    readonly ws: WebSocket,
    readonly options: WsSocketOptions,
  ) {}

  send(frame: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.onSlowReader(this.ws.bufferedAmount);
      this.close(CloseCode.unavailable, 'connection too slow to keep up; reconnecting');
      return;
    }
    this.ws.send(frame, { binary: true });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.ws.close(code, reason);
    // A peer that never answers the close handshake must not hold the socket open.
    setTimeout(() => this.ws.terminate(), 5_000).unref();
  }
}

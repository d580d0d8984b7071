import type { WebSocket } from 'ws';
import type { SyncSocket } from '../sync/sync-socket.js';

/** Adapts a `ws` WebSocket to the room's SyncSocket, guarding the server's memory from slow readers. */
export class WsSyncSocket implements SyncSocket {
  constructor(
    readonly ws: WebSocket,
    /** A reader whose unsent bytes pile up past this is disconnected rather than buffered for. */
    readonly maxBufferedBytes: number,
  ) {}

  send(frame: Uint8Array, written?: () => void): void {
    if (this.ws.readyState !== this.ws.OPEN) {
      written?.();
      return;
    }
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.onSlowReader(this.ws.bufferedAmount);
      // A close frame would queue behind everything the peer is not reading: cut it off now.
      this.ws.terminate();
      written?.();
      return;
    }
    this.ws.send(frame, { binary: true }, written && (() => written()));
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.ws.close(code, truncateReason(reason));
    // A peer that never answers the close handshake must not hold the socket open.
    setTimeout(() => this.ws.terminate(), 5_000).unref();
  }

  /** Called just before a slow reader is cut off. */
  protected onSlowReader(_bufferedBytes: number): void {}
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
export function truncateReason(reason: string): string {
  const bytes = Buffer.from(reason);
  if (bytes.byteLength <= 123) return reason;
  // Cut on a character boundary: decoding a cut multi-byte sequence would grow it again.
  let cut = bytes.subarray(0, 120).toString();
  while (Buffer.byteLength(cut) > 120) cut = cut.slice(0, -1);
  return `${cut.replace(/\uFFFD$/, '')}...`;
}

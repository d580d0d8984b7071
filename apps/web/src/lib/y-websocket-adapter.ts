import type * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';

/**
 * Every place the web app reaches into y-websocket's provider beyond its documented options and
 * events, in one module; y-websocket-adapter.test.ts pins what each relies on, so an upgrade
 * that changes one fails a test rather than a user.
 */

/** The y-websocket message type of auth messages: the server's own channel. */
const AUTH_MESSAGE = 2;

/**
 * Hands every auth message the provider receives to `handle`, with a decoder positioned after
 * the message type (the stock provider only logs a refused write and drops the rest).
 */
export function onAuthMessages(provider: WebsocketProvider, handle: (decoder: decoding.Decoder) => void): void {
  provider.messageHandlers[AUTH_MESSAGE] = (_encoder, decoder) => handle(decoder);
}

/**
 * Stops the provider's own reconnecting after a close, so the page can reconnect on a schedule
 * of its own (jittered back-off); `provider.connect()` starts it again.
 */
export function stopOwnReconnect(provider: WebsocketProvider): void {
  provider.shouldConnect = false;
}

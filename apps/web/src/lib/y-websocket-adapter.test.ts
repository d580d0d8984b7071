import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { onAuthMessages, stopOwnReconnect } from './y-websocket-adapter';

/** A socket the provider opens, which the test drives: its messages in, its closing. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  binaryType = 'arraybuffer';
  readyState = 0;
  onopen: (() => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  send(): void {}
  close(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1000 });
  }
  receive(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  }
}

function provider(): WebsocketProvider {
  FakeSocket.opened = [];
  return new WebsocketProvider('ws://example.invalid', 'map', new Y.Doc(), {
    WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
    disableBc: true,
    maxBackoffTime: 10,
  });
}

/** Pins what the web app relies on in y-websocket beyond its documented API. */
describe('the y-websocket adapter', () => {
  it('hands the server’s auth messages to the page, positioned after the message type', () => {
    const p = provider();
    const heard: string[] = [];
    onAuthMessages(p, (decoder) => {
      decoding.readVarUint(decoder);
      heard.push(decoding.readVarString(decoder));
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, '{"kind":"writable"}');
    FakeSocket.opened[0]!.receive(encoding.toUint8Array(encoder));
    expect(heard).toEqual(['{"kind":"writable"}']);
    p.destroy();
  });

  it('stops the provider reconnecting by itself after a close; connect() starts it again', async () => {
    const p = provider();
    expect(FakeSocket.opened).toHaveLength(1);
    p.on('connection-close', () => stopOwnReconnect(p));
    FakeSocket.opened[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(FakeSocket.opened).toHaveLength(1);
    p.connect();
    expect(FakeSocket.opened).toHaveLength(2);
    p.destroy();
  });
});

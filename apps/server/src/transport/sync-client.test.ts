import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { permissionFor } from '../access/roles.js';
import { SyncClient, type SyncClientOptions } from './sync-client.js';

const options: SyncClientOptions = {
  logger: pino({ level: 'silent' }),
  maxMessageBytes: 1 << 20,
  maxBufferedBytes: 1 << 20,
  maxPendingBytes: 1 << 20,
  rateLimit: { perSecond: Infinity, burst: Infinity },
};

let server: WebSocketServer | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real socket pair on loopback; the peer never answers pings. */
async function silentPeer() {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server!.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const accepted = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
  const peer = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: false });
  const pings: number[] = [];
  peer.on('ping', () => pings.push(Date.now()));
  const closed = new Promise<number>((resolve) => peer.once('close', resolve));
  return { socket: await accepted, pings, closed };
}

describe('SyncClient pings', () => {
  it('pings on its slot, and cuts off a peer that did not answer the last ping', async () => {
    const { socket, pings, closed } = await silentPeer();
    const client = new SyncClient(socket, permissionFor('m', 'editor'), 'link', '127.0.0.1', options);
    client.tick();
    await expect.poll(() => pings.length).toBe(1);
    expect(client.alive).toBe(false);
    client.tick();
    expect(await closed).toBe(1006);
  });

  it('keeps a peer that answered', async () => {
    const { socket, pings } = await silentPeer();
    const client = new SyncClient(socket, permissionFor('m', 'editor'), 'link', '127.0.0.1', options);
    client.tick();
    await expect.poll(() => pings.length).toBe(1);
    client.alive = true; // what the endpoint's pong listener does (tests/integration/pings.test.ts covers that path)
    client.tick();
    await expect.poll(() => pings.length).toBe(2);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.terminate();
  });
});

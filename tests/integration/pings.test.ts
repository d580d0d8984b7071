/**
 * The server pings every sync connection each PING_INTERVAL_MS and cuts off one that has not
 * answered by the next ping, so a peer whose network vanished stops holding a place in its room.
 * A peer that answers is never cut off. Both run on one short interval, through the real endpoint.
 */
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { openRaw } from '../support/raw-socket.js';
import { useServerTestBed } from '../support/test-bed.js';

const INTERVAL_MS = 200;

describe('pings', () => {
  const bed = useServerTestBed();

  it('cuts off a peer that does not answer on the next ping, and keeps those that do', async () => {
    const running = await bed.start({ PING_INTERVAL_MS: String(INTERVAL_MS) });
    const map = await createMap(running.url);
    const token = tokenOf(map.links.editor);

    // A stock client, as an application opens it: its socket answers pings by itself.
    const stock = connect(running.url, map.id, token);
    bed.clients.push(stock);
    await synced(stock);
    let stockDrops = 0;
    stock.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected') stockDrops++;
    });

    const answering = await openRaw(running.url, map.id, token);
    const answered: number[] = [];
    answering.ws.on('ping', () => answered.push(Date.now()));
    let answeringClosed = false;
    void answering.closed.then(() => (answeringClosed = true));

    // A peer that is gone without a word: its socket stays open but never answers a ping.
    const silent = await openRaw(running.url, map.id, token, { autoPong: false });
    const openedAt = Date.now();
    const unanswered: number[] = [];
    silent.ws.on('ping', () => unanswered.push(Date.now()));
    let cut: { code: number; at: number } | undefined;
    void silent.closed.then(({ code }) => (cut = { code, at: Date.now() }));

    const room = await running.server.rooms.peek(map.id);
    expect(room?.connectionCount).toBe(3);

    await waitFor(() => cut !== undefined, 'the silent peer to be cut off', 10 * INTERVAL_MS);
    const { code, at } = cut!;
    // Cut off without a close handshake on the sweep after its one unanswered ping, not pinged again.
    expect(code).toBe(1006);
    expect(unanswered).toHaveLength(1);
    // Two intervals at most on the server's clock; the margin is for a loaded test machine.
    expect(at - openedAt).toBeLessThan(2 * INTERVAL_MS + 300);
    await waitFor(() => (room?.connectionCount ?? 0) <= 2, 'the room to let go of the silent peer', 2_000);

    // Those that answer outlive twice as many pings as the silent peer got.
    await waitFor(() => answered.length >= 4 || answeringClosed, 'four pings to the answering peer', 10 * INTERVAL_MS);
    expect(answeringClosed, 'the answering peer was cut off').toBe(false);
    expect(stockDrops, 'times the stock client was dropped').toBe(0);
    expect(stock.provider.wsconnected).toBe(true);
    expect(room?.connectionCount).toBe(2);
    answering.ws.close();
  });
});

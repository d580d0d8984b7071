import { addStage, readStages } from '@waymark/model';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteMapStore } from '@waymark/server';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { openRaw, permissionDenials, someUpdate, syncUpdateFrame, upgradeStatus } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

/** The real SQLite store whose loads wait until the test opens the gate. */
class SlowLoadingStore extends SqliteMapStore {
  gate: Promise<void> | null = null;
  override async load(id: string) {
    if (this.gate) await this.gate;
    return super.load(id);
  }
}

describe('limits', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer | undefined;
  const start = async (env: Record<string, string>, store?: SqliteMapStore) => {
    running = await bed.start(env, store ? { store } : {});
    return running;
  };

  it('closes a connection that sends more messages per second than allowed', async () => {
    const { url } = await start({ MAX_MESSAGES_PER_SECOND: '20' });
    const map = await createMap(url);
    const calm = connect(url, map.id, tokenOf(map.links.editor));
    clients.push(calm);
    await synced(calm);
    const flood = await openRaw(url, map.id, tokenOf(map.links.editor));
    for (let i = 0; i < 100; i++) flood.ws.send(Uint8Array.from([3]));
    const { code, reason } = await flood.closed;
    expect(code).toBe(1013);
    expect(reason).toMatch(/more than 20 messages per second/);
    addStage(calm.doc, { name: 'Calm edit' });
    const other = connect(url, map.id, tokenOf(map.links.viewer));
    clients.push(other);
    await waitFor(() => readStages(other.doc).some((s) => s.name === 'Calm edit'), 'others unaffected');
  });

  it('refuses connections past the limit per address with 429', async () => {
    const { url } = await start({ MAX_CONNECTIONS_PER_IP: '3' });
    const map = await createMap(url);
    const token = tokenOf(map.links.editor);
    const open = await Promise.all([0, 1, 2].map(() => openRaw(url, map.id, token)));
    expect(await upgradeStatus(url, `/sync/${map.id}?token=${token}`)).toBe(429);
    open[0]!.ws.close();
    await open[0]!.closed;
    await waitFor(async () => (await upgradeStatus(url, `/sync/${map.id}?token=${token}`)) === 101, 'a slot to free up');
    for (const raw of open.slice(1)) raw.ws.close();
  });

  it('counts connections per forwarded address behind a proxy named in TRUST_PROXY, and only there', async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const behindProxy = await start({ MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: 'loopback' });
    const map = await createMap(behindProxy.url);
    const token = tokenOf(map.links.editor);
    // Two people behind the proxy each get their own allowance; a second socket of one of them does not.
    const ada = await openRaw(behindProxy.url, map.id, token, from('203.0.113.7'));
    const bob = await openRaw(behindProxy.url, map.id, token, from('203.0.113.8'));
    // What a client writes into the header itself is left of what the proxy appended, and not read.
    await expect(openRaw(behindProxy.url, map.id, token, from('198.51.100.1, 203.0.113.7'))).rejects.toThrow(/429/);
    for (const raw of [ada, bob]) raw.ws.close();

    // Without TRUST_PROXY the header is nobody's word: everyone on this address shares one allowance.
    const direct = await start({ MAX_CONNECTIONS_PER_IP: '1' });
    const other = await createMap(direct.url);
    const first = await openRaw(direct.url, other.id, tokenOf(other.links.editor), from('203.0.113.7'));
    await expect(openRaw(direct.url, other.id, tokenOf(other.links.editor), from('203.0.113.8'))).rejects.toThrow(/429/);
    first.ws.close();
  });

  it('gives back the slot of a connection refused after it was counted', async () => {
    const { url, server } = await start({ MAX_CONNECTIONS_PER_IP: '2' });
    const map = await createMap(url);
    const token = tokenOf(map.links.editor);
    // A well-signed link to a map that does not exist is refused (404) only after the store says so.
    for (let i = 0; i < 4; i++) {
      const missing = `NoSuchMap${i}`;
      expect(await upgradeStatus(url, `/sync/${missing}?token=${server.signer.sign(missing, 'editor')}`)).toBe(404);
    }
    // A slot that was never given back would keep every later upgrade at 429.
    await waitFor(async () => (await upgradeStatus(url, `/sync/${map.id}?token=${token}`)) === 101, 'the slots to free up');
  });

  it('refuses to open more maps than the process allows, with a reason', async () => {
    const { url } = await start({ MAX_ROOMS: '2' });
    const maps = await Promise.all([createMap(url), createMap(url), createMap(url)]);
    const first = maps.slice(0, 2).map((m) => connect(url, m.id, tokenOf(m.links.editor)));
    clients.push(...first);
    await Promise.all(first.map(synced));
    const third = await openRaw(url, maps[2]!.id, tokenOf(maps[2]!.links.editor));
    const { code, reason } = await third.closed;
    expect(code).toBe(4503);
    expect(reason).toMatch(/limit of 2 open maps/);
  });

  it('refuses writes that would take a map past its size limit, and stores none of them', async () => {
    const { url, server } = await start({ MAX_DOC_BYTES: '65536' });
    const map = await createMap(url);
    const raw = await openRaw(url, map.id, tokenOf(map.links.editor));
    raw.ws.send(syncUpdateFrame(someUpdate('note', 'N'.repeat(70_000))));
    await waitFor(() => permissionDenials(raw.received).some((r) => /size limit of 64 KiB/.test(r)), 'refusal');
    const small = connect(url, map.id, tokenOf(map.links.editor));
    clients.push(small);
    await synced(small);
    expect(small.doc.getMap('meta').get('note')).toBeUndefined();
    expect((await server.store.load(map.id)).updates).toHaveLength(0);
    raw.ws.close();
  });

  it('bounds what a connection may send before its map has loaded', async () => {
    const store = new SlowLoadingStore({ file: join(bed.dir, 'waymark.db') });
    const { url } = await start({ MAX_PENDING_BYTES: '4096' }, store);
    const map = await createMap(url);
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const raw = await openRaw(url, map.id, tokenOf(map.links.editor));
    for (let i = 0; i < 10; i++) raw.ws.send(syncUpdateFrame(someUpdate(`k${i}`, 'v'.repeat(1000))));
    const { code, reason } = await raw.closed;
    expect(code).toBe(1013);
    expect(reason).toMatch(/before the map finished loading/);
    open();
    store.gate = null;
  });

  it('disconnects a reader that stops reading instead of buffering for it', async () => {
    const { url } = await start({ MAX_BUFFERED_BYTES: '262144', MAX_MESSAGE_BYTES: '1048576' });
    const map = await createMap(url);
    const writer = connect(url, map.id, tokenOf(map.links.editor));
    clients.push(writer);
    await synced(writer);
    const slow = await openRaw(url, map.id, tokenOf(map.links.viewer));
    // Stop reading: the socket's receive buffer fills and the server's send buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const connections = async () => ((await (await fetch(`${url}/healthz`)).json()) as { connections: number }).connections;
    for (let i = 0; i < 100 && (await connections()) > 1; i++) {
      writer.doc.getMap('meta').set('goal', `${i}`.repeat(250_000));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Only the slow reader was cut off (it cannot read a close frame, so it sees 1006).
    expect(await connections()).toBe(1);
    expect(writer.provider.wsconnected).toBe(true);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(1006);
  });

  it('loads rooms a few at a time when everyone reconnects at once', async () => {
    const first = await start({});
    const maps = await Promise.all(Array.from({ length: 12 }, () => createMap(first.url)));
    await first.close();
    // Loads that take a while, as after a restart on a busy disk.
    const store = new SlowLoadingStore({ file: join(bed.dir, 'waymark.db') });
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const { url, server } = await start({ MAX_CONCURRENT_LOADS: '2' }, store);
    const all = maps.flatMap((m) => [0, 1].map(() => connect(url, m.id, tokenOf(m.links.editor))));
    clients.push(...all);
    await waitFor(() => server.rooms.size === 12, 'every room to be asked for');
    open();
    store.gate = null;
    await Promise.all(all.map(synced));
    expect(server.rooms.size).toBe(12);
    expect(server.rooms.peakConcurrentLoads).toBe(2);
  });
});

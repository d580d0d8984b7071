import { addStage, readStages } from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { openRaw, someUpdate, syncUpdateFrame } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const MAX_MESSAGE_BYTES = 64 * 1024;

describe('bad input closes only the connection that sent it', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer;

  beforeEach(async () => {
    running = await bed.start({ MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) });
  });

  const corruptUpdate = () => {
    const frame = syncUpdateFrame(someUpdate('title', 'Corrupt'));
    // Keep the framing, break the update: a struct count past the bytes that follow.
    frame[4] = 9;
    return frame;
  };

  const badMessages: [string, () => Uint8Array | string][] = [
    ['random bytes', () => Uint8Array.from([0x07, 0xde, 0xad, 0xbe, 0xef])],
    ['a truncated update', () => syncUpdateFrame(someUpdate('title', 'Cut')).slice(0, 8)],
    ['a valid frame around a corrupt update', corruptUpdate],
    ['an unknown sync type', () => Uint8Array.from([0, 9, 0])],
    ['a huge length prefix', () => Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2])],
    ['awareness cut short', () => Uint8Array.from([1, 5, 1, 1, 1, 5, 0x7b])],
    ['a text frame', () => 'hello'],
    ['trailing bytes', () => Uint8Array.from([...syncUpdateFrame(someUpdate('a', 'b')), 0, 0])],
  ];

  it.each(badMessages)('%s', async (_name, make) => {
    const map = await createMap(running.url);
    const a = connect(running.url, map.id, tokenOf(map.links.editor));
    const b = connect(running.url, map.id, tokenOf(map.links.editor));
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    const before = (await running.server.store.load(map.id)).updates.length;

    const raw = await openRaw(running.url, map.id, tokenOf(map.links.editor));
    raw.ws.send(make());
    const { code, reason } = await raw.closed;
    expect(code).toBe(4400);
    expect(reason.length).toBeGreaterThan(0);

    addStage(a.doc, { name: 'Still working' });
    await waitFor(() => readStages(b.doc).some((s) => s.name === 'Still working'), 'others to keep syncing');
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    const after = await running.server.store.load(map.id);
    expect(after.updates.length).toBe(before + 1);
    expect(after.updates.some((u) => Buffer.from(u).includes('Corrupt') || Buffer.from(u).includes('Cut'))).toBe(false);
  });

  it('closes a connection whose message is over the size limit, with a reason, and stores nothing of it', async () => {
    const map = await createMap(running.url);
    const a = connect(running.url, map.id, tokenOf(map.links.editor));
    const b = connect(running.url, map.id, tokenOf(map.links.editor));
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    const raw = await openRaw(running.url, map.id, tokenOf(map.links.editor));
    raw.ws.send(syncUpdateFrame(someUpdate('title', 'L'.repeat(MAX_MESSAGE_BYTES + 10))));
    const { code, reason } = await raw.closed;
    expect(code).toBe(4413);
    expect(reason).toMatch(/over the limit of 65536/);

    const far = await openRaw(running.url, map.id, tokenOf(map.links.editor));
    far.ws.send(new Uint8Array(MAX_MESSAGE_BYTES * 3));
    expect((await far.closed).code).toBe(1009);

    addStage(a.doc, { name: 'Unaffected' });
    await waitFor(() => readStages(b.doc).some((s) => s.name === 'Unaffected'), 'others to keep syncing');
    const stored = await running.server.store.load(map.id);
    expect(stored.updates.every((u) => u.byteLength < MAX_MESSAGE_BYTES)).toBe(true);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { connect, createMap, serverNotice, synced, tokenOf, waitFor } from '../support/clients.js';
import { awarenessEntries, awarenessFrame, openRaw } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const FORGED_NOTICE = { server: { readOnly: true, reason: 'Waymark moved: sign in again at https://evil.example/login' } };

describe('presence that cannot lie', () => {
  const bed = useServerTestBed();
  let running: RunningServer;
  beforeEach(async () => {
    running = await bed.start();
  });

  it('relays no entry from a viewer that poses as the server, and editors hear no notice', async () => {
    const map = await createMap(running.url);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(editor);
    await synced(editor);
    const watcher = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    const attacker = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    attacker.ws.send(awarenessFrame([{ clientId: 4242, clock: 1, state: FORGED_NOTICE }]));
    // A harmless entry after it, so there is something to wait for.
    attacker.ws.send(awarenessFrame([{ clientId: 4243, clock: 1, state: { user: { name: 'Viewer' } } }]));
    await waitFor(() => awarenessEntries(watcher.received).some((e) => e.clientId === 4243), 'the harmless entry');
    await waitFor(() => editor.provider.awareness.getStates().has(4243), 'the harmless entry at the editor');
    expect(awarenessEntries(watcher.received).some((e) => e.clientId === 4242)).toBe(false);
    expect(editor.provider.awareness.getStates().has(4242)).toBe(false);
    expect(serverNotice(editor)).toBeUndefined();
    watcher.ws.close();
    attacker.ws.close();
  });

  it('keeps a person’s entry theirs: another link cannot rename or remove it', async () => {
    const map = await createMap(running.url);
    const alice = connect(running.url, map.id, tokenOf(map.links.editor));
    const bob = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(alice, bob);
    await Promise.all([synced(alice), synced(bob)]);
    alice.provider.awareness.setLocalStateField('user', { id: 'alice', name: 'Alice', colour: '#e11d48' });
    const aliceId = alice.doc.clientID;
    const nameAtBob = () => (bob.provider.awareness.getStates().get(aliceId) as { user?: { name?: string } } | undefined)?.user?.name;
    await waitFor(() => nameAtBob() === 'Alice', 'Alice at Bob');

    const attacker = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    const clock = 1000;
    attacker.ws.send(awarenessFrame([{ clientId: aliceId, clock, state: { user: { id: 'alice', name: 'Mallory', colour: '#000000' } } }]));
    attacker.ws.send(awarenessFrame([{ clientId: aliceId, clock: clock + 1, json: 'null' }]));
    // Alice's own next change still arrives, and nothing of the attacker's came before it.
    alice.provider.awareness.setLocalStateField('cursor', { x: 1, y: 2 });
    await waitFor(
      () => (bob.provider.awareness.getStates().get(aliceId) as { cursor?: unknown } | undefined)?.cursor !== undefined,
      'Alice’s cursor',
    );
    expect(nameAtBob()).toBe('Alice');
    const sentToAttacker = awarenessEntries(attacker.received).filter((e) => e.clientId === aliceId);
    expect(sentToAttacker.every((e) => (e.state as { user?: { name?: string } } | null)?.user?.name === 'Alice')).toBe(true);
    attacker.ws.close();
  });

  it("lets no participant take up the facilitator's client id once their page has gone, so nobody else leads the followers", async () => {
    const map = await createMap(running.url);
    const seat = 'facilitator-seat-1';
    const facilitatorId = 777_001;
    const taken = await fetch(`${running.url}/api/maps/${map.id}/workshop/seat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(map.links.editor)}` },
      body: JSON.stringify({ seat, name: 'Fay', clientId: facilitatorId }),
    });
    expect(taken.status).toBe(200);
    const watcher = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    const participant = await openRaw(running.url, map.id, tokenOf(map.links.participant));
    const view = { user: { name: 'Fay' }, view: { x: 5000, y: 0, zoom: 1, stageId: null } };
    participant.ws.send(awarenessFrame([{ clientId: facilitatorId, clock: 1, state: view }]));
    participant.ws.send(awarenessFrame([{ clientId: 777_002, clock: 1, state: { user: { name: 'Pat' } } }]));
    await waitFor(() => awarenessEntries(watcher.received).some((e) => e.clientId === 777_002), 'the participant’s own entry');
    expect(awarenessEntries(watcher.received).some((e) => e.clientId === facilitatorId)).toBe(false);
    // An editor's link may (it could take the seat itself).
    const editor = await openRaw(running.url, map.id, tokenOf(map.links.editor));
    editor.ws.send(awarenessFrame([{ clientId: facilitatorId, clock: 2, state: view }]));
    await waitFor(() => awarenessEntries(watcher.received).some((e) => e.clientId === facilitatorId), 'the facilitator’s page back');
    for (const socket of [watcher, participant, editor]) socket.ws.close();
  });

  it('relays no oversized or deeply nested entry, so stock clients and the server stay well', async () => {
    const map = await createMap(running.url);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(editor);
    await synced(editor);
    const attacker = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    const rssBefore = process.memoryUsage().rss;
    // Entries of 7 MB under fresh client ids used to pile up in the server (2.3 GB), and a
    // 200,000-deep array, relayed, crashed stock Node clients re-encoding it.
    for (let i = 0; i < 5; i++)
      attacker.ws.send(awarenessFrame([{ clientId: 5000 + i, clock: 1, json: JSON.stringify({ pad: 'x'.repeat(7_000_000) }) }]));
    attacker.ws.send(awarenessFrame([{ clientId: 6000, clock: 1, json: '['.repeat(200_000) + ']'.repeat(200_000) }]));
    attacker.ws.send(awarenessFrame([{ clientId: 6001, clock: 1, state: { user: { name: 'After' } } }]));
    await waitFor(() => editor.provider.awareness.getStates().has(6001), 'the entry after them');
    const states = editor.provider.awareness.getStates();
    expect([...states.keys()].some((id) => id >= 5000 && id < 6001)).toBe(false);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024);
    // The editor's client still works: its own presence still reaches others.
    editor.provider.awareness.setLocalStateField('user', { name: 'Still here' });
    await waitFor(
      () => awarenessEntries(attacker.received).some((e) => (e.state as { user?: { name?: string } } | null)?.user?.name === 'Still here'),
      'the editor’s presence',
    );
    attacker.ws.close();
  });
});

import { addCard, addStage, readCards, readMeta, readStages, setMeta, spliceCardText } from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

describe('sync with stock y-websocket clients', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer;
  const client = (...args: Parameters<typeof connect>) => {
    const c = connect(...args);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    running = await bed.start();
  });

  it('delivers the template to the first client', async () => {
    const map = await createMap(running.url, { title: 'Onboarding', template: 'onboarding' });
    const a = client(running.url, map.id, tokenOf(map.links.editor));
    await synced(a);
    expect(readMeta(a.doc).title).toBe('Onboarding');
    expect(readStages(a.doc).length).toBeGreaterThan(2);
  });

  it('makes two clients converge on concurrent edits', async () => {
    const map = await createMap(running.url);
    const a = client(running.url, map.id, tokenOf(map.links.owner));
    const b = client(running.url, map.id, tokenOf(map.links.editor));
    await Promise.all([synced(a), synced(b)]);
    const stageA = readStages(a.doc)[0]!.id;
    addStage(a.doc, { name: 'Renewal' });
    addStage(b.doc, { name: 'Referral' });
    const lanes = a.doc.getMap('lanes');
    const laneId = [...lanes.keys()][0]!;
    const card = addCard(a.doc, { stageId: stageA, laneId, text: 'Compares prices' });
    setMeta(b.doc, { goal: 'Find where buyers drop out' });
    await waitFor(
      () => readStages(b.doc).some((s) => s.name === 'Renewal') && readStages(a.doc).some((s) => s.name === 'Referral'),
      'stages to cross',
    );
    await waitFor(() => readCards(b.doc).some((c) => c.id === card), 'card to reach b');
    spliceCardText(b.doc, card, { index: 'Compares prices'.length, remove: 0, insert: ' on three sites' });
    await waitFor(() => readCards(a.doc).find((c) => c.id === card)?.text === 'Compares prices on three sites', 'text to reach a');
    await waitFor(() => readMeta(a.doc).goal === 'Find where buyers drop out', 'goal to reach a');
    expect(Y.encodeStateAsUpdate(a.doc)).toEqual(Y.encodeStateAsUpdate(b.doc));
  });

  it('gives a late joiner everything', async () => {
    const map = await createMap(running.url);
    const a = client(running.url, map.id, tokenOf(map.links.editor));
    await synced(a);
    for (let i = 0; i < 20; i++) addStage(a.doc, { name: `Stage ${i}` });
    const late = client(running.url, map.id, tokenOf(map.links.viewer));
    await waitFor(() => readStages(late.doc).length === readStages(a.doc).length, 'late joiner to catch up');
    expect(readStages(late.doc).map((s) => s.name)).toEqual(readStages(a.doc).map((s) => s.name));
  });

  it('keeps the map across a restart', async () => {
    const map = await createMap(running.url);
    const a = client(running.url, map.id, tokenOf(map.links.editor));
    await synced(a);
    addStage(a.doc, { name: 'Win-back' });
    const stageCount = readStages(a.doc).length;
    await waitFor(async () => (await running.server.store.load(map.id)).updates.length > 0, 'update to be stored');
    a.destroy();
    await running.close();
    running = await bed.start();
    const b = client(running.url, map.id, tokenOf(map.links.editor));
    await synced(b);
    expect(readStages(b.doc).length).toBe(stageCount);
    expect(readStages(b.doc).some((s) => s.name === 'Win-back')).toBe(true);
  });

  it('keeps everyone else’s presence when one person leaves', async () => {
    const map = await createMap(running.url);
    const [a, b, c] = [0, 1, 2].map(() => client(running.url, map.id, tokenOf(map.links.editor)));
    await Promise.all([a, b, c].map((x) => synced(x!)));
    a!.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitFor(() => c!.provider.awareness.getStates().get(a!.doc.clientID)?.user?.name === 'Ana', 'presence at c');
    await waitFor(() => b!.provider.awareness.getStates().has(a!.doc.clientID), 'presence at b');
    // Let b echo what it heard back to the server, as the stock client does.
    b!.provider.awareness.setLocalStateField('user', { name: 'Ben' });
    await waitFor(() => c!.provider.awareness.getStates().get(b!.doc.clientID)?.user?.name === 'Ben', 'b at c');
    let removedA = false;
    c!.provider.awareness.on('change', ({ removed }: { removed: number[] }) => {
      if (removed.includes(a!.doc.clientID)) removedA = true;
    });
    b!.provider.disconnect();
    await waitFor(() => !c!.provider.awareness.getStates().has(b!.doc.clientID), 'b to leave');
    // A roundtrip through the server, so any wrong removal would have arrived by now.
    const probe = client(running.url, map.id, tokenOf(map.links.viewer));
    await synced(probe);
    await waitFor(() => probe.provider.awareness.getStates().has(a!.doc.clientID), 'a at a newcomer');
    expect(removedA).toBe(false);
    expect(c!.provider.awareness.getStates().get(a!.doc.clientID)?.user?.name).toBe('Ana');
  });

  it('relays presence between clients and removes it when one leaves', async () => {
    const map = await createMap(running.url);
    const a = client(running.url, map.id, tokenOf(map.links.editor));
    const b = client(running.url, map.id, tokenOf(map.links.viewer));
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ana', 'presence to reach b');
    b.provider.awareness.setLocalStateField('user', { name: 'Ben (viewer)' });
    await waitFor(() => a.provider.awareness.getStates().get(b.doc.clientID)?.user?.name === 'Ben (viewer)', 'viewer presence to reach a');
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'presence to be removed');
  });
});

import { readMeta, readStages, addStage } from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { openRaw, permissionDenials, someUpdate, syncUpdateFrame, upgradeStatus } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

describe('access through signed links', () => {
  const bed = useServerTestBed();
  const clients = bed.clients;
  let running: RunningServer;

  beforeEach(async () => {
    running = await bed.start();
  });

  it('refuses a missing, forged or foreign token with 401 and an unknown map with 404', async () => {
    const map = await createMap(running.url);
    const other = await createMap(running.url);
    const token = tokenOf(map.links.editor);
    expect(await upgradeStatus(running.url, `/sync/${map.id}`)).toBe(401);
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=nonsense`)).toBe(401);
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${token.slice(0, -2)}xx`)).toBe(401);
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${tokenOf(other.links.owner)}`)).toBe(401);
    const forUnknown = running.server.signer.sign('no-such-map', 'owner');
    expect(await upgradeStatus(running.url, `/sync/no-such-map?token=${forUnknown}`)).toBe(404);
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${token}`)).toBe(101);
  });

  it('keeps a viewer read-only: its update is not applied, stored or relayed, and it is told why', async () => {
    const map = await createMap(running.url);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    clients.push(editor);
    await synced(editor);
    const viewer = await openRaw(running.url, map.id, tokenOf(map.links.viewer));
    viewer.ws.send(syncUpdateFrame(someUpdate('title', 'Hijacked')));
    await waitFor(() => permissionDenials(viewer.received).length > 0, 'permission denied message');
    expect(permissionDenials(viewer.received)[0]).toMatch(/read-only/);

    // An editor's later change still flows, and the viewer's never arrives.
    addStage(editor.doc, { name: 'After viewer' });
    const second = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(second);
    // The relayed stage can arrive before the reply to the second viewer's sync request.
    await waitFor(() => readStages(second.doc).some((s) => s.name === 'After viewer') && second.provider.synced, 'editor change');
    expect(readMeta(second.doc).title).toBe('Checkout journey');
    expect(readMeta(editor.doc).title).toBe('Checkout journey');
    const stored = await running.server.store.load(map.id);
    expect(stored.updates.some((u) => Buffer.from(u).includes('Hijacked'))).toBe(false);
    viewer.ws.close();
  });

  it('lets a stock client with a viewer link read but not write', async () => {
    const map = await createMap(running.url);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    const viewer = connect(running.url, map.id, tokenOf(map.links.viewer));
    clients.push(editor, viewer);
    await Promise.all([synced(editor), synced(viewer)]);
    addStage(viewer.doc, { name: 'Viewer stage' });
    addStage(editor.doc, { name: 'Editor stage' });
    await waitFor(() => readStages(viewer.doc).some((s) => s.name === 'Editor stage'), 'editor stage at viewer');
    // Give the viewer's refused update every chance to arrive before checking it did not.
    const late = connect(running.url, map.id, tokenOf(map.links.owner));
    clients.push(late);
    await waitFor(() => readStages(late.doc).some((s) => s.name === 'Editor stage'), 'late joiner');
    expect(readStages(editor.doc).some((s) => s.name === 'Viewer stage')).toBe(false);
    expect(readStages(late.doc).some((s) => s.name === 'Viewer stage')).toBe(false);
  });
});

describe('HTTP API', () => {
  const bed = useServerTestBed();
  let running: RunningServer;
  beforeEach(async () => {
    running = await bed.start();
  });

  it('creates a map with owner, editor and viewer links on the web app', async () => {
    const map = await createMap(running.url, { title: '  Support journey ', template: 'service-support' });
    expect(map.id).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const role of ['owner', 'editor', 'viewer'] as const) {
      expect(map.links[role]).toMatch(new RegExp(`^${running.url}/maps/${map.id}#token=`));
    }
    const response = await fetch(`${running.url}/api/maps/${map.id}?token=${tokenOf(map.links.viewer)}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { role: string; meta: { title: string; template: string } };
    expect(body.role).toBe('viewer');
    expect(body.meta.title).toBe('Support journey');
    expect(body.meta.template).toBe('service-support');
  });

  it('reads the meta of a live map, including edits not yet compacted', async () => {
    const map = await createMap(running.url);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    await synced(editor);
    editor.doc.getMap('meta').set('title', 'Renamed live');
    await waitFor(async () => {
      const res = await fetch(`${running.url}/api/maps/${map.id}`, {
        headers: { authorization: `Bearer ${tokenOf(map.links.editor)}` },
      });
      return ((await res.json()) as { meta: { title: string } }).meta.title === 'Renamed live';
    }, 'live title');
    editor.destroy();
  });

  it('answers bad requests with a specific 4xx message', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${running.url}/api/maps`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: [Response, number, RegExp][] = [
      [await post('{"title": ""}'), 400, /title/],
      [await post('{"title": "x", "template": "nope"}'), 400, /template must be one of/],
      [await post('{"template": "buyer-journey"}'), 400, /title/],
      [await post('{not json'), 400, /not valid JSON/],
      [await post('title=x', 'text/plain'), 400, /must be a JSON object/],
      [await post('{"title": 5, "template": "blank"}'), 400, /title is missing or not a string/],
      [await post(JSON.stringify({ title: 'x'.repeat(300), template: 'buyer-journey' })), 400, /at most 200/],
      [await fetch(`${running.url}/api/maps/abc`), 401, /token/],
      [await fetch(`${running.url}/api/maps/${'x'.repeat(100)}?token=a`), 400, /malformed/],
      [await fetch(`${running.url}/api/nothing`), 404, /no route/],
    ];
    for (const [response, status, message] of cases) {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    const unknown = running.server.signer.sign('unknown-map', 'viewer');
    const missing = await fetch(`${running.url}/api/maps/unknown-map?token=${unknown}`);
    expect(missing.status).toBe(404);
  });

  it('reports health', async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', rooms: 0, connections: 0 });
  });
});

import { addStage, createMapFromTemplate, readStages, setMeta } from '@waymark/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { connect, createMap, synced, tokenOf, waitFor } from '../support/clients.js';
import { upgradeStatus } from '../support/raw-socket.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const WORKSPACE_TOKEN = 'workspace-admin-token-for-tests';

interface ListedLink {
  id: string;
  role: string;
  label: string;
  original: boolean;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  url: string;
}

describe('map links: list, create, revoke, expire', () => {
  const bed = useServerTestBed();
  let running: RunningServer;
  beforeEach(async () => {
    running = await bed.start({ WORKSPACE_TOKEN });
  });

  const api = (path: string, token: string | undefined, init: RequestInit = {}) =>
    fetch(`${running.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  const list = async (mapId: string, token: string) => (await (await api(`/api/maps/${mapId}/links`, token)).json()) as ListedLink[];
  const newLink = async (mapId: string, token: string, body: Record<string, unknown>) => {
    const response = await api(`/api/maps/${mapId}/links`, token, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as ListedLink & { token: string; error?: string } };
  };

  it('gives a new map one link per role, each with its own record, listed for its owner', async () => {
    const map = await createMap(running.url);
    const owner = tokenOf(map.links.owner);
    const links = await list(map.id, owner);
    expect(links.map((l) => [l.role, l.original, l.revokedAt])).toEqual(
      ['owner', 'editor', 'participant', 'commenter', 'viewer'].map((role) => [role, false, null]),
    );
    expect(links.map((l) => l.url).sort()).toEqual(Object.values(map.links).sort());
    // Only the owner (or a workspace admin) manages links.
    expect((await api(`/api/maps/${map.id}/links`, tokenOf(map.links.editor))).status).toBe(403);
    expect((await api(`/api/maps/${map.id}/links`, undefined)).status).toBe(401);
    expect((await api(`/api/maps/${map.id}/links`, WORKSPACE_TOKEN)).status).toBe(200);
    // A signature alone no longer opens a map made with link records.
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${running.server.signer.sign(map.id, 'owner')}`)).toBe(401);
  });

  it('cuts a revoked link’s live sessions within a second and refuses it after, everywhere', async () => {
    const map = await createMap(running.url);
    const owner = tokenOf(map.links.owner);
    const made = await newLink(map.id, owner, { role: 'editor', label: 'Sales team' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ role: 'editor', label: 'Sales team', expiresAt: null });
    const editor = connect(running.url, map.id, made.body.token);
    const other = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(editor, other);
    await Promise.all([synced(editor), synced(other)]);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      editor.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && resolve(event)),
    );

    const revokedAt = Date.now();
    expect((await api(`/api/maps/${map.id}/links/${made.body.id}`, owner, { method: 'DELETE' })).status).toBe(204);
    const { code, reason } = await closed;
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect(code).toBe(4403);
    expect(reason).toBe('this link was revoked');
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${made.body.token}`)).toBe(403);
    expect((await api(`/api/maps/${map.id}`, made.body.token)).status).toBe(403);
    expect((await api(`/api/maps/${map.id}/links/${made.body.id}`, owner, { method: 'DELETE' })).status).toBe(404);
    // Every other link stands.
    expect(other.provider.wsconnected).toBe(true);
    addStage(other.doc, { name: 'Still editing' });
    await waitFor(async () => (await api(`/api/maps/${map.id}`, owner)).status === 200, 'the owner link');
    const listed = await list(map.id, owner);
    expect(listed.find((l) => l.id === made.body.id)?.revokedAt).toBeGreaterThanOrEqual(revokedAt);
    expect(listed.find((l) => l.role === 'editor' && l.id !== made.body.id)?.lastUsedAt).toBeGreaterThan(0);
  });

  it('ends a link at its expiry: live sessions close and the link is refused after', async () => {
    const map = await createMap(running.url);
    const made = await newLink(map.id, tokenOf(map.links.owner), { role: 'viewer', expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect(made.status).toBe(201);
    const viewer = connect(running.url, map.id, made.body.token);
    bed.clients.push(viewer);
    await synced(viewer);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      viewer.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && resolve(event)),
    );
    expect(closed).toMatchObject({ code: 4403, reason: 'this link has expired' });
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${made.body.token}`)).toBe(403);
  });

  it('answers a bad link request with what is wrong', async () => {
    const map = await createMap(running.url);
    const owner = tokenOf(map.links.owner);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ role: 'admin' }, /role must be one of/],
      [{ role: 'editor', expiresAt: Date.now() - 1000 }, /in the future/],
      [{ role: 'editor', expiresAt: 'next tuesday' }, /ISO 8601/],
      [{ role: 'editor', label: 'x'.repeat(201) }, /at most 200/],
    ];
    for (const [body, message] of cases) {
      const { status, body: answer } = await newLink(map.id, owner, body);
      expect(status).toBe(400);
      expect(answer.error).toMatch(message);
    }
    expect((await api('/api/maps/unknownMap/links', WORKSPACE_TOKEN)).status).toBe(404);
  });

  it('keeps the original links of older maps until each is revoked', async () => {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Older map', template: 'blank' });
    await running.server.store.createMap('older', Y.encodeStateAsUpdate(doc), 1);
    const owner = running.server.signer.sign('older', 'owner');
    const viewer = running.server.signer.sign('older', 'viewer');
    const links = await list('older', owner);
    expect(links.filter((l) => l.original).map((l) => l.role)).toEqual(['owner', 'editor', 'participant', 'commenter', 'viewer']);
    expect(links.find((l) => l.role === 'viewer')!.url).toContain(viewer);
    expect(await upgradeStatus(running.url, `/sync/older?token=${viewer}`)).toBe(101);
    const viewerLink = links.find((l) => l.role === 'viewer')!;
    expect((await api(`/api/maps/older/links/${viewerLink.id}`, owner, { method: 'DELETE' })).status).toBe(204);
    expect(await upgradeStatus(running.url, `/sync/older?token=${viewer}`)).toBe(403);
    expect(await upgradeStatus(running.url, `/sync/older?token=${owner}`)).toBe(101);
  });

  it('takes the token as the WebSocket subprotocol, so it stays out of URLs', async () => {
    const map = await createMap(running.url);
    const ws = new WebSocket(`${running.url.replace(/^http/, 'ws')}/sync/${map.id}`, [tokenOf(map.links.viewer)]);
    const first = await new Promise<Buffer>((resolve, reject) => {
      ws.once('message', (data: Buffer) => resolve(data));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    expect(first.length).toBeGreaterThan(0);
    expect(ws.protocol).toBe(tokenOf(map.links.viewer));
    ws.close();
  });

  it('opens any map to the workspace admin as its owner', async () => {
    const map = await createMap(running.url);
    const response = await api(`/api/maps/${map.id}`, WORKSPACE_TOKEN);
    expect(((await response.json()) as { role: string }).role).toBe('owner');
    const admin = connect(running.url, map.id, WORKSPACE_TOKEN);
    bed.clients.push(admin);
    await synced(admin);
    addStage(admin.doc, { name: 'By the admin' });
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(editor);
    await waitFor(() => readStages(editor.doc).some((s) => s.name === 'By the admin'), 'the admin’s stage');
  });
});

describe('creating maps', () => {
  const bed = useServerTestBed();

  it('needs a workspace link unless MAP_CREATION=anyone', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN, MAP_CREATION: 'workspace' });
    const post = (token?: string) =>
      fetch(`${running.url}/api/maps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ title: 'Gated', template: 'blank' }),
      });
    const refused = await post();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/creating maps needs a workspace link/);
    expect((await post(WORKSPACE_TOKEN)).status).toBe(201);
    const made = await fetch(`${running.url}/api/workspace/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WORKSPACE_TOKEN}` },
      body: JSON.stringify({ role: 'member' }),
    });
    const member = (await made.json()) as { id: string; token: string };
    expect((await post(member.token)).status).toBe(201);
    await fetch(`${running.url}/api/workspace/links/${member.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${WORKSPACE_TOKEN}` },
    });
    const revoked = await post(member.token);
    expect(revoked.status).toBe(403);
    expect(((await revoked.json()) as { error: string }).error).toMatch(/this link was revoked/);
    // A map link is no workspace link.
    const created = (await (await post(WORKSPACE_TOKEN)).json()) as { links: { owner: string } };
    expect((await post(tokenOf(created.links.owner))).status).toBe(401);
  });

  it('is rate-limited per client address, with Retry-After', async () => {
    const running = await bed.start({ MAP_CREATION_RATE: '3' });
    const post = () =>
      fetch(`${running.url}/api/maps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Rate', template: 'blank' }),
      });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(201);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: string }).error).toMatch(/at most 3 maps a minute from one address/);
  });
});

describe('workspace links', () => {
  const bed = useServerTestBed();

  it('are made, listed and revoked by an admin; a member opens maps as an editor until revoked', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN });
    const call = (path: string, token: string | undefined, init: RequestInit = {}) =>
      fetch(`${running.url}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
    const made = await call('/api/workspace/links', WORKSPACE_TOKEN, {
      method: 'POST',
      body: JSON.stringify({ role: 'member', label: 'CX team' }),
    });
    expect(made.status).toBe(201);
    const member = (await made.json()) as { id: string; token: string; url: string; role: string };
    expect(member).toMatchObject({ role: 'member', url: `${running.url}/#workspace=${member.token}` });
    const adminMade = (await (
      await call('/api/workspace/links', WORKSPACE_TOKEN, { method: 'POST', body: JSON.stringify({ role: 'admin' }) })
    ).json()) as { token: string };

    // A member opens any map as an editor, and manages nothing.
    const map = await createMap(running.url);
    expect(((await (await call(`/api/maps/${map.id}`, member.token)).json()) as { role: string }).role).toBe('editor');
    expect((await call('/api/workspace/links', member.token)).status).toBe(403);
    expect((await call(`/api/maps/${map.id}/links`, member.token)).status).toBe(403);
    // A second admin does.
    expect((await call('/api/workspace/links', adminMade.token)).status).toBe(200);
    const listed = (await (await call('/api/workspace/links', WORKSPACE_TOKEN)).json()) as { id: string; label: string }[];
    expect(listed.map((l) => l.label)).toEqual(['CX team', '']);

    const client = connect(running.url, map.id, member.token);
    bed.clients.push(client);
    await synced(client);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && resolve(event)),
    );
    expect((await call(`/api/workspace/links/${member.id}`, WORKSPACE_TOKEN, { method: 'DELETE' })).status).toBe(204);
    expect(await closed).toMatchObject({ code: 4403, reason: 'this link was revoked' });
    expect((await call(`/api/maps/${map.id}`, member.token)).status).toBe(403);
    expect((await call(`/api/workspace/links/${member.id}`, WORKSPACE_TOKEN, { method: 'DELETE' })).status).toBe(404);
    // A map link cannot be revoked through the workspace, nor a workspace link through a map.
    const mapLinks = (await (await call(`/api/maps/${map.id}/links`, WORKSPACE_TOKEN)).json()) as { id: string }[];
    expect((await call(`/api/workspace/links/${mapLinks[0]!.id}`, WORKSPACE_TOKEN, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('the library', () => {
  const bed = useServerTestBed();

  it('lists every map for a workspace link: searched, sorted, with who edited last and who is on it now', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN });
    const library = async (query = '', token: string | null = WORKSPACE_TOKEN) => {
      const response = await fetch(`${running.url}/api/maps${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      return {
        status: response.status,
        body: (await response.json()) as {
          id: string;
          title: string;
          goal: string;
          template: string;
          updatedBy: string | null;
          people: string[];
          error?: string;
        }[],
      };
    };
    const checkout = await createMap(running.url, { title: 'Checkout', goal: 'Why buyers stall at payment', template: 'buyer-journey' });
    await createMap(running.url, { title: 'Onboarding', goal: 'First week', template: 'onboarding' });
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Archive from last year', template: 'blank' });
    await running.server.store.createMap('older', Y.encodeStateAsUpdate(doc), 1);

    const all = await library();
    expect(all.status).toBe(200);
    expect(all.body.map((m) => m.title).sort()).toEqual(['Archive from last year', 'Checkout', 'Onboarding']);
    expect((await library('?sort=title')).body.map((m) => m.title)).toEqual(['Archive from last year', 'Checkout', 'Onboarding']);
    expect((await library('?q=PAYMENT')).body.map((m) => m.id)).toEqual([checkout.id]);

    // Ana renames the checkout map: a moment later the library says so, and that she is on it.
    const ana = connect(running.url, checkout.id, tokenOf(checkout.links.editor));
    bed.clients.push(ana);
    await synced(ana);
    ana.provider.awareness.setLocalStateField('user', { id: 'ana', name: 'Ana', colour: '#e11d48' });
    await waitFor(async () => (await library()).body.find((m) => m.id === checkout.id)?.people.includes('Ana') ?? false, 'Ana on the map');
    setMeta(ana.doc, { title: 'Checkout (renamed)' });
    await waitFor(async () => (await library()).body[0]?.title === 'Checkout (renamed)', 'the new title first, as the last edited', 8000);
    expect((await library()).body[0]).toMatchObject({ id: checkout.id, updatedBy: 'Ana', template: 'buyer-journey' });

    expect((await library('', null)).status).toBe(401);
    expect((await library('', tokenOf(checkout.links.owner))).status).toBe(401);
    expect((await library('?sort=size')).status).toBe(400);
  });
});

describe('the trash', () => {
  const bed = useServerTestBed();

  it('deleting a map cuts its sessions and refuses its links; restoring brings them back; the trash empties itself', async () => {
    let running = await bed.start({ WORKSPACE_TOKEN, TRASH_DAYS: '30' });
    const call = (path: string, token: string | null, method = 'GET') =>
      fetch(`${running.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const map = await createMap(running.url, { title: 'To the trash' });
    const owner = tokenOf(map.links.owner);
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(editor);
    await synced(editor);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      editor.provider.on('connection-close', (event: { code: number; reason: string } | null) => event && resolve(event)),
    );

    expect((await call(`/api/maps/${map.id}`, tokenOf(map.links.editor), 'DELETE')).status).toBe(403);
    expect((await call(`/api/maps/${map.id}`, owner, 'DELETE')).status).toBe(204);
    expect(await closed).toMatchObject({ code: 4410, reason: expect.stringMatching(/deleted; its owner can restore it/) });
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${tokenOf(map.links.viewer)}`)).toBe(410);
    expect((await call(`/api/maps/${map.id}`, owner)).status).toBe(410);
    expect((await call(`/api/maps/${map.id}/links`, owner)).status).toBe(410);
    expect((await call(`/api/maps/${map.id}`, owner, 'DELETE')).status).toBe(409);
    const library = async (query: string) =>
      ((await (await call(`/api/maps${query}`, WORKSPACE_TOKEN)).json()) as { id: string }[]).map((m) => m.id);
    expect(await library('')).not.toContain(map.id);
    expect(await library('?trash=1')).toEqual([map.id]);

    expect((await call(`/api/maps/${map.id}/restore`, owner, 'POST')).status).toBe(204);
    expect((await call(`/api/maps/${map.id}/restore`, owner, 'POST')).status).toBe(409);
    expect((await call(`/api/maps/${map.id}`, tokenOf(map.links.viewer))).status).toBe(200);
    const back = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(back);
    await synced(back);
    expect(await library('')).toContain(map.id);

    // Deleted again, and kept no days: the next start removes it for good.
    expect((await call(`/api/maps/${map.id}`, owner, 'DELETE')).status).toBe(204);
    await running.close();
    running = await bed.start({ WORKSPACE_TOKEN, TRASH_DAYS: '0' });
    await waitFor(async () => !(await running.server.store.hasMap(map.id)), 'the map removed for good');
    expect((await call(`/api/maps/${map.id}`, WORKSPACE_TOKEN)).status).toBe(404);
    // Its links went with it.
    expect((await call(`/api/maps/${map.id}`, owner)).status).toBe(401);
  });
});

describe('duplicating a map', () => {
  const bed = useServerTestBed();

  it('copies the map as it is now under a new title, with links of its own', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN });
    const map = await createMap(running.url, { title: 'As-is journey' });
    const editor = connect(running.url, map.id, tokenOf(map.links.editor));
    bed.clients.push(editor);
    await synced(editor);
    addStage(editor.doc, { name: 'Added before the copy' });
    await waitFor(async () => {
      const stored = await running.server.store.load(map.id);
      return stored.updates.length > 0;
    }, 'the stage stored');
    const duplicate = (token: string, body: unknown = {}) =>
      fetch(`${running.url}/api/maps/${map.id}/duplicate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    expect((await duplicate(tokenOf(map.links.editor))).status).toBe(403);
    const response = await duplicate(tokenOf(map.links.owner), { title: 'To-be journey' });
    expect(response.status).toBe(201);
    const copy = (await response.json()) as { id: string; links: Record<string, string> };
    expect(copy.id).not.toBe(map.id);
    const reader = connect(running.url, copy.id, tokenOf(copy.links.viewer!));
    bed.clients.push(reader);
    await synced(reader);
    expect(readStages(reader.doc).map((s) => s.name)).toContain('Added before the copy');
    expect(reader.doc.getMap('meta').get('title')).toBe('To-be journey');
    // The copy's links open only the copy, and the original is untouched.
    expect(await upgradeStatus(running.url, `/sync/${map.id}?token=${tokenOf(copy.links.owner!)}`)).toBe(401);
    expect(editor.doc.getMap('meta').get('title')).toBe('As-is journey');
    const defaulted = (await (await duplicate(WORKSPACE_TOKEN)).json()) as { id: string };
    const listed = (await (
      await fetch(`${running.url}/api/maps?sort=title`, { headers: { authorization: `Bearer ${WORKSPACE_TOKEN}` } })
    ).json()) as { id: string; title: string }[];
    expect(listed.find((m) => m.id === defaulted.id)?.title).toBe('Copy of As-is journey');
  });
});

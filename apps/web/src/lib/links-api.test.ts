import { describe, expect, it, vi } from 'vitest';
import { MAP_LINKS, WORKSPACE_LINKS } from './link-kinds';
import { createLink, decodeLink, listLinks, mapLinksPath, revokeLink, WORKSPACE_LINKS_PATH } from './links-api';

const listed = {
  id: 'abc',
  role: 'participant',
  label: 'Workshop room',
  original: false,
  personal: false,
  createdAt: 1_700_000_000_000,
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  url: 'http://waymark.test/maps/m1#token=tok.sig',
};
// The workspace's links have no original ones, and say nothing about it.
const { original: _, ...workspaceListed } = { ...listed, role: 'member', url: 'http://waymark.test/#workspace=tok.sig' };

const mapLinks = { path: mapLinksPath('m1'), kind: MAP_LINKS };
const workspaceLinks = { path: WORKSPACE_LINKS_PATH, kind: WORKSPACE_LINKS };

/** A fetch that answers `status` with `body` and remembers what it was asked. */
function server(status: number, body?: unknown) {
  return vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
}

describe('decodeLink', () => {
  it('keeps a well-formed link', () => {
    expect(decodeLink(listed, MAP_LINKS)).toEqual(listed);
    expect(decodeLink(workspaceListed, WORKSPACE_LINKS)).toEqual({ ...workspaceListed, original: false });
    expect(decodeLink({ ...listed, personal: true }, MAP_LINKS)?.personal).toBe(true);
  });

  it('refuses what is not a link of a role of its kind', () => {
    expect(decodeLink({ ...listed, role: 'admin' }, MAP_LINKS)).toBeNull();
    expect(decodeLink(listed, WORKSPACE_LINKS)).toBeNull();
    expect(decodeLink({ ...listed, url: 7 }, MAP_LINKS)).toBeNull();
    expect(decodeLink({ ...listed, createdAt: '2024-01-01' }, MAP_LINKS)).toBeNull();
    expect(decodeLink({ ...listed, revokedAt: undefined }, MAP_LINKS)).toBeNull();
    expect(decodeLink('abc', MAP_LINKS)).toBeNull();
  });
});

describe('the links API', () => {
  it('lists with the managing token at the list’s path, and leaves out what it cannot read', async () => {
    const send = server(200, [listed, { ...listed, id: 'x', role: 'superuser' }]);
    expect(await listLinks(mapLinks, 'owner-token', send)).toEqual({ ok: true, value: [listed] });
    const [path, init] = send.mock.calls[0]!;
    expect(path).toBe('/api/maps/m1/links');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer owner-token');

    const admin = server(200, [workspaceListed, listed]);
    expect(await listLinks(workspaceLinks, 'admin-token', admin)).toEqual({ ok: true, value: [{ ...workspaceListed, original: false }] });
    expect(admin.mock.calls[0]![0]).toBe('/api/workspace/links');
  });

  it('creates with role, trimmed label and expiry, leaving out what is not set', async () => {
    const send = server(201, { ...listed, token: 'tok.sig' });
    const answer = await createLink(mapLinks, 't', { role: 'participant', label: '  Workshop room ', expiresAt: 1_800_000_000_000 }, send);
    expect(answer).toEqual({ ok: true, value: listed });
    expect(JSON.parse(String(send.mock.calls[0]![1]?.body))).toEqual({
      role: 'participant',
      label: 'Workshop room',
      expiresAt: 1_800_000_000_000,
    });
    await createLink(mapLinks, 't', { role: 'viewer', label: ' ', expiresAt: null }, send);
    expect(JSON.parse(String(send.mock.calls[1]![1]?.body))).toEqual({ role: 'viewer' });
    await createLink(mapLinks, 't', { role: 'participant', label: 'Cy', expiresAt: null, personal: true }, send);
    expect(JSON.parse(String(send.mock.calls[2]![1]?.body))).toEqual({ role: 'participant', label: 'Cy', personal: true });
  });

  it('revokes by id', async () => {
    const send = server(204);
    expect(await revokeLink(mapLinks, 't', 'a/b', send)).toEqual({ ok: true, value: null });
    expect(send.mock.calls[0]![0]).toBe('/api/maps/m1/links/a%2Fb');
    expect(send.mock.calls[0]![1]?.method).toBe('DELETE');
    await revokeLink(workspaceLinks, 't', 'w1', send);
    expect(send.mock.calls[1]![0]).toBe('/api/workspace/links/w1');
  });

  it('passes on the server’s reason and status, or says what went wrong', async () => {
    expect(await revokeLink(mapLinks, 't', 'x', server(404, { error: 'this map has no such link, or it was revoked already' }))).toEqual({
      ok: false,
      status: 404,
      error: 'this map has no such link, or it was revoked already',
    });
    expect(await listLinks(workspaceLinks, 't', server(403, { error: 'only a workspace admin may manage workspace links' }))).toEqual({
      ok: false,
      status: 403,
      error: 'only a workspace admin may manage workspace links',
    });
    expect(await listLinks(mapLinks, 't', server(500))).toEqual({ ok: false, status: 500, error: 'the server answered 500' });
    expect(await listLinks(mapLinks, 't', server(200, { links: [] }))).toEqual({
      ok: false,
      status: 0,
      error: 'the server sent an answer this page does not understand',
    });
    const offline = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await listLinks(mapLinks, 't', offline)).toEqual({ ok: false, status: 0, error: 'the server could not be reached' });
  });
});

import { describe, expect, it, vi } from 'vitest';
import { createMapLink, decodeMapLink, listMapLinks, revokeMapLink, tokenInLink } from './map-links-api';

const listed = {
  id: 'abc',
  role: 'participant',
  label: 'Workshop room',
  original: false,
  createdAt: 1_700_000_000_000,
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  url: 'http://waymark.test/maps/m1#token=tok.sig',
};

/** A fetch that answers `status` with `body` and remembers what it was asked. */
function server(status: number, body?: unknown) {
  return vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status }),
  );
}

describe('decodeMapLink', () => {
  it('keeps a well-formed link', () => {
    expect(decodeMapLink(listed)).toEqual(listed);
  });

  it('refuses what is not a link of a known role', () => {
    expect(decodeMapLink({ ...listed, role: 'admin' })).toBeNull();
    expect(decodeMapLink({ ...listed, url: 7 })).toBeNull();
    expect(decodeMapLink({ ...listed, createdAt: '2024-01-01' })).toBeNull();
    expect(decodeMapLink({ ...listed, revokedAt: undefined })).toBeNull();
    expect(decodeMapLink('abc')).toBeNull();
  });
});

describe('tokenInLink', () => {
  it('reads the token from the fragment', () => {
    expect(tokenInLink(listed.url)).toBe('tok.sig');
    expect(tokenInLink('http://waymark.test/maps/m1')).toBeNull();
  });
});

describe('the links API', () => {
  it('lists with the owner’s token and leaves out what it cannot read', async () => {
    const send = server(200, [listed, { ...listed, id: 'x', role: 'superuser' }]);
    expect(await listMapLinks('m1', 'owner-token', send)).toEqual({ ok: true, value: [listed] });
    const [path, init] = send.mock.calls[0]!;
    expect(path).toBe('/api/maps/m1/links');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer owner-token');
  });

  it('creates with role, trimmed label and expiry, leaving out what is not set', async () => {
    const send = server(201, { ...listed, token: 'tok.sig' });
    const answer = await createMapLink('m1', 't', { role: 'participant', label: '  Workshop room ', expiresAt: 1_800_000_000_000 }, send);
    expect(answer).toEqual({ ok: true, value: listed });
    expect(JSON.parse(String(send.mock.calls[0]![1]?.body))).toEqual({ role: 'participant', label: 'Workshop room', expiresAt: 1_800_000_000_000 });
    await createMapLink('m1', 't', { role: 'viewer', label: ' ', expiresAt: null }, send);
    expect(JSON.parse(String(send.mock.calls[1]![1]?.body))).toEqual({ role: 'viewer' });
  });

  it('revokes by id', async () => {
    const send = server(204);
    expect(await revokeMapLink('m1', 't', 'a/b', send)).toEqual({ ok: true, value: null });
    expect(send.mock.calls[0]![0]).toBe('/api/maps/m1/links/a%2Fb');
    expect(send.mock.calls[0]![1]?.method).toBe('DELETE');
  });

  it('passes on the server’s reason, or says what went wrong', async () => {
    expect(await revokeMapLink('m1', 't', 'x', server(404, { error: 'this map has no such link, or it was revoked already' }))).toEqual({
      ok: false,
      error: 'this map has no such link, or it was revoked already',
    });
    expect(await listMapLinks('m1', 't', server(500))).toEqual({ ok: false, error: 'the server answered 500' });
    expect(await listMapLinks('m1', 't', server(200, { links: [] }))).toEqual({ ok: false, error: 'the server sent an answer this page does not understand' });
    const offline = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await listMapLinks('m1', 't', offline)).toEqual({ ok: false, error: 'the server could not be reached' });
  });
});

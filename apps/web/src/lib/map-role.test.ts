import { afterEach, describe, expect, it, vi } from 'vitest';
import { endedLinkMessage, lookUpRole, roleFromToken, roleMay, type MapAbility } from './map-role';

const token = (payload: unknown) => `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.signature`;

describe('roleFromToken', () => {
  it('reads the role a capability link carries', () => {
    expect(roleFromToken(token({ v: 1, m: 'map', r: 'viewer' }))).toBe('viewer');
    expect(roleFromToken(token({ v: 1, m: 'map', r: 'editor' }))).toBe('editor');
  });

  it('answers null for anything else', () => {
    expect(roleFromToken(token({ v: 1, m: 'map', r: 'admin' }))).toBeNull();
    expect(roleFromToken('not-base64!.x')).toBeNull();
    expect(roleFromToken('')).toBeNull();
  });
});

describe('roleMay', () => {
  const roles = ['owner', 'editor', 'participant', 'commenter', 'viewer', null] as const;
  const may = (ability: MapAbility) => roles.map((role) => roleMay(role, ability));

  it('lets owners and editors shape the map, and nobody else', () => {
    expect(may('shape-map')).toEqual([true, true, false, false, false, false]);
    expect(may('delete-any-card')).toEqual([true, true, false, false, false, false]);
  });

  it('lets participants edit cards too, and commenters and viewers nothing', () => {
    expect(may('edit-cards')).toEqual([true, true, true, false, false, false]);
  });

  it('lets everyone but a viewer comment', () => {
    expect(may('comment')).toEqual([true, true, true, true, false, false]);
  });
});

describe('lookUpRole', () => {
  afterEach(() => vi.unstubAllGlobals());
  const answer = (status: number, body: unknown) =>
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(body), { status })),
    );

  it('takes the role and title from the server', async () => {
    answer(200, { id: 'm', role: 'editor', meta: { title: 'Renewals' } });
    expect(await lookUpRole('m', 't')).toEqual({ kind: 'role', role: 'editor', title: 'Renewals', trashDays: null });
    answer(200, { id: 'm', role: 'owner', meta: { title: 'Renewals' }, trashDays: 14 });
    expect(await lookUpRole('m', 't')).toMatchObject({ role: 'owner', trashDays: 14 });
  });

  it('tells a refused link from an unreachable server', async () => {
    answer(401, { error: 'nope' });
    expect((await lookUpRole('m', 't')).kind).toBe('refused');
    answer(200, { role: 'superuser' });
    expect((await lookUpRole('m', 't')).kind).toBe('unreachable');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    );
    expect((await lookUpRole('m', 't')).kind).toBe('unreachable');
  });

  it('says why a revoked or expired link no longer opens the map', async () => {
    answer(403, { error: 'this link was revoked' });
    expect(await lookUpRole('m', 't')).toEqual({
      kind: 'refused',
      message: 'This link was revoked by the map’s owner.',
      ended: 'this link was revoked',
    });
    answer(403, { error: 'this link has expired' });
    expect(await lookUpRole('m', 't')).toMatchObject({ kind: 'refused', message: 'This link has expired.' });
    answer(403, { error: 'storage says no' });
    expect(await lookUpRole('m', 't')).toMatchObject({ kind: 'refused', message: 'This link no longer opens the map: storage says no.' });
  });

  it('says a deleted map is in the trash', async () => {
    answer(410, { error: 'this map was deleted; its owner can restore it from the trash' });
    expect(await lookUpRole('m', 't')).toMatchObject({
      kind: 'refused',
      message: 'This map was deleted. Its owner can restore it from the trash.',
    });
  });

  it('says why when the server cannot open the map', async () => {
    answer(409, { error: 'this map was saved by a newer version of Waymark; upgrade the server' });
    expect(await lookUpRole('m', 't')).toEqual({
      kind: 'refused',
      message: 'This map cannot be opened: this map was saved by a newer version of Waymark; upgrade the server.',
    });
  });
});

describe('endedLinkMessage', () => {
  it('says in plain words that the link is gone, what it means for the page and what to do', () => {
    expect(endedLinkMessage('this link was revoked')).toBe(
      'This link was revoked by the map’s owner. This page no longer shows live changes or saves yours; ask the map’s owner for a new link.',
    );
    expect(endedLinkMessage('this link has expired')).toMatch(/^This link has expired\. /);
  });
});

import { describe, expect, it } from 'vitest';
import { CapabilitySigner } from './capability.js';

describe('CapabilitySigner', () => {
  const signer = new CapabilitySigner('a secret of thirty-two characters!');

  it('grants the role it signed, for its map only', () => {
    const token = signer.sign('map1', 'viewer');
    expect(signer.verify(token, 'map1')).toEqual({ mapId: 'map1', role: 'viewer', canWrite: false });
    expect(signer.verify(signer.sign('map1', 'editor'), 'map1')?.canWrite).toBe(true);
    expect(signer.verify(token, 'map2')).toBeNull();
  });

  it('refuses tokens signed with another secret, altered, or malformed', () => {
    const other = new CapabilitySigner('another secret of enough length');
    expect(signer.verify(other.sign('map1', 'owner'), 'map1')).toBeNull();
    const [payload, mac] = signer.sign('map1', 'viewer').split('.');
    const promoted = Buffer.from(JSON.stringify({ v: 1, m: 'map1', r: 'owner' })).toString('base64url');
    expect(signer.verify(`${promoted}.${mac}`, 'map1')).toBeNull();
    expect(signer.verify(`${payload}.${mac}.x`, 'map1')).toBeNull();
    for (const bad of [undefined, null, '', '.', 'abc', `${payload}.`, 'x'.repeat(5000)]) {
      expect(signer.verify(bad, 'map1')).toBeNull();
    }
  });

  it('refuses a short secret', () => {
    expect(() => new CapabilitySigner('short')).toThrow(/at least 16 bytes/);
  });

  it('reads link tokens for a map and for the workspace, and refuses mixed-up roles', () => {
    expect(signer.read(signer.signLink('l1', 'map1', 'participant'))).toEqual({
      kind: 'map',
      mapId: 'map1',
      role: 'participant',
      linkId: 'l1',
    });
    expect(signer.read(signer.signLink('w1', null, 'member'))).toEqual({ kind: 'workspace', role: 'member', linkId: 'w1' });
    expect(signer.read(signer.sign('map1', 'viewer'))).toEqual({ kind: 'map', mapId: 'map1', role: 'viewer', linkId: null });
    expect(signer.verify(signer.signLink('l1', 'map1', 'editor'), 'map1')?.role).toBe('editor');
    expect(signer.verify(signer.signLink('w1', null, 'admin'), 'map1')).toBeNull();
    // A workspace role on a map link, or a map role on a workspace link, is no link at all.
    expect(signer.read(signer.signLink('x', 'map1', 'admin'))).toBeNull();
    expect(signer.read(signer.signLink('x', null, 'owner'))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { linkActionName, linkTitle, MAP_LINKS, tokenInLink, WORKSPACE_LINKS } from './link-kinds';

describe('linkTitle and linkActionName', () => {
  it('name a link by its label, else by its role, without saying "link" twice', () => {
    expect(linkTitle({ role: 'participant', label: 'Workshop room' }, MAP_LINKS)).toBe('Workshop room');
    expect(linkActionName({ role: 'participant', label: 'Workshop room' }, MAP_LINKS)).toBe('Workshop room link');
    expect(linkTitle({ role: 'viewer', label: '  ' }, MAP_LINKS)).toBe('Viewer link');
    expect(linkActionName({ role: 'owner', label: 'owner link' }, MAP_LINKS)).toBe('Owner link');
  });

  it('name a workspace link by its own kind’s roles', () => {
    expect(linkTitle({ role: 'member', label: '' }, WORKSPACE_LINKS)).toBe('Member link');
    expect(linkActionName({ role: 'admin', label: 'design team' }, WORKSPACE_LINKS)).toBe('Design team link');
  });
});

describe('tokenInLink', () => {
  it('reads the token from the fragment key of the link’s kind', () => {
    expect(tokenInLink('http://waymark.test/maps/m1#token=tok.sig', MAP_LINKS)).toBe('tok.sig');
    expect(tokenInLink('http://waymark.test/maps/m1', MAP_LINKS)).toBeNull();
    expect(tokenInLink('http://waymark.test/#workspace=tok.sig', WORKSPACE_LINKS)).toBe('tok.sig');
    expect(tokenInLink('http://waymark.test/#workspace=tok.sig', MAP_LINKS)).toBeNull();
  });
});

describe('the kinds', () => {
  it('offer the weakest role first in the form, and know their own roles only', () => {
    expect(MAP_LINKS.defaultRole).toBe(MAP_LINKS.roles.at(-1));
    expect(WORKSPACE_LINKS.defaultRole).toBe('member');
    expect(WORKSPACE_LINKS.isRole('admin')).toBe(true);
    expect(WORKSPACE_LINKS.isRole('owner')).toBe(false);
    expect(MAP_LINKS.isRole('member')).toBe(false);
  });
});

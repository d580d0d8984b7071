import { describe, expect, it } from 'vitest';
import { decodeShareLinks, linksByRole } from './share-links';

describe('decodeShareLinks', () => {
  it('keeps all five links a new map comes with', () => {
    const all = { owner: 'o', editor: 'e', participant: 'p', commenter: 'c', viewer: 'v' };
    expect(decodeShareLinks(all)).toEqual(all);
    expect(linksByRole(decodeShareLinks(all)!).map((link) => link.role)).toEqual(['owner', 'editor', 'participant', 'commenter', 'viewer']);
  });

  it('still reads entries stored with only editor and viewer links', () => {
    const old = decodeShareLinks({ editor: 'e', viewer: 'v' });
    expect(old).toEqual({ editor: 'e', viewer: 'v' });
    expect(linksByRole(old!)).toEqual([
      { role: 'editor', url: 'e' },
      { role: 'viewer', url: 'v' },
    ]);
  });

  it('drops what is not a link, and refuses entries without editor and viewer', () => {
    expect(decodeShareLinks({ editor: 'e', viewer: 'v', participant: 7, admin: 'x' })).toEqual({ editor: 'e', viewer: 'v' });
    expect(decodeShareLinks({ editor: 'e' })).toBeNull();
    expect(decodeShareLinks('e')).toBeNull();
    expect(decodeShareLinks(null)).toBeNull();
  });
});

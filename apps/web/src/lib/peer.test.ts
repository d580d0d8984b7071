import { describe, expect, it } from 'vitest';
import { decodePeer } from './peer';

describe('decodePeer', () => {
  const user = { id: 'u1', name: 'Sam', colour: '#2563eb' };

  it('reads a well-formed awareness state', () => {
    expect(decodePeer(7, { user, cursor: { x: 10, y: 20 }, editing: 'card-1', presenting: { stageId: 'stage-3' } })).toEqual({
      clientId: 7,
      userId: 'u1',
      name: 'Sam',
      colour: '#2563eb',
      cursor: { x: 10, y: 20 },
      editingCardId: 'card-1',
      presentingStageId: 'stage-3',
      view: null,
    });
  });

  it('ignores states without a usable user, and drops bad optional fields', () => {
    expect(decodePeer(1, null)).toBeNull();
    expect(decodePeer(1, { user: { id: 'u1', name: 'Sam', colour: 'red; background: url(x)' } })).toBeNull();
    expect(decodePeer(1, { user: { ...user, id: 3 } })).toBeNull();
    const peer = decodePeer(1, { user, cursor: { x: Number.NaN, y: 1 }, editing: 42 });
    expect(peer?.cursor).toBeNull();
    expect(peer?.editingCardId).toBeNull();
    expect(peer?.presentingStageId).toBeNull();
    expect(decodePeer(1, { user, presenting: { stageId: 'a:b' } })?.presentingStageId).toBeNull();
    expect(decodePeer(1, { user, presenting: 'stage-3' })?.presentingStageId).toBeNull();
    expect(decodePeer(1, { user, view: { x: 10, y: 5, zoom: 0.8, stageId: 'stage-3' } })?.view).toEqual({
      x: 10,
      y: 5,
      zoom: 0.8,
      stageId: 'stage-3',
    });
    expect(decodePeer(1, { user, view: { x: 10, y: 5, zoom: 0.8, stageId: 'a:b' } })?.view?.stageId).toBeNull();
    expect(decodePeer(1, { user, view: { x: 10, y: 5, zoom: Number.POSITIVE_INFINITY, stageId: null } })?.view).toBeNull();
    expect(decodePeer(1, { user, view: { x: Number.NaN, y: 5, zoom: 1, stageId: null } })?.view).toBeNull();
  });

  it('keeps names short and never empty', () => {
    expect(decodePeer(1, { user: { ...user, name: 'x'.repeat(500) } })?.name).toHaveLength(40);
    expect(decodePeer(1, { user: { ...user, name: '' } })?.name).toBe('Guest');
  });
});

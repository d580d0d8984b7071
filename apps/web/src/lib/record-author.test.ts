import { addCard, addLane, addStage, deleteCard, localOrigin, updateCard } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { insertedByThisDoc } from './record-author';

function twoPeers() {
  const alice = new Y.Doc();
  const bob = new Y.Doc();
  const stageId = addStage(alice, { name: 'Discover' });
  const laneId = addLane(alice, { title: 'Actions', kind: 'actions' });
  const sync = () => {
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice, Y.encodeStateVector(bob)));
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob, Y.encodeStateVector(alice)));
  };
  sync();
  return { alice, bob, stageId, laneId, sync };
}

describe('insertedByThisDoc', () => {
  it("tells a card this document created from a colleague's", () => {
    const { alice, bob, stageId, laneId, sync } = twoPeers();
    const mine = addCard(bob, { stageId, laneId, text: 'mine' });
    const theirs = addCard(alice, { stageId, laneId, text: 'theirs' });
    sync();
    expect(insertedByThisDoc(bob, 'cards', mine)).toBe(true);
    expect(insertedByThisDoc(bob, 'cards', theirs)).toBe(false);
    expect(insertedByThisDoc(alice, 'cards', theirs)).toBe(true);
    expect(insertedByThisDoc(bob, 'cards', 'no-such-card')).toBe(false);
  });

  it("does not make a colleague's card yours when you edit it", () => {
    const { alice, bob, stageId, laneId, sync } = twoPeers();
    const theirs = addCard(alice, { stageId, laneId });
    sync();
    updateCard(bob, theirs, { colour: '#fde68a', tags: ['checkout'] });
    expect(insertedByThisDoc(bob, 'cards', theirs)).toBe(false);
  });

  it('counts a card made before a reload as someone else’s', () => {
    const { alice, stageId, laneId } = twoPeers();
    const id = addCard(alice, { stageId, laneId });
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(alice));
    expect(insertedByThisDoc(reloaded, 'cards', id)).toBe(false);
  });

  it('keeps a card yours when you undo its deletion', () => {
    const { bob, stageId, laneId } = twoPeers();
    const origin = localOrigin('bob');
    const undo = new Y.UndoManager(bob.getMap('cards'), { trackedOrigins: new Set([origin]) });
    const id = addCard(bob, { stageId, laneId }, origin);
    undo.stopCapturing();
    deleteCard(bob, id, origin);
    undo.undo();
    expect(insertedByThisDoc(bob, 'cards', id)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCards } from '../records/card.js';
import type { LaneKind } from '../records/lane.js';
import { readLanes } from '../records/lane.js';
import { addCard } from './cards.js';
import { addLane, deleteLane, moveLane, renameLane } from './lanes.js';
import { addStage } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

function titles(doc: Y.Doc): string[] {
  return readLanes(doc).map((lane) => lane.title);
}

describe('lane writes', () => {
  it('adds, renames and moves lanes', () => {
    const doc = new Y.Doc();
    const doing = addLane(doc, { title: 'Doing', kind: 'actions' });
    const feeling = addLane(doc, { title: 'Feeling', kind: 'emotions' });
    addLane(doc, { title: 'Goals', kind: 'goals', after: null });
    expect(titles(doc)).toEqual(['Goals', 'Doing', 'Feeling']);
    renameLane(doc, doing, 'Actions');
    moveLane(doc, feeling, { before: doing });
    expect(titles(doc)).toEqual(['Goals', 'Feeling', 'Actions']);
    expect(readLanes(doc).find((lane) => lane.id === feeling)?.kind).toBe('emotions');
  });

  it('rejects unknown kinds, empty titles and unknown ids without changes', () => {
    const doc = new Y.Doc();
    const lane = addLane(doc, { title: 'Doing', kind: 'actions' });
    expectRejected(doc, () => addLane(doc, { title: 'Pain', kind: 'pain' as LaneKind }), /addLane: unknown lane kind "pain"/);
    expectRejected(doc, () => addLane(doc, { title: '', kind: 'notes' }), 'addLane: title must not be empty');
    expectRejected(doc, () => renameLane(doc, 'nope', 'X'), 'renameLane: unknown lane "nope"');
    expectRejected(doc, () => moveLane(doc, lane, { before: lane }), /relative to itself/);
    expectRejected(doc, () => deleteLane(doc, 'nope'), 'deleteLane: unknown lane "nope"');
  });

  it('deletes a lane with its cards in one transaction', () => {
    const doc = new Y.Doc();
    const stage = addStage(doc, { name: 'S' });
    const keep = addLane(doc, { title: 'Keep', kind: 'actions' });
    const drop = addLane(doc, { title: 'Drop', kind: 'painPoints' });
    const kept = addCard(doc, { stageId: stage, laneId: keep });
    addCard(doc, { stageId: stage, laneId: drop });
    addCard(doc, { stageId: stage, laneId: drop });
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    deleteLane(doc, drop);
    expect(transactions).toBe(1);
    expect(titles(doc)).toEqual(['Keep']);
    expect([...doc.getMap('cards').keys()]).toEqual([kept]);
    expect(readCards(doc)).toHaveLength(1);
  });
});

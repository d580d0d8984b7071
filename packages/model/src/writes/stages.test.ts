import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCards } from '../records/card.js';
import { readEmotions } from '../records/emotion.js';
import { readStages } from '../records/stage.js';
import { addCard } from './cards.js';
import { setEmotion } from './emotions.js';
import { addLane } from './lanes.js';
import { addPersona } from './personas.js';
import { addStage, deleteStage, moveStage, renameStage, setStageMetrics } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

function names(doc: Y.Doc): string[] {
  return readStages(doc).map((stage) => stage.name);
}

describe('addStage', () => {
  it('appends by default, prepends with after: null, inserts after an anchor', () => {
    const doc = new Y.Doc();
    const b = addStage(doc, { name: 'B' });
    addStage(doc, { name: 'D' });
    addStage(doc, { name: 'A', after: null });
    addStage(doc, { name: 'C', after: b });
    expect(names(doc)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('trims the name and stores metrics as a nested Y.Map', () => {
    const doc = new Y.Doc();
    const id = addStage(doc, { name: '  Purchase ', metrics: { NPS: 31, 'Drop-off %': '18%' } });
    expect(readStages(doc)).toEqual([{ id, name: 'Purchase', order: 'a0', metrics: { NPS: 31, 'Drop-off %': '18%' } }]);
    const record = doc.getMap('stages').get(id) as Y.Map<unknown>;
    expect(record.get('metrics')).toBeInstanceOf(Y.Map);
  });

  it('rejects bad input without changing the document', () => {
    const doc = new Y.Doc();
    addStage(doc, { name: 'A' });
    expectRejected(doc, () => addStage(doc, { name: ' ' }), 'addStage: name must not be empty');
    expectRejected(doc, () => addStage(doc, { name: 'B', after: 'nope' }), 'addStage: unknown anchor "nope"');
    expectRejected(doc, () => addStage(doc, { name: 'B', metrics: { NPS: Number.NaN } }), /metric "NPS"/);
  });
});

describe('renameStage and moveStage', () => {
  it('renames, and moves by writing the order field only', () => {
    const doc = new Y.Doc();
    const a = addStage(doc, { name: 'A' });
    const b = addStage(doc, { name: 'B' });
    const c = addStage(doc, { name: 'C' });
    renameStage(doc, b, 'Bee');
    const record = doc.getMap('stages').get(c) as Y.Map<unknown>;
    const changedKeys: string[][] = [];
    record.observe((event) => changedKeys.push([...event.keysChanged]));
    moveStage(doc, c, { after: null });
    expect(names(doc)).toEqual(['C', 'A', 'Bee']);
    expect(changedKeys).toEqual([['order']]);
    moveStage(doc, c, { before: null });
    expect(names(doc)).toEqual(['A', 'Bee', 'C']);
    moveStage(doc, a, { before: c });
    expect(names(doc)).toEqual(['Bee', 'A', 'C']);
    moveStage(doc, a, { after: c });
    expect(names(doc)).toEqual(['Bee', 'C', 'A']);
  });

  it('rejects unknown ids and self anchors', () => {
    const doc = new Y.Doc();
    const a = addStage(doc, { name: 'A' });
    expectRejected(doc, () => renameStage(doc, 'nope', 'X'), 'renameStage: unknown stage "nope"');
    expectRejected(doc, () => renameStage(doc, a, ''), 'renameStage: name must not be empty');
    expectRejected(doc, () => moveStage(doc, 'nope', { after: null }), 'moveStage: unknown stage "nope"');
    expectRejected(doc, () => moveStage(doc, a, { after: a }), /relative to itself/);
  });
});

describe('setStageMetrics', () => {
  it('sets and removes metrics, converting a plain-object metrics field', () => {
    const doc = new Y.Doc();
    const id = addStage(doc, { name: 'A', metrics: { CSAT: 3.9 } });
    setStageMetrics(doc, id, { NPS: 20, CSAT: null });
    expect(readStages(doc)[0]?.metrics).toEqual({ NPS: 20 });
    (doc.getMap('stages').get(id) as Y.Map<unknown>).set('metrics', { Volume: 900 });
    setStageMetrics(doc, id, { CES: 5 });
    expect(readStages(doc)[0]?.metrics).toEqual({ Volume: 900, CES: 5 });
    expectRejected(doc, () => setStageMetrics(doc, id, { CES: Infinity }), /metric "CES"/);
  });
});

describe('deleteStage', () => {
  it('deletes the stage, its cards and its emotion scores in one transaction', () => {
    const doc = new Y.Doc();
    const keep = addStage(doc, { name: 'Keep' });
    const drop = addStage(doc, { name: 'Drop' });
    const lane = addLane(doc, { title: 'Actions', kind: 'actions' });
    const persona = addPersona(doc, { name: 'Alex' });
    const kept = addCard(doc, { stageId: keep, laneId: lane, text: 'stays' });
    addCard(doc, { stageId: drop, laneId: lane, text: 'goes' });
    setEmotion(doc, { personaId: persona, stageId: drop, score: 2 });
    setEmotion(doc, { personaId: persona, stageId: drop, participantId: 'u1', score: 1 });
    setEmotion(doc, { personaId: persona, stageId: keep, score: -1 });
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    deleteStage(doc, drop);
    expect(transactions).toBe(1);
    expect(names(doc)).toEqual(['Keep']);
    expect(readCards(doc).map((card) => card.id)).toEqual([kept]);
    expect(doc.getMap('cards').size).toBe(1);
    expect([...doc.getMap('emotions').keys()]).toEqual([`${persona}:${keep}`]);
    expect(readEmotions(doc)).toHaveLength(1);
    expectRejected(doc, () => deleteStage(doc, drop), `deleteStage: unknown stage "${drop}"`);
  });
});

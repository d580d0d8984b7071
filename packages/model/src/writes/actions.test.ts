import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkMapExport, exportMap, writeMapState } from '../map-export.js';
import { localOrigin } from '../origin.js';
import { isDueDate, isOverdue, isUnowned, readActions } from '../records/action.js';
import { addAction, addActionForCard, deleteAction, updateAction } from './actions.js';
import { addCard, deleteCard } from './cards.js';
import { addLane } from './lanes.js';
import { setMeta } from './meta.js';
import { addStage } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

function mapWithPainPoint() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Checkout' });
  const stageId = addStage(doc, { name: 'Purchase' });
  const laneId = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
  const cardId = addCard(doc, { stageId, laneId, text: 'Hidden fees at checkout\nseen in 40% of calls' });
  return { doc, stageId, laneId, cardId };
}

describe('the action plan', () => {
  it('makes an action from a card in one step, titled by its first line and linked to it', () => {
    const { doc, cardId } = mapWithPainPoint();
    const id = addActionForCard(doc, cardId, localOrigin('ana'));
    expect(readActions(doc)).toEqual([
      expect.objectContaining({ id, title: 'Hidden fees at checkout', status: 'idea', owner: '', cardIds: [cardId], author: 'ana' }),
    ]);
    expectRejected(doc, () => addActionForCard(doc, 'nope'), 'addActionForCard: unknown card "nope"');
  });

  it('keeps owner, department, status, due date and KPI target, and refuses what does not fit', () => {
    const { doc, cardId } = mapWithPainPoint();
    const id = addAction(doc, {
      title: 'Show fees on the product page',
      owner: ' Bo ',
      department: 'Product',
      due: '2026-03-31',
      cardIds: [cardId],
    });
    updateAction(doc, id, { status: 'in-progress', kpiTarget: 'Checkout drop-off under 20%' });
    expect(readActions(doc)[0]).toMatchObject({
      owner: 'Bo',
      department: 'Product',
      status: 'in-progress',
      due: '2026-03-31',
      kpiTarget: 'Checkout drop-off under 20%',
    });
    expectRejected(doc, () => updateAction(doc, id, { due: '2026-02-30' }), /due must be a date/);
    expectRejected(
      doc,
      () => updateAction(doc, id, { status: 'someday' as never }),
      /status must be one of idea, planned, in-progress, done, dropped/,
    );
    expectRejected(doc, () => updateAction(doc, id, { title: '  ' }), 'updateAction: title must not be empty');
    expectRejected(doc, () => updateAction(doc, id, { cardIds: ['nope'] }), 'updateAction: unknown card "nope"');
    expectRejected(doc, () => updateAction(doc, 'nope', {}), 'updateAction: unknown action "nope"');
    deleteAction(doc, id);
    expect(readActions(doc)).toEqual([]);
  });

  it('says which actions are overdue or unowned, and forgets links to deleted cards', () => {
    const { doc, cardId } = mapWithPainPoint();
    const late = addAction(doc, { title: 'Late', due: '2026-01-10', owner: 'Cy', cardIds: [cardId] });
    addAction(doc, { title: 'Done late', due: '2026-01-10', status: 'done' });
    const [lateAction, doneAction] = readActions(doc);
    expect(isOverdue(lateAction!, '2026-01-11')).toBe(true);
    expect(isOverdue(lateAction!, '2026-01-10')).toBe(false);
    expect(isOverdue(doneAction!, '2026-02-01')).toBe(false);
    expect(isUnowned(lateAction!)).toBe(false);
    expect(isUnowned(doneAction!)).toBe(false);
    expect(isUnowned({ owner: ' ', status: 'planned' })).toBe(true);
    expect([isDueDate(''), isDueDate('2024-02-29'), isDueDate('2025-02-29'), isDueDate('31/03/2026')]).toEqual([true, true, false, false]);
    deleteCard(doc, cardId);
    expect(readActions(doc).find((action) => action.id === late)?.cardIds).toEqual([]);
  });

  it('travels in a map export and back, and reads an export made before maps had one', () => {
    const { doc, cardId } = mapWithPainPoint();
    addAction(doc, { title: 'Show fees early', owner: 'Bo', cardIds: [cardId] });
    const exported = checkMapExport(JSON.parse(JSON.stringify(exportMap(doc))));
    const copy = new Y.Doc();
    writeMapState(copy, exported, null);
    expect(readActions(copy)).toEqual(readActions(doc));
    const { actions: _actions, ...older } = JSON.parse(JSON.stringify(exportMap(doc))) as Record<string, unknown>;
    expect(() => checkMapExport(older)).not.toThrow();
    const bad = JSON.parse(JSON.stringify(exported)) as { actions: Record<string, { cardIds: string[] }> };
    Object.values(bad.actions)[0]!.cardIds = ['elsewhere'];
    expect(() => checkMapExport(bad)).toThrow(/cardIds\[0\]: refers to "elsewhere"/);
  });
});

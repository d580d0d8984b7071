import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Problem } from '../problems.js';
import { checkMetrics, collectStages, readStages } from './stage.js';

function putStage(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
  const record = new Y.Map<unknown>();
  doc.getMap('stages').set(id, record);
  for (const [key, value] of Object.entries(fields)) record.set(key, value);
}

describe('readStages', () => {
  it('returns valid stages sorted by (order, id) with metrics from a Y.Map or plain object', () => {
    const doc = new Y.Doc();
    putStage(doc, 'zz', { name: 'Decision', order: 'a1' });
    putStage(doc, 'bb', { name: 'Consideration', order: 'a0' });
    putStage(doc, 'aa', { name: 'Awareness', order: 'a0', metrics: { NPS: 12, Volume: '10k' } });
    putStage(doc, 'cc', { name: 'Purchase', order: 'a2', metrics: new Y.Map([['CSAT', 4.2]]) });
    expect(readStages(doc)).toEqual([
      { id: 'aa', name: 'Awareness', order: 'a0', metrics: { NPS: 12, Volume: '10k' } },
      { id: 'bb', name: 'Consideration', order: 'a0', metrics: {} },
      { id: 'zz', name: 'Decision', order: 'a1', metrics: {} },
      { id: 'cc', name: 'Purchase', order: 'a2', metrics: { CSAT: 4.2 } },
    ]);
  });

  it('skips invalid stages and says why', () => {
    const doc = new Y.Doc();
    putStage(doc, 'ok', { name: 'Fine', order: 'a0' });
    putStage(doc, 'noName', { order: 'a1' });
    putStage(doc, 'blank', { name: '  ', order: 'a1' });
    putStage(doc, 'numName', { name: 7, order: 'a1' });
    putStage(doc, 'badOrder', { name: 'X', order: 'a10' });
    putStage(doc, 'bad:id', { name: 'X', order: 'a1' });
    putStage(doc, 'badMetrics', { name: 'X', order: 'a1', metrics: [1, 2] });
    doc.getMap('stages').set('plain', { name: 'Not a Y.Map', order: 'a1' });
    const problems: Problem[] = [];
    expect(collectStages(doc, problems).map((stage) => stage.id)).toEqual(['ok']);
    const reasons = Object.fromEntries(problems.map((problem) => [problem.id, problem.reason]));
    expect(reasons).toEqual({
      noName: 'missing name',
      blank: 'name is empty',
      numName: 'name is not a string',
      badOrder: 'order is not a valid order key: "a10"',
      'bad:id': 'id is not a valid record id',
      badMetrics: 'metrics is neither a Y.Map nor an object',
      plain: 'not a Y.Map',
    });
    expect(problems.every((problem) => problem.collection === 'stages')).toBe(true);
    expect(problems.every((problem) => problem.action === 'skipped')).toBe(true);
  });

  it('keeps a stage with one bad metric and reports the metric', () => {
    const doc = new Y.Doc();
    putStage(doc, 's1', { name: 'Use', order: 'a0', metrics: { NPS: 30, CSAT: Number.NaN } });
    const problems: Problem[] = [];
    expect(collectStages(doc, problems)).toEqual([{ id: 's1', name: 'Use', order: 'a0', metrics: { NPS: 30 } }]);
    expect(problems).toEqual([
      {
        collection: 'stages',
        id: 's1',
        reason: 'metric "CSAT" ignored: not a number or string',
        action: 'repaired',
      },
    ]);
  });
});

describe('checkMetrics', () => {
  it('accepts numbers and strings and rejects the rest', () => {
    expect(checkMetrics({ NPS: 40, 'Drop-off %': '12%' }, 'addStage')).toEqual({
      NPS: 40,
      'Drop-off %': '12%',
    });
    expect(() => checkMetrics({ NPS: Infinity }, 'addStage')).toThrow('addStage: metric "NPS" must be a finite number or a string');
    expect(() => checkMetrics({ ' ': 1 }, 'addStage')).toThrow(/names must not be empty/);
  });
});

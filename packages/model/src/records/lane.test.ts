import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Problem } from '../problems.js';
import { checkLaneKind, collectLanes, isLaneKind, LANE_KIND_LABELS, LANE_KINDS, readLanes, upgradeLaneFromV1 } from './lane.js';

function putLane(doc: Y.Doc, id: string, fields: Record<string, unknown>): Y.Map<unknown> {
  const record = new Y.Map<unknown>();
  doc.getMap('lanes').set(id, record);
  for (const [key, value] of Object.entries(fields)) record.set(key, value);
  return record;
}

describe('lane kinds', () => {
  it('have a human label each', () => {
    expect(Object.keys(LANE_KIND_LABELS).sort()).toEqual([...LANE_KINDS].sort());
    expect(LANE_KIND_LABELS.painPoints).toBe('Pain points');
    expect(isLaneKind('kpis')).toBe(true);
    expect(isLaneKind('pain')).toBe(false);
    expect(() => checkLaneKind('pain', 'addLane')).toThrow(/addLane: unknown lane kind "pain"/);
  });
});

describe('readLanes', () => {
  it('returns valid lanes sorted and skips unknown kinds', () => {
    const doc = new Y.Doc();
    putLane(doc, 'l2', { title: 'Feeling', kind: 'emotions', order: 'a1' });
    putLane(doc, 'l1', { title: 'Doing', kind: 'actions', order: 'a0' });
    putLane(doc, 'old', { title: 'Pain', kind: 'pain', order: 'a2' });
    putLane(doc, 'untitled', { kind: 'notes', order: 'a3' });
    const problems: Problem[] = [];
    expect(collectLanes(doc, problems)).toEqual([
      { id: 'l1', title: 'Doing', kind: 'actions', order: 'a0' },
      { id: 'l2', title: 'Feeling', kind: 'emotions', order: 'a1' },
    ]);
    expect(problems).toEqual([
      { collection: 'lanes', id: 'old', reason: 'unknown lane kind: "pain"', action: 'skipped' },
      { collection: 'lanes', id: 'untitled', reason: 'missing title', action: 'skipped' },
    ]);
    expect(readLanes(doc)).toHaveLength(2);
  });
});

describe('upgradeLaneFromV1', () => {
  it('renames the v1 kinds and leaves current ones alone', () => {
    const doc = new Y.Doc();
    const pain = putLane(doc, 'a', { title: 'Pain', kind: 'pain', order: 'a0' });
    const ideas = putLane(doc, 'b', { title: 'Ideas', kind: 'ideas', order: 'a1' });
    const current = putLane(doc, 'c', { title: 'Do', kind: 'actions', order: 'a2' });
    for (const record of [pain, ideas, current]) upgradeLaneFromV1(record);
    expect([pain.get('kind'), ideas.get('kind'), current.get('kind')]).toEqual(['painPoints', 'opportunities', 'actions']);
  });
});

import type { MapExport } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { diffSections, diffSummary } from './version-diff-summary';
import { cellKey, previewGrid } from './version-preview';

const base: MapExport = {
  format: 'waymark-map',
  formatVersion: 1,
  meta: { title: 'Checkout' },
  stages: { s1: { name: 'Discover', order: 'a0' }, s2: { name: 'Buy', order: 'a1' }, s3: { name: 'Gone stage', order: 'a2' } },
  lanes: { l1: { title: 'Actions', kind: 'actions', order: 'a0' } },
  personas: { p1: { name: 'Sam', colour: '#000000' } },
  cards: {
    keep: { stageId: 's1', laneId: 'l1', order: 'a0', text: 'Same' },
    edit: { stageId: 's1', laneId: 'l1', order: 'a1', text: 'Old words' },
    move: { stageId: 's1', laneId: 'l1', order: 'a2', text: 'Wanders' },
    drop: { stageId: 's3', laneId: 'l1', order: 'a0', text: 'Only now' },
  },
  emotions: { 'p1:s1': 2 },
};

const shown: MapExport = {
  ...base,
  stages: { s1: { name: 'Discover', order: 'a0' }, s2: { name: 'Purchase', order: 'a1' } },
  cards: {
    keep: { stageId: 's1', laneId: 'l1', order: 'a0', text: 'Same' },
    edit: { stageId: 's1', laneId: 'l1', order: 'a1', text: 'New words' },
    move: { stageId: 's2', laneId: 'l1', order: 'a0', text: 'Wanders' },
    fresh: { stageId: 's2', laneId: 'l1', order: 'a1', text: 'Only in the version' },
  },
  emotions: { 'p1:s1': 4 },
};

describe('previewGrid', () => {
  it('lays a version out by order, unmarked when compared with nothing', () => {
    const grid = previewGrid(shown, null);
    expect(grid.diff).toBeNull();
    expect(grid.stages.map((stage) => [stage.name, stage.mark])).toEqual([
      ['Discover', null],
      ['Purchase', null],
    ]);
    expect(grid.cells.get(cellKey('s1', 'l1'))?.map((card) => card.text)).toEqual(['Same', 'New words']);
    expect(grid.cells.get(cellKey('s2', 'l1'))?.every((card) => !card.added && !card.changed)).toBe(true);
  });

  it('marks added, changed and moved cards, brings removed cards and stages back as ghosts, and marks renames', () => {
    const grid = previewGrid(shown, base);
    expect(grid.stages.map((stage) => [stage.name, stage.mark, stage.before])).toEqual([
      ['Discover', null, null],
      ['Purchase', 'renamed', 'Buy'],
      ['Gone stage', 'removed', null],
    ]);
    const [same, edited] = grid.cells.get(cellKey('s1', 'l1')) ?? [];
    expect(same).toMatchObject({ id: 'keep', added: false, removed: false, changed: false, movedFrom: null, textBefore: null });
    expect(edited).toMatchObject({ id: 'edit', changed: true, textBefore: 'Old words', text: 'New words' });
    const [moved, fresh] = grid.cells.get(cellKey('s2', 'l1')) ?? [];
    expect(moved).toMatchObject({ id: 'move', movedFrom: 'Discover / Actions', changed: false });
    expect(fresh).toMatchObject({ id: 'fresh', added: true });
    expect(grid.cells.get(cellKey('s3', 'l1'))).toEqual([expect.objectContaining({ id: 'drop', removed: true, text: 'Only now' })]);
  });

  it('leaves out a card whose stage is in neither state', () => {
    const dangling: MapExport = { ...shown, cards: { lost: { stageId: 'nowhere', laneId: 'l1', order: 'a0', text: 'x' } } };
    expect([...previewGrid(dangling, null).cells.values()].flat()).toEqual([]);
  });
});

describe('the diff in words', () => {
  it('counts each kind of change', () => {
    const diff = previewGrid(shown, base).diff!;
    expect(diffSummary(diff)).toBe('1 card added, 1 removed, 1 changed, 1 moved; 1 stage removed, 1 renamed; 1 emotion score changed');
  });

  it('lists each change with its marker and the earlier text', () => {
    const sections = diffSections(previewGrid(shown, base).diff!, shown, base);
    expect(sections.map((section) => section.title)).toEqual(['Cards', 'Stages', 'Emotion scores']);
    expect(sections[0]!.items).toEqual([
      { mark: 'added', text: 'Only in the version' },
      { mark: 'removed', text: 'Only now' },
      { mark: 'changed', text: 'New words', before: 'Old words' },
      { mark: 'moved', text: 'Wanders: from Discover / Actions to Purchase / Actions' },
    ]);
    expect(sections[1]!.items).toEqual([
      { mark: 'removed', text: 'Gone stage' },
      { mark: 'renamed', text: 'Purchase', before: 'Buy' },
    ]);
    expect(sections[2]!.items).toEqual([{ mark: 'changed', text: 'Sam at Discover: 2 → 4' }]);
  });

  it('says when there is no difference', () => {
    expect(diffSummary(previewGrid(shown, shown).diff!)).toBe('No differences');
  });
});

import type { MapExport } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { diffSections, diffSummary } from './version-diff-summary';
import { cellKey, previewGrid } from './version-preview';
import { scoreText } from './version-preview-scores';

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

/** A map with an emotions lane and three personas, and a version of it that scores them differently. */
const scored: MapExport = {
  ...base,
  lanes: { l1: { title: 'Actions', kind: 'actions', order: 'a0' }, le: { title: 'Feelings', kind: 'emotions', order: 'a1' } },
  personas: {
    p1: { name: 'Sam', colour: '#000000' },
    p2: { name: 'Ria', colour: '#000000' },
    p3: { name: 'Old persona', colour: '#000000' },
  },
  cards: {},
  emotions: { 'p1:s1': -2, 'p1:s2': 1, 'p2:s2': 3, 'p3:s1': 0, 'p1:s3': -1, 'p1:s1:u1': 2 },
};

const rescored: MapExport = {
  ...scored,
  stages: { s1: { name: 'Discover', order: 'a0' }, s2: { name: 'Purchase', order: 'a1' }, s4: { name: 'Return', order: 'a3' } },
  lanes: {
    ...scored.lanes,
    le: { title: 'Emotions', kind: 'emotions', order: 'a1' },
    l2: { title: 'Pain points', kind: 'painPoints', order: 'a2' },
  },
  personas: {
    p1: { name: 'Sam', colour: '#000000' },
    p2: { name: 'Rianne', colour: '#000000' },
    p4: { name: 'Newcomer', colour: '#000000' },
  },
  emotions: { 'p1:s1': 1, 'p1:s2': 1, 'p2:s1': -3, 'p4:s4': 2, 'p1:s1:u1': 3 },
};

describe('previewGrid: personas, emotion scores and headers', () => {
  it('lists the personas by name, the ones only in the other state back among them, added and renamed ones marked', () => {
    const grid = previewGrid(rescored, scored);
    expect(grid.personas.map((persona) => [persona.name, persona.mark, persona.before])).toEqual([
      ['Newcomer', 'added', null],
      ['Old persona', 'removed', null],
      ['Rianne', 'renamed', 'Ria'],
      ['Sam', null, null],
    ]);
    expect(previewGrid(rescored, null).personas.every((persona) => persona.mark === null)).toBe(true);
  });

  it('marks stage and lane headers added, removed and renamed, and knows the emotions lane', () => {
    const grid = previewGrid(rescored, scored);
    expect(grid.stages.map((stage) => [stage.name, stage.mark, stage.before])).toEqual([
      ['Discover', null, null],
      ['Purchase', 'renamed', 'Buy'],
      ['Gone stage', 'removed', null],
      ['Return', 'added', null],
    ]);
    expect(grid.lanes.map((lane) => [lane.name, lane.mark, lane.before, lane.emotions])).toEqual([
      ['Actions', null, null, false],
      ['Emotions', 'renamed', 'Feelings', true],
      ['Pain points', 'added', null, false],
    ]);
    const removed = previewGrid(scored, rescored);
    expect(removed.lanes.find((lane) => lane.id === 'l2')).toMatchObject({ name: 'Pain points', mark: 'removed' });
  });

  it('gives each persona’s score at each stage, read from the other state to the version: changed, new and cleared', () => {
    const grid = previewGrid(rescored, scored);
    const at = (stageId: string) =>
      grid.scores.get(stageId)?.map(({ personaName, score, before, mark, personaRemoved, participantsChanged }) => ({
        personaName,
        score,
        before,
        mark,
        personaRemoved,
        participantsChanged,
      }));
    expect(at('s1')).toEqual([
      { personaName: 'Old persona', score: null, before: 0, mark: 'removed', personaRemoved: true, participantsChanged: 0 },
      { personaName: 'Rianne', score: -3, before: null, mark: 'added', personaRemoved: false, participantsChanged: 0 },
      { personaName: 'Sam', score: 1, before: -2, mark: 'changed', personaRemoved: false, participantsChanged: 1 },
    ]);
    expect(at('s2')).toEqual([
      { personaName: 'Rianne', score: null, before: 3, mark: 'removed', personaRemoved: false, participantsChanged: 0 },
      { personaName: 'Sam', score: 1, before: null, mark: null, personaRemoved: false, participantsChanged: 0 },
    ]);
    // A removed stage's scores come back with its ghost column; a new stage's are new.
    expect(at('s3')).toEqual([
      { personaName: 'Sam', score: null, before: -1, mark: 'removed', personaRemoved: false, participantsChanged: 0 },
    ]);
    expect(at('s4')).toEqual([
      { personaName: 'Newcomer', score: 2, before: null, mark: 'added', personaRemoved: false, participantsChanged: 0 },
    ]);
  });

  it('shows the scores unmarked when compared with nothing or with itself, and leaves out scores for a persona in neither state', () => {
    for (const grid of [previewGrid(rescored, null), previewGrid(rescored, rescored)]) {
      expect([...grid.scores.values()].flat().map((entry) => [entry.personaName, entry.score, entry.mark])).toEqual([
        ['Rianne', -3, null],
        ['Sam', 1, null],
        ['Sam', 1, null],
        ['Newcomer', 2, null],
      ]);
    }
    const stray: MapExport = { ...rescored, emotions: { 'ghost:s1': 2, 'p1:nowhere': 1, 'p1:s1': 9 } };
    expect([...previewGrid(stray, null).scores.values()].flat()).toEqual([]);
  });

  it('writes scores with their sign and a real minus', () => {
    expect([-2, 0, 1, null].map(scoreText)).toEqual(['−2', '0', '+1', 'none']);
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
    expect(sections[2]!.items).toEqual([{ mark: 'changed', text: 'Sam at Discover: +2 → +4' }]);
  });

  it('says when there is no difference', () => {
    expect(diffSummary(previewGrid(shown, shown).diff!)).toBe('No differences');
  });
});

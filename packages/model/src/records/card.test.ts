import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Problem } from '../problems.js';
import {
  cardContext,
  cardMatchesFilter,
  cardText,
  checkCardPatch,
  collectCards,
  DEFAULT_CARD_COLOUR,
  readCards,
  upgradeCardFromV1,
} from './card.js';

function put(doc: Y.Doc, collection: string, id: string, fields: Record<string, unknown>): Y.Map<unknown> {
  const record = new Y.Map<unknown>();
  doc.getMap(collection).set(id, record);
  for (const [key, value] of Object.entries(fields)) record.set(key, value);
  return record;
}

/** Two stages, two lanes, one persona, written the way the write API stores them. */
function board(): Y.Doc {
  const doc = new Y.Doc();
  put(doc, 'stages', 's1', { name: 'Awareness', order: 'a0' });
  put(doc, 'stages', 's2', { name: 'Decision', order: 'a1' });
  put(doc, 'lanes', 'l1', { title: 'Actions', kind: 'actions', order: 'a0' });
  put(doc, 'lanes', 'l2', { title: 'Pain', kind: 'painPoints', order: 'a1' });
  put(doc, 'personas', 'p1', { name: 'Alex' });
  return doc;
}

function card(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { stageId: 's1', laneId: 'l1', order: 'a0', text: new Y.Text('note'), ...fields };
}

function collect(doc: Y.Doc): { ids: string[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const context = cardContext(
    [
      { id: 's1', name: 'A', order: 'a0', metrics: {} },
      { id: 's2', name: 'D', order: 'a1', metrics: {} },
    ],
    [
      { id: 'l1', title: 'A', kind: 'actions', order: 'a0' },
      { id: 'l2', title: 'P', kind: 'painPoints', order: 'a1' },
    ],
    [{ id: 'p1', name: 'Alex', description: '', goals: '', frustrations: '', colour: '#000000' }],
  );
  return { ids: collectCards(doc, problems, context).map((c) => c.id), problems };
}

describe('reading cards', () => {
  it('returns plain data with defaults for missing optional fields', () => {
    const doc = board();
    put(doc, 'cards', 'c1', card());
    expect(readCards(doc)).toEqual([
      {
        id: 'c1',
        stageId: 's1',
        laneId: 'l1',
        order: 'a0',
        text: 'note',
        colour: DEFAULT_CARD_COLOUR,
        tags: [],
        personaIds: [],
        evidence: 'assumed',
        links: [],
        sources: [],
        impact: 0,
        effort: 0,
        channels: [],
        department: '',
        author: '',
        createdAt: 0,
      },
    ]);
  });

  it('sorts by stage, then lane, then (order, id)', () => {
    const doc = board();
    put(doc, 'cards', 'late', card({ stageId: 's2', laneId: 'l1', order: 'a0' }));
    put(doc, 'cards', 'pain', card({ stageId: 's1', laneId: 'l2', order: 'a0' }));
    put(doc, 'cards', 'b', card({ order: 'a1' }));
    put(doc, 'cards', 'tieZ', card({ order: 'a0' }));
    put(doc, 'cards', 'tieA', card({ order: 'a0' }));
    expect(readCards(doc).map((c) => c.id)).toEqual(['tieA', 'tieZ', 'b', 'pain', 'late']);
  });

  it('skips cards pointing at missing stages or lanes, or with wrong types', () => {
    const doc = board();
    put(doc, 'cards', 'ok', card());
    put(doc, 'cards', 'orphanStage', card({ stageId: 'gone' }));
    put(doc, 'cards', 'orphanLane', card({ laneId: 'gone' }));
    put(doc, 'cards', 'badEvidence', card({ evidence: 'rumour' }));
    put(doc, 'cards', 'badTags', card({ tags: ['a', 1] }));
    put(doc, 'cards', 'badText', card({ text: 12 }));
    put(doc, 'cards', 'noOrder', card({ order: undefined }));
    doc.getMap('cards').set('notAMap', 'hello');
    const { ids, problems } = collect(doc);
    expect(ids).toEqual(['ok']);
    expect(Object.fromEntries(problems.map((p) => [p.id, p.reason]))).toEqual({
      orphanStage: 'stage "gone" does not exist',
      orphanLane: 'lane "gone" does not exist',
      badEvidence: 'unknown evidence: "rumour"',
      badTags: 'tags holds a value that is not a string',
      badText: 'text is neither a Y.Text nor a string',
      noOrder: 'missing order',
      notAMap: 'not a Y.Map',
    });
  });

  it('repairs a bad colour and drops unknown persona ids, keeping the card', () => {
    const doc = board();
    put(doc, 'cards', 'c1', card({ colour: 'javascript:alert(1)', personaIds: ['p1', 'gone'] }));
    const { ids } = collect(doc);
    expect(ids).toEqual(['c1']);
    const [read] = readCards(doc);
    expect(read?.colour).toBe(DEFAULT_CARD_COLOUR);
    expect(read?.personaIds).toEqual(['p1']);
    expect(collect(doc).problems.map((p) => [p.reason, p.action])).toEqual([
      ['colour is not #rrggbb', 'repaired'],
      ['unknown persona ids dropped', 'repaired'],
    ]);
  });

  it('reads lists stored as Y.Arrays and plain-string text from v1', () => {
    const doc = board();
    const tags = new Y.Array<string>();
    tags.push(['checkout', 'mobile', 'checkout']);
    put(doc, 'cards', 'c1', card({ tags, text: 'old text' }));
    const [read] = readCards(doc);
    expect(read?.tags).toEqual(['checkout', 'mobile']);
    expect(read?.text).toBe('old text');
    expect(cardText(doc, 'c1')).toBeUndefined();
  });

  it('filters by stage, lane and persona', () => {
    const doc = board();
    put(doc, 'personas', 'p2', { name: 'Bo' });
    put(doc, 'cards', 'a', card({ personaIds: ['p1'] }));
    put(doc, 'cards', 'b', card({ laneId: 'l2' }));
    put(doc, 'cards', 'c', card({ stageId: 's2' }));
    put(doc, 'cards', 'd', card({ stageId: 's2', personaIds: ['p2'], order: 'a1' }));
    put(doc, 'cards', 'e', card({ stageId: 's2', personaIds: ['p2', 'p1'], order: 'a2' }));
    expect(readCards(doc, { laneId: 'l2' }).map((c) => c.id)).toEqual(['b']);
    expect(readCards(doc, { stageId: 's2' }).map((c) => c.id)).toEqual(['c', 'd', 'e']);
    expect(readCards(doc, { stageId: 's1', laneId: 'l1' }).map((c) => c.id)).toEqual(['a']);
    expect(readCards(doc, { stageId: 's2', personaId: 'p2' }).map((c) => c.id)).toEqual(['c', 'd', 'e']);
  });

  it('shows a persona the cards tagged with it and the untagged ones, which belong to everyone', () => {
    const doc = board();
    put(doc, 'personas', 'p2', { name: 'Bo' });
    put(doc, 'cards', 'mine', card({ personaIds: ['p1'], order: 'a0' }));
    put(doc, 'cards', 'everyones', card({ order: 'a1' }));
    put(doc, 'cards', 'theirs', card({ personaIds: ['p2'], order: 'a2' }));
    put(doc, 'cards', 'shared', card({ personaIds: ['p2', 'p1'], order: 'a3' }));
    // A card whose only persona was deleted reads as untagged, so it shows for everyone again.
    put(doc, 'cards', 'orphaned', card({ personaIds: ['gone'], order: 'a4' }));
    expect(readCards(doc, { personaId: 'p1' }).map((c) => c.id)).toEqual(['mine', 'everyones', 'shared', 'orphaned']);
    expect(readCards(doc, { personaId: 'p2' }).map((c) => c.id)).toEqual(['everyones', 'theirs', 'shared', 'orphaned']);
    expect(readCards(doc).map((c) => c.id)).toEqual(['mine', 'everyones', 'theirs', 'shared', 'orphaned']);
  });

  it('judges any card-shaped value by the fields the filter reads', () => {
    const live = { stageId: 's1', laneId: 'l1', personaIds: ['p2'] };
    expect(cardMatchesFilter(live, { personaId: 'p2', stageId: 's1' })).toBe(true);
    expect(cardMatchesFilter(live, { personaId: 'p1' })).toBe(false);
    expect(cardMatchesFilter({ ...live, personaIds: [] }, { personaId: 'p1' })).toBe(true);
    expect(cardMatchesFilter({ ...live, personaIds: [] }, { personaId: 'p1', laneId: 'l2' })).toBe(false);
  });

  it('exposes the live Y.Text for editors', () => {
    const doc = board();
    put(doc, 'cards', 'c1', card());
    const text = cardText(doc, 'c1');
    expect(text).toBeInstanceOf(Y.Text);
    text?.insert(4, '!');
    expect(readCards(doc)[0]?.text).toBe('note!');
    expect(cardText(doc, 'missing')).toBeUndefined();
  });
});

describe('checkCardPatch', () => {
  it('cleans lists and rejects bad values with the caller name', () => {
    expect(checkCardPatch({ tags: [' a ', 'a', 'b'], evidence: 'observed' }, 'updateCard')).toEqual({
      tags: ['a', 'b'],
      evidence: 'observed',
    });
    expect(() => checkCardPatch({ colour: 'yellow' }, 'updateCard')).toThrow('updateCard: colour must be a colour like #aabbcc');
    expect(() => checkCardPatch({ evidence: 'maybe' as 'observed' }, 'addCard')).toThrow(
      'addCard: evidence must be one of observed, assumed, proposed',
    );
    expect(() => checkCardPatch({ links: [''] }, 'addCard')).toThrow(/links must only hold non-empty/);
  });
});

describe('upgradeCardFromV1', () => {
  it('maps v1 palette names, keeps hex, makes text shareable, and is idempotent', () => {
    const doc = board();
    const named = put(doc, 'cards', 'c1', card({ color: 'Pink', text: 'typed in v1' }));
    const hex = put(doc, 'cards', 'c2', card({ color: '#ABCDEF' }));
    for (let i = 0; i < 2; i++) {
      upgradeCardFromV1(named);
      upgradeCardFromV1(hex);
    }
    expect(named.get('colour')).toBe('#fbcfe8');
    expect(named.has('color')).toBe(false);
    expect(named.get('text')).toBeInstanceOf(Y.Text);
    expect(String(named.get('text'))).toBe('typed in v1');
    expect(hex.get('colour')).toBe('#abcdef');
  });
});

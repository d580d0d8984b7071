import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkMapExport, exportMap, writeMapState } from '../map-export.js';
import { recordFieldProblem } from '../write-schema.js';
import { addCard, updateCard } from '../writes/cards.js';
import { addLane } from '../writes/lanes.js';
import { setMeta } from '../writes/meta.js';
import { addStage } from '../writes/stages.js';
import { readCards } from './card.js';
import { isSourceUrl, sourceProblem } from './card-insight.js';
import { DEFAULT_SCORE_WEIGHTS, readMeta } from './meta.js';

function painPoint() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Delivery' });
  const stageId = addStage(doc, { name: 'Delivery' });
  const laneId = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
  const cardId = addCard(doc, { stageId, laneId, text: 'Parcel left outside' });
  return { doc, cardId };
}

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

describe("a card's evidence, judgement, channels and team", () => {
  it('keeps sources of each kind, judged impact and effort, channels and department', () => {
    const { doc, cardId } = painPoint();
    expect(readCards(doc)[0]).toMatchObject({ sources: [], impact: 0, effort: 0, channels: [], department: '' });
    updateCard(doc, cardId, {
      sources: [
        { kind: 'quote', text: ' "I came home to a wet box" ' },
        { kind: 'link', url: 'https://support.example.com/report/12', text: 'March ticket review' },
        { kind: 'count', count: 214, text: 'tickets about parcels left outside, March' },
        { kind: 'verbatim', text: 'Nobody rang the bell', origin: 'import-1' },
      ],
      impact: 4,
      effort: 2,
      channels: ['App', 'Courier'],
      department: ' Logistics ',
    });
    const [card] = readCards(doc);
    expect(card!.sources.map((source) => [source.kind, source.text, source.url, source.count])).toEqual([
      ['quote', '"I came home to a wet box"', '', 0],
      ['link', 'March ticket review', 'https://support.example.com/report/12', 0],
      ['count', 'tickets about parcels left outside, March', '', 214],
      ['verbatim', 'Nobody rang the bell', '', 0],
    ]);
    expect(card).toMatchObject({ impact: 4, effort: 2, channels: ['App', 'Courier'], department: 'Logistics' });
    const copy = new Y.Doc();
    writeMapState(copy, checkMapExport(JSON.parse(JSON.stringify(exportMap(doc)))), null);
    expect(readCards(copy)).toEqual(readCards(doc));
  });

  it('refuses a source that would mislead or harm whoever opens it, writing nothing', () => {
    const { doc, cardId } = painPoint();
    expectRejected(doc, () => updateCard(doc, cardId, { sources: [{ kind: 'link', url: 'javascript:alert(1)' }] }), 'http or https');
    expectRejected(doc, () => updateCard(doc, cardId, { sources: [{ kind: 'link', url: '' }] }), 'needs its url');
    expectRejected(doc, () => updateCard(doc, cardId, { sources: [{ kind: 'quote', text: '   ' }] }), 'needs its text');
    expectRejected(doc, () => updateCard(doc, cardId, { sources: [{ kind: 'count', count: -1, text: 'calls' }] }), 'whole number');
    expectRejected(doc, () => updateCard(doc, cardId, { sources: [{ kind: 'rumour' as never, text: 'x' }] }), 'kind must be one of');
    expectRejected(
      doc,
      () => updateCard(doc, cardId, { sources: Array.from({ length: 51 }, () => ({ kind: 'quote' as const, text: 'x' })) }),
      'at most 50',
    );
    expectRejected(doc, () => updateCard(doc, cardId, { impact: 6 }), 'impact must be a whole number from 1 to 5');
    expectRejected(doc, () => updateCard(doc, cardId, { effort: 2.5 }), 'effort must be');
    expect(isSourceUrl('http://intranet/report')).toBe(true);
    expect(isSourceUrl('https://exa mple.com')).toBe(false);
    expect(isSourceUrl('data:text/html,hi')).toBe(false);
    expect(sourceProblem({ kind: 'quote', text: 'x', url: '', count: 0, origin: '', script: 1 })).toBe('a source has no field script');
  });

  it("judges another client's card fields as the write API writes them", () => {
    const link = (url: string) => ({ kind: 'value' as const, value: [{ kind: 'link', text: '', url, count: 0, origin: '' }] });
    expect(recordFieldProblem('cards', 'sources', link('javascript:alert(1)'))).toMatch('http or https');
    expect(recordFieldProblem('cards', 'sources', link('https://example.com'))).toBeNull();
    expect(recordFieldProblem('cards', 'sources', { kind: 'map' })).toMatch('list of sources');
    expect(recordFieldProblem('cards', 'impact', { kind: 'value', value: 9 })).toMatch('0 to 5');
    expect(recordFieldProblem('cards', 'channels', { kind: 'value', value: [1] })).toMatch('list of strings');
  });

  it('reads a card whose stored sources are unreadable, without them', () => {
    const { doc, cardId } = painPoint();
    (doc.getMap('cards').get(cardId) as Y.Map<unknown>).set('sources', [
      { kind: 'link', url: 'javascript:x', text: '', count: 0, origin: '' },
    ]);
    expect(readCards(doc)[0]!.sources).toEqual([]);
  });
});

describe("the map's settings for insight", () => {
  it('has sensible defaults and keeps what owners set', () => {
    const { doc } = painPoint();
    expect(readMeta(doc)).toMatchObject({
      reviewIntervalDays: 90,
      valuePerCustomer: 0,
      currency: '',
      calibration: [],
      scoreWeights: DEFAULT_SCORE_WEIGHTS,
    });
    setMeta(doc, {
      reviewIntervalDays: 30,
      valuePerCustomer: 42.5,
      currency: ' € ',
      calibration: [
        { csat: 4, revenue: 120 },
        { csat: 2, revenue: 60 },
      ],
      scoreWeights: { ...DEFAULT_SCORE_WEIGHTS, votes: 5 },
    });
    expect(readMeta(doc)).toMatchObject({
      reviewIntervalDays: 30,
      valuePerCustomer: 42.5,
      currency: '€',
      calibration: [
        { csat: 2, revenue: 60 },
        { csat: 4, revenue: 120 },
      ],
      scoreWeights: { votes: 5, impact: 3 },
    });
  });

  it('refuses settings that do not fit, writing nothing', () => {
    const { doc } = painPoint();
    expectRejected(doc, () => setMeta(doc, { reviewIntervalDays: 0 }), 'from 1 to 730');
    expectRejected(doc, () => setMeta(doc, { valuePerCustomer: -5 }), '0 or more');
    expectRejected(doc, () => setMeta(doc, { currency: 'EUROSDOLLARS' }), 'at most 8');
    expectRejected(
      doc,
      () =>
        setMeta(doc, {
          calibration: [
            { csat: 3, revenue: 1 },
            { csat: 3, revenue: 2 },
          ],
        }),
      'no level twice',
    );
    expectRejected(doc, () => setMeta(doc, { calibration: [{ csat: 7, revenue: 1 }] }), 'CSAT from 1 to 5');
    expectRejected(doc, () => setMeta(doc, { scoreWeights: { ...DEFAULT_SCORE_WEIGHTS, votes: 6 } }), 'from 0 to 5');
    const { votes: _votes, ...missing } = DEFAULT_SCORE_WEIGHTS;
    expectRejected(doc, () => setMeta(doc, { scoreWeights: missing as never }), 'each of impact');
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkMapExport, exportMap, writeMapState } from '../map-export.js';
import { localOrigin } from '../origin.js';
import { dataRefreshedAt, dayOf, latestValue, nextReviewDate, readMetrics, stageFigures, staleStages } from '../records/metric.js';
import { recordFieldProblem } from '../write-schema.js';
import { setMeta } from './meta.js';
import { addMetric, addMetrics, deleteMetric, updateMetric } from './metrics.js';
import { addPersona } from './personas.js';
import { addStage, deleteStage } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

function journey() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Onboarding' });
  const awareness = addStage(doc, { name: 'Awareness' });
  const purchase = addStage(doc, { name: 'Purchase' });
  const persona = addPersona(doc, { name: 'Busy parent' });
  return { doc, awareness, purchase, persona };
}

describe('stage metrics', () => {
  it('keeps each measurement, so a stage shows the latest figure and how it moved', () => {
    const { doc, purchase } = journey();
    addMetric(doc, { stageId: purchase, name: 'csat', value: 3.6, date: '2026-01-31' }, localOrigin('ana'));
    addMetric(doc, { stageId: purchase, name: 'CSAT', value: 4.1, target: 4, date: '2026-03-31' });
    addMetric(doc, { stageId: purchase, name: 'Drop-off %', value: 30, target: 20, date: '2026-03-31' });
    addMetric(doc, { stageId: purchase, name: 'Drop-off %', value: 25, date: '2026-02-28' });
    const figures = stageFigures(readMetrics(doc), purchase, null);
    // Known metrics come first in their usual order, with one spelling.
    expect(figures.map((figure) => figure.name)).toEqual(['CSAT', 'Drop-off %']);
    const [csat, dropOff] = figures;
    expect(csat).toMatchObject({ latest: { value: 4.1, target: 4 }, improved: true, onTarget: true, forPersona: false });
    expect(csat!.change).toBeCloseTo(0.5);
    expect(csat!.previous?.author).toBe('ana');
    // Drop-off rose: lower is better, so that is worse, and 30 misses a target of 20.
    expect(dropOff).toMatchObject({ change: 5, improved: false, onTarget: false });
  });

  it("shows a persona's own figure over everyone's, and everyone's where the persona has none", () => {
    const { doc, purchase, persona } = journey();
    addMetric(doc, { stageId: purchase, name: 'CSAT', value: 4, date: '2026-03-01' });
    addMetric(doc, { stageId: purchase, name: 'NPS', value: 12, date: '2026-03-01' });
    addMetric(doc, { stageId: purchase, personaId: persona, name: 'CSAT', value: 3, date: '2026-03-01' });
    const metrics = readMetrics(doc);
    expect(stageFigures(metrics, purchase, persona).map((f) => [f.name, f.latest.value, f.forPersona])).toEqual([
      ['CSAT', 3, true],
      ['NPS', 12, false],
    ]);
    expect(stageFigures(metrics, purchase, null).map((f) => f.latest.value)).toEqual([4, 12]);
    expect(latestValue(metrics, purchase, 'csat', persona)).toBe(3);
    expect(latestValue(metrics, purchase, 'Volume')).toBeNull();
  });

  it('refuses figures off their scale, unknown stages and personas, and bad days, writing nothing', () => {
    const { doc, purchase } = journey();
    expectRejected(
      doc,
      () => addMetric(doc, { stageId: purchase, name: 'CSAT', value: 6, date: '2026-03-01' }),
      'addMetric: CSAT must be from 1 to 5',
    );
    expectRejected(
      doc,
      () => addMetric(doc, { stageId: purchase, name: 'NPS', value: -101, date: '2026-03-01' }),
      'NPS must be from -100 to 100',
    );
    expectRejected(
      doc,
      () => addMetric(doc, { stageId: purchase, name: 'Volume', value: -1, date: '2026-03-01' }),
      'Volume must be 0 or more',
    );
    expectRejected(doc, () => addMetric(doc, { stageId: 'gone', name: 'CSAT', value: 4, date: '2026-03-01' }), 'unknown stage "gone"');
    expectRejected(
      doc,
      () => addMetric(doc, { stageId: purchase, personaId: 'nobody', name: 'CSAT', value: 4, date: '2026-03-01' }),
      'unknown persona',
    );
    expectRejected(doc, () => addMetric(doc, { stageId: purchase, name: 'CSAT', value: 4, date: '2026-02-30' }), 'date must be a day');
    expectRejected(doc, () => addMetric(doc, { stageId: purchase, name: ' ', value: 4, date: '2026-02-01' }), 'needs a name');
    expectRejected(
      doc,
      () => addMetric(doc, { stageId: purchase, name: 'CSAT', value: Number.NaN, date: '2026-02-01' }),
      'CSAT must be a number',
    );
    expectRejected(doc, () => addMetric(doc, { stageId: purchase, name: 'CSAT', value: 4, target: 9, date: '2026-02-01' }), 'target: CSAT');
    // A custom KPI takes any number.
    addMetric(doc, { stageId: purchase, name: 'Tickets per 1,000 orders', value: -3.5, date: '2026-02-01' });
    expect(readMetrics(doc)).toHaveLength(1);
  });

  it('imports many figures in one transaction, or none when one is bad', () => {
    const { doc, awareness, purchase } = journey();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const figures = [
      { stageId: awareness, name: 'Volume', value: 10000, date: '2026-03-31' },
      { stageId: purchase, name: 'Volume', value: 4000, date: '2026-03-31' },
    ];
    expectRejected(
      doc,
      () =>
        addMetrics(doc, [...figures, { stageId: purchase, name: 'CSAT', value: 0, date: '2026-03-31' }], {
          source: 'import',
          origin: 'imp1',
        }),
      'addMetrics[2]: CSAT',
    );
    addMetrics(doc, figures, { source: 'import', origin: 'imp1' });
    expect(transactions).toBe(1);
    // Same day, same moment: their order among themselves is the ids', so compare them sorted.
    expect(
      readMetrics(doc)
        .map((metric) => [metric.value, metric.source, metric.origin])
        .sort(([a], [b]) => Number(b) - Number(a)),
    ).toEqual([
      [10000, 'import', 'imp1'],
      [4000, 'import', 'imp1'],
    ]);
  });

  it('corrects and deletes a measurement, and clears its target', () => {
    const { doc, purchase } = journey();
    const id = addMetric(doc, { stageId: purchase, name: 'CES', value: 5, target: 3, date: '2026-03-01' });
    updateMetric(doc, id, { value: 4.2, target: null, date: '2026-03-02' });
    expect(readMetrics(doc)[0]).toMatchObject({ value: 4.2, target: null, date: '2026-03-02' });
    expectRejected(doc, () => updateMetric(doc, id, { value: 8 }), 'CES must be from 1 to 7');
    deleteMetric(doc, id);
    expect(readMetrics(doc)).toEqual([]);
  });

  it("leaves a deleted stage's figures out, and brings them back with it", () => {
    const { doc, purchase } = journey();
    addMetric(doc, { stageId: purchase, name: 'CSAT', value: 4, date: '2026-03-01' });
    const origin = localOrigin('ana');
    const undo = new Y.UndoManager([doc.getMap('stages')], { trackedOrigins: new Set([origin]) });
    deleteStage(doc, purchase, origin);
    expect(readMetrics(doc)).toEqual([]);
    undo.undo();
    expect(readMetrics(doc)).toHaveLength(1);
  });

  it('says when the data was refreshed, when the next review is due, and which stages are stale', () => {
    const { doc, awareness, purchase } = journey();
    const now = Date.parse('2026-06-30T12:00:00Z');
    expect(dataRefreshedAt(readMetrics(doc))).toBeNull();
    expect(nextReviewDate(null, Date.parse('2026-01-01T00:00:00Z'), 90)).toBe('2026-04-01');
    addMetric(doc, { stageId: awareness, name: 'Volume', value: 100, date: '2026-01-15' });
    addMetric(doc, { stageId: purchase, name: 'Volume', value: 50, date: '2026-01-15' });
    addMetric(doc, { stageId: purchase, name: 'CSAT', value: 4, date: '2026-06-01' });
    const metrics = readMetrics(doc);
    const refreshed = dataRefreshedAt(metrics)!;
    expect(refreshed).toBeGreaterThan(0);
    expect(nextReviewDate(refreshed, 0, 30)).toBe(dayOf(refreshed + 30 * 86_400_000));
    // Awareness was last measured in January; Purchase has a June figure.
    expect([...staleStages(metrics, 90, now)]).toEqual([[awareness, '2026-01-15']]);
  });

  it('travels in the JSON export and back, and older files without metrics still import', () => {
    const { doc, purchase, persona } = journey();
    addMetric(doc, { stageId: purchase, personaId: persona, name: 'CSAT', value: 4, target: 4.5, date: '2026-03-01' });
    const exported = exportMap(doc);
    const copy = new Y.Doc();
    writeMapState(copy, checkMapExport(JSON.parse(JSON.stringify(exported))), null);
    expect(readMetrics(copy)).toEqual(readMetrics(doc));
    const { metrics: _metrics, ...older } = exported;
    expect(() => checkMapExport(JSON.parse(JSON.stringify(older)))).not.toThrow();
    const [id, record] = Object.entries(exported.metrics!)[0]!;
    const bad = (change: Record<string, unknown>) => ({ ...exported, metrics: { [id]: { ...record, ...change } } });
    expect(() => checkMapExport(JSON.parse(JSON.stringify(bad({ stageId: 'gone' }))))).toThrow('metrics.' + id + '.stageId');
    expect(() => checkMapExport(JSON.parse(JSON.stringify(bad({ value: 7 }))))).toThrow('CSAT must be from 1 to 5');
    expect(() => checkMapExport(JSON.parse(JSON.stringify(bad({ date: 'March' }))))).toThrow('a day like');
  });

  it("judges another client's fields as the write API would write them", () => {
    expect(recordFieldProblem('metrics', 'date', { kind: 'value', value: '2026-13-01' })).toMatch('a day like');
    expect(recordFieldProblem('metrics', 'value', { kind: 'value', value: '4' })).toMatch('a number');
    expect(recordFieldProblem('metrics', 'source', { kind: 'value', value: 'guess' })).toMatch('manual or import');
    expect(recordFieldProblem('metrics', 'personaId', { kind: 'value', value: '' })).toBeNull();
    expect(recordFieldProblem('metrics', 'colour', { kind: 'value', value: '#ffffff' })).toMatch('not a field');
  });
});

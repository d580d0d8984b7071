import { addStage, localOrigin, readMeta, readMetrics } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MetricWrites } from './metric-writes';

function page(canShapeMap: boolean) {
  const doc = new Y.Doc();
  const stageId = addStage(doc, { name: 'Pay' });
  const origin = localOrigin('user-ana');
  const undo = new Y.UndoManager([doc.getMap('metrics'), doc.getMap('meta')], { trackedOrigins: new Set([origin]) });
  const writes = new MetricWrites({ doc, origin, canShapeMap, history: { checkpoint: () => undo.stopCapturing() } });
  return { doc, stageId, writes, undo };
}

describe('MetricWrites', () => {
  it('writes under the page’s origin, each write its own undo step', () => {
    const { doc, stageId, writes, undo } = page(true);
    expect(writes.add({ stageId, name: 'csat', value: 3.8, date: '2026-03-01' })).toBeNull();
    expect(writes.add({ stageId, name: 'CSAT', value: 4.1, date: '2026-03-20' })).toBeNull();
    expect(readMetrics(doc).map((metric) => [metric.name, metric.value, metric.author])).toEqual([
      ['CSAT', 3.8, 'user-ana'],
      ['CSAT', 4.1, 'user-ana'],
    ]);
    undo.undo();
    expect(readMetrics(doc).map((metric) => metric.value)).toEqual([3.8]);
  });

  it('returns the model’s refusal in words, and writes nothing', () => {
    const { doc, stageId, writes } = page(true);
    expect(writes.add({ stageId, name: 'CSAT', value: 6, date: '2026-03-01' })).toBe('CSAT must be from 1 to 5');
    expect(writes.add({ stageId, name: 'Volume', value: 10, date: '31/03/2026' })).toBe('Date must be a day like 2026-03-31');
    expect(writes.setImpactSettings({ valuePerCustomer: -1 })).toBe('Value per customer must be a number of 0 or more');
    expect(readMetrics(doc)).toEqual([]);
    expect(readMeta(doc).valuePerCustomer).toBe(0);
  });

  it('corrects and deletes a measurement', () => {
    const { doc, stageId, writes } = page(true);
    writes.add({ stageId, name: 'CSAT', value: 3.8, target: 4, date: '2026-03-01' });
    const [metric] = readMetrics(doc);
    expect(writes.update(metric!.id, { value: 4.2, target: null })).toBeNull();
    expect(readMetrics(doc)[0]).toMatchObject({ value: 4.2, target: null });
    expect(writes.remove(metric!.id)).toBeNull();
    expect(readMetrics(doc)).toEqual([]);
  });

  it('lets only owners and editors write', () => {
    const { doc, stageId, writes } = page(false);
    expect(writes.add({ stageId, name: 'CSAT', value: 4, date: '2026-03-01' })).toBe('Only owners and editors change the customer data.');
    expect(readMetrics(doc)).toEqual([]);
  });
});

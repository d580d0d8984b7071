import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { calibrationLine, csatPointWorking, formatMoney, revenueWorking, stageImpacts } from './impact.js';
import { readMetrics } from './records/metric.js';
import { setMeta } from './writes/meta.js';
import { addMetric } from './writes/metrics.js';
import { addPersona } from './writes/personas.js';
import { addStage } from './writes/stages.js';

function measuredJourney() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Subscriptions' });
  const signUp = addStage(doc, { name: 'Sign-up' });
  const renewal = addStage(doc, { name: 'Renewal' });
  const persona = addPersona(doc, { name: 'Student' });
  const date = '2026-03-31';
  addMetric(doc, { stageId: signUp, name: 'Volume', value: 12000, date });
  addMetric(doc, { stageId: signUp, name: 'Drop-off %', value: 30, date });
  addMetric(doc, { stageId: renewal, name: 'Volume', value: 5000, date });
  addMetric(doc, { stageId: renewal, personaId: persona, name: 'Volume', value: 800, date });
  addMetric(doc, { stageId: renewal, personaId: persona, name: 'Drop-off %', value: 50, date });
  return { metrics: readMetrics(doc), signUp, renewal, persona };
}

describe('business impact', () => {
  it('prices the customers a stage loses: volume × drop-off % × value per customer', () => {
    const { metrics, signUp, renewal } = measuredJourney();
    const settings = { valuePerCustomer: 40, calibration: [] };
    const [first, second] = stageImpacts(metrics, [signUp, renewal], settings);
    expect(first).toMatchObject({ volume: 12000, dropOff: 30, revenueAtStake: 144000, missing: [] });
    // Renewal has no everyone drop-off: nothing is guessed, and the gap is named.
    expect(second).toMatchObject({ volume: 5000, dropOff: null, revenueAtStake: null, missing: ['Drop-off %'] });
    expect(revenueWorking(first!, settings, '€')).toBe('Volume 12,000 × drop-off 30% × value per customer €40 = €144,000');
    expect(revenueWorking(second!, settings, 'EUR')).toBe('Volume 5,000 × drop-off (missing) × value per customer 40 EUR');
    expect(stageImpacts(metrics, [signUp], { valuePerCustomer: 0, calibration: [] })[0]!.missing).toEqual(['value per customer']);
  });

  it("uses a persona's own figures where it has them", () => {
    const { metrics, renewal, persona } = measuredJourney();
    const [impact] = stageImpacts(metrics, [renewal], { valuePerCustomer: 100, calibration: [] }, persona);
    expect(impact).toMatchObject({ volume: 800, dropOff: 50, revenueAtStake: 40000 });
  });

  it('calibrates a CSAT point from revenue per CSAT level, by least squares', () => {
    expect(calibrationLine([{ csat: 3, revenue: 100 }])).toBeNull();
    expect(
      calibrationLine([
        { csat: 2, revenue: 80 },
        { csat: 2, revenue: 90 },
      ]),
    ).toBeNull();
    const line = calibrationLine([
      { csat: 1, revenue: 50 },
      { csat: 3, revenue: 110 },
      { csat: 5, revenue: 170 },
    ])!;
    expect(line.slope).toBeCloseTo(30);
    expect(line.intercept).toBeCloseTo(20);
    const noisy = calibrationLine([
      { csat: 1, revenue: 40 },
      { csat: 2, revenue: 90 },
      { csat: 4, revenue: 120 },
      { csat: 5, revenue: 190 },
    ])!;
    expect(noisy.slope).toBeCloseTo(33, 0);

    const { metrics, signUp } = measuredJourney();
    const calibration = [
      { csat: 1, revenue: 50 },
      { csat: 5, revenue: 170 },
    ];
    const [impact] = stageImpacts(metrics, [signUp], { valuePerCustomer: 40, calibration });
    expect(impact!.csatPointWorth).toBeCloseTo(360000);
    expect(csatPointWorking(impact!, calibrationLine(calibration), '£')).toBe(
      '£30 per customer per CSAT point (least-squares line through 2 levels) × volume 12,000 = £360,000',
    );
    expect(csatPointWorking(impact!, null, '£')).toMatch('at least two CSAT levels');
  });

  it('writes money the way people read it', () => {
    expect(formatMoney(1234567.6, '')).toBe('1,234,568');
    expect(formatMoney(-2500, '$')).toBe('−$2,500');
    expect(formatMoney(99, 'CHF')).toBe('99 CHF');
  });
});

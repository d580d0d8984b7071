import { stageFigures, type Metric } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import {
  compactValueText,
  figureSentence,
  metricSeries,
  metricValueText,
  readableWriteError,
  trendArrow,
  typedNumber,
} from './stage-figures';

let made = 0;
const measure = (fields: Partial<Metric> & Pick<Metric, 'name' | 'value' | 'date'>): Metric => ({
  id: `m${++made}`,
  stageId: 'pay',
  personaId: '',
  target: null,
  source: 'manual',
  origin: '',
  author: '',
  createdAt: made,
  ...fields,
});

describe('stage figures in words', () => {
  it('says the value, how it moved since when, whether that is better, the target and the persona', () => {
    const metrics = [
      measure({ name: 'CSAT', value: 3.8, date: '2026-03-01' }),
      measure({ name: 'CSAT', value: 4.1, date: '2026-03-20', target: 4.5, personaId: 'p1' }),
      measure({ name: 'CSAT', value: 3.8, date: '2026-03-02', personaId: 'p1' }),
    ].sort((a, b) => a.date.localeCompare(b.date));
    const [figure] = stageFigures(metrics, 'pay', 'p1');
    expect(figureSentence(figure!, 'Busy parent')).toBe(
      'CSAT 4.1, up 0.3 since 2026-03-02, better, target 4.5 missed, for Busy parent, measured 2026-03-20',
    );
    expect(trendArrow(figure!)).toBe('▲');
  });

  it('calls a rise in drop-off worse, in points, and a single figure only measured', () => {
    const metrics = [
      measure({ name: 'Drop-off %', value: 30, date: '2026-01-01' }),
      measure({ name: 'Drop-off %', value: 35, date: '2026-02-01' }),
    ];
    const [figure] = stageFigures(metrics, 'pay', null);
    expect(figureSentence(figure!, null)).toBe('Drop-off % 35%, up 5 points since 2026-01-01, worse, measured 2026-02-01');
    const [single] = stageFigures([measure({ name: 'Volume', value: 12000, date: '2026-02-01', target: 10000 })], 'pay', null);
    expect(figureSentence(single!, null)).toBe('Volume 12,000, target 10,000 met, measured 2026-02-01');
    expect(trendArrow(single!)).toBe('');
  });

  it('shortens large values for the header and keeps units', () => {
    expect(compactValueText('Volume', 12000)).toBe('12K');
    expect(compactValueText('Volume', 1_250_000)).toBe('1.3M');
    expect(compactValueText('CSAT', 4.15)).toBe('4.15');
    expect(metricValueText('Drop-off %', 12.5)).toBe('12.5%');
  });
});

describe('metric series', () => {
  it('groups a stage’s measurements by metric and persona, known metrics first, newest first', () => {
    const metrics = [
      measure({ name: 'Wait time', value: 5, date: '2026-01-01' }),
      measure({ name: 'CSAT', value: 3, date: '2026-01-01' }),
      measure({ name: 'CSAT', value: 4, date: '2026-02-01', personaId: 'p1' }),
      measure({ name: 'CSAT', value: 3.5, date: '2026-02-01' }),
      measure({ name: 'Volume', value: 10, date: '2026-01-01', stageId: 'other' }),
    ];
    const series = metricSeries(metrics, 'pay');
    expect(series.map((group) => [group.name, group.personaId, group.measurements.map((metric) => metric.value)])).toEqual([
      ['CSAT', '', [3.5, 3]],
      ['CSAT', 'p1', [4]],
      ['Wait time', '', [5]],
    ]);
  });
});

describe('form input', () => {
  it('turns the model’s refusal into a sentence without the call’s name', () => {
    expect(readableWriteError(new Error('addMetric: CSAT must be from 1 to 5'))).toBe('CSAT must be from 1 to 5');
    expect(readableWriteError(new Error('addMetric: target: CSAT must be from 1 to 5'))).toBe('Target: CSAT must be from 1 to 5');
    expect(readableWriteError(new Error('addMetrics[2]: unknown stage "x"'))).toBe('Unknown stage "x"');
    expect(readableWriteError(new Error('setMeta: valuePerCustomer must be a number of 0 or more'))).toBe(
      'Value per customer must be a number of 0 or more',
    );
  });

  it('reads numbers typed in fields, and nothing from empty or non-numbers', () => {
    expect(typedNumber(4.5)).toBe(4.5);
    expect(typedNumber(' 12 ')).toBe(12);
    expect(typedNumber('')).toBeNull();
    expect(typedNumber(null)).toBeNull();
    expect(typedNumber(Number.NaN)).toBeNull();
    expect(typedNumber('abc')).toBeNull();
  });
});

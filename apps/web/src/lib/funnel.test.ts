import type { Metric, Stage } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { checkCalibration, costliestStage, funnelRows, parseCalibrationText } from './funnel';

const stages: Stage[] = ['aware', 'buy', 'use'].map((id, order) => ({ id, name: id, order: String(order), metrics: {} }));
let made = 0;
const measure = (stageId: string, name: string, value: number, personaId = ''): Metric => ({
  id: `m${++made}`,
  stageId,
  personaId,
  name,
  value,
  target: null,
  date: '2026-03-01',
  source: 'manual',
  origin: '',
  author: '',
  createdAt: made,
});

describe('the funnel', () => {
  const metrics = [
    measure('aware', 'Volume', 20000),
    measure('aware', 'Drop-off %', 40),
    measure('buy', 'Volume', 12000),
    measure('buy', 'Drop-off %', 30),
    measure('buy', 'Volume', 6000, 'p1'),
  ];

  it('lists the stages in order with bars relative to the largest volume and the revenue at stake', () => {
    const rows = funnelRows(stages, metrics, { valuePerCustomer: 40, calibration: [] }, null);
    expect(rows.map((row) => [row.name, row.share, row.impact.revenueAtStake])).toEqual([
      ['aware', 1, 320000],
      ['buy', 0.6, 144000],
      ['use', 0, null],
    ]);
    expect(rows[2]!.impact.missing).toEqual(['Volume', 'Drop-off %']);
    expect(costliestStage(rows)?.name).toBe('aware');
  });

  it('takes a persona’s own figures first', () => {
    const rows = funnelRows(stages, metrics, { valuePerCustomer: 40, calibration: [] }, 'p1');
    expect(rows[1]!.impact.volume).toBe(6000);
    expect(rows[1]!.impact.revenueAtStake).toBe(72000);
  });

  it('has no costliest stage while nothing can be priced', () => {
    expect(costliestStage(funnelRows(stages, metrics, { valuePerCustomer: 0, calibration: [] }, null))).toBeNull();
  });
});

describe('calibration rows', () => {
  it('accepts CSAT levels 1–5 with revenues of 0 or more, sorted by level', () => {
    expect(
      checkCalibration([
        { csat: 4, revenue: '180' },
        { csat: '2', revenue: 60 },
      ]),
    ).toEqual({
      ok: true,
      points: [
        { csat: 2, revenue: 60 },
        { csat: 4, revenue: 180 },
      ],
    });
  });

  it('says what is wrong with each row', () => {
    const checked = checkCalibration([
      { csat: 6, revenue: 10 },
      { csat: 3, revenue: null },
      { csat: 3, revenue: 5 },
      { csat: null, revenue: 5 },
      { csat: 2, revenue: -1 },
      { csat: 1, revenue: 0 },
    ]);
    expect(checked).toEqual({
      ok: false,
      problem: null,
      errors: [
        'CSAT must be from 1 to 5',
        'Enter a revenue per customer',
        'CSAT 3 is already in row 2',
        'Enter a CSAT level',
        'Revenue must be 0 or more',
        null,
      ],
    });
  });

  it('refuses more levels than a map keeps', () => {
    const rows = Array.from({ length: 21 }, (_, index) => ({ csat: 1 + index / 10, revenue: index }));
    expect(checkCalibration(rows)).toMatchObject({ ok: false, problem: 'At most 20 CSAT levels' });
  });
});

describe('calibration pasted from a spreadsheet', () => {
  it('takes tab-, semicolon- and comma-separated lines, passing over column names and currency signs', () => {
    expect(parseCalibrationText('CSAT\tRevenue per customer\n2\t€60\n4\t€1,180.50\n')).toEqual({
      ok: true,
      rows: [
        { csat: 2, revenue: 60 },
        { csat: 4, revenue: 1180.5 },
      ],
    });
    expect(parseCalibrationText('3,5;1.200,25 €\n5;300')).toEqual({
      ok: true,
      rows: [
        { csat: 3.5, revenue: 1200.25 },
        { csat: 5, revenue: 300 },
      ],
    });
    expect(parseCalibrationText('1,40\n5,210')).toEqual({
      ok: true,
      rows: [
        { csat: 1, revenue: 40 },
        { csat: 5, revenue: 210 },
      ],
    });
  });

  it('names the line that is not two numbers, and refuses an empty or too long paste', () => {
    expect(parseCalibrationText('2\t60\nfour\t180')).toEqual({
      ok: false,
      problem: expect.stringMatching(/^Line 2: expected a CSAT level and a revenue/),
    });
    expect(parseCalibrationText('2')).toEqual({ ok: false, problem: expect.stringMatching(/^Line 1:/) });
    expect(parseCalibrationText('  \n')).toEqual({ ok: false, problem: expect.stringMatching(/Paste at least one line/) });
    expect(parseCalibrationText('CSAT,Revenue')).toEqual({ ok: false, problem: expect.stringMatching(/Only column names/) });
    const many = Array.from({ length: 21 }, (_, index) => `${1 + index / 10}\t${index}`).join('\n');
    expect(parseCalibrationText(many)).toEqual({ ok: false, problem: 'At most 20 CSAT levels; 21 were pasted.' });
  });
});

import { describe, expect, it } from 'vitest';
import {
  decodePreview,
  decodeSummary,
  fileRefusal,
  importQuery,
  summaryLine,
  unmatchedStages,
  type SurveyPreview,
} from './survey-import-api';

const preview: SurveyPreview = {
  delimiter: 'semicolon',
  header: ['Stage', 'Score', 'Comment'],
  rows: [
    ['awareness', '4', 'ok'],
    ['Delivery', '3', ''],
    ['', '2', ''],
    ['Delivery', '1', ''],
  ],
  problems: [],
  suggested: { stage: 'Stage' },
  metric: 'CSAT',
  dateFormat: 'ymd',
};

describe('survey import client', () => {
  it('decodes a preview and keeps only guesses naming a column of the file', () => {
    const decoded = decodePreview({ ...preview, suggested: { stage: 'Stage', score: 'Nope' }, problems: [{ row: 3, message: 'bad' }] });
    expect(decoded?.suggested).toEqual({ stage: 'Stage' });
    expect(decoded?.problems).toEqual([{ row: 3, message: 'bad' }]);
    expect(decodePreview({ ...preview, delimiter: '|' })).toBeNull();
    expect(decodePreview({ ...preview, rows: [[1, 2]] })).toBeNull();
  });

  it('says what an import did in one line', () => {
    const summary = decodeSummary({
      rows: 12345,
      imported: 12000,
      stages: 6,
      metrics: 36,
      verbatims: 9876,
      skipped: { count: 345, values: ['Delivery'], rows: [3] },
      unmatchedPersonas: { count: 0, values: [] },
    });
    expect(summary && summaryLine(summary)).toBe('12,345 rows, 36 measurements for 6 stages, 9,876 verbatims');
    expect(decodeSummary({ rows: -1 })).toBeNull();
  });

  it('finds the preview rows whose stage is not on the map, case aside', () => {
    expect(unmatchedStages(preview, 'Stage', ['Awareness', 'Purchase'])).toEqual({ values: ['Delivery', '(blank)'], rows: [3, 4, 5] });
    expect(unmatchedStages(preview, 'Missing', ['Awareness'])).toEqual({ values: [], rows: [] });
  });

  it('sends only the chosen columns, the metric with a score and the date format with a date', () => {
    const columns = { stage: 'Stage', score: 'Score', date: '', verbatim: 'Comment', persona: '', channel: '' };
    const query = new URLSearchParams(
      importQuery('q1.csv', { columns, metric: ' NPS ', dateFormat: 'dmy', delimiter: 'tab', skipUnmatched: true, rowsAre: 'customers' }),
    );
    expect(Object.fromEntries(query)).toEqual({
      file: 'q1.csv',
      delimiter: 'tab',
      stage: 'Stage',
      score: 'Score',
      verbatim: 'Comment',
      metric: 'NPS',
      skipUnmatched: 'true',
      rowsAre: 'customers',
    });
  });

  it('refuses an empty file or one over 50 MB before sending it', () => {
    expect(fileRefusal({ name: 'a.csv', size: 0 })).toBe('“a.csv” is empty.');
    expect(fileRefusal({ name: 'a.csv', size: 60 * 1024 * 1024 })).toBe(
      '“a.csv” is 60.0 MB; an import takes files of up to 50 MB. Split it by date and import each part.',
    );
    expect(fileRefusal({ name: 'a.csv', size: 50 * 1024 * 1024 })).toBeNull();
  });
});

import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SurveyImportError, type DelimiterName } from './survey-csv.js';
import { previewSurvey, readSurvey } from './survey-import.js';
import type { SurveyMapping, SurveyRow } from './survey-mapping.js';

const stages = [
  { id: 'st-aware', name: 'Awareness' },
  { id: 'st-buy', name: 'Purchase' },
  { id: 'st-use', name: 'Onboarding' },
];
const personas = [
  { id: 'pe-new', name: 'New customer' },
  { id: 'pe-pro', name: 'Professional' },
];
const TODAY = '2026-05-14';

/** A file's bytes in chunks of `size`, so decoding meets characters cut in two. */
const chunked = (bytes: Uint8Array, size = 7) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function importText(
  input: string | Uint8Array,
  mapping: Partial<SurveyMapping> = {},
  options: { delimiter?: DelimiterName; limitBytes?: number; chunk?: number } = {},
) {
  const rows: SurveyRow[] = [];
  const result = await readSurvey({
    source: chunked(typeof input === 'string' ? utf8(input) : input, options.chunk),
    limitBytes: options.limitBytes ?? 1024 * 1024,
    delimiter: options.delimiter ?? 'comma',
    mapping: { stage: 'Stage', score: 'Score', verbatim: 'Comment', ...mapping },
    stages,
    personas,
    today: TODAY,
    onRows: async (batch) => {
      rows.push(...batch);
    },
  });
  return { ...result, rows };
}

async function refusal(promise: Promise<unknown>): Promise<SurveyImportError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(SurveyImportError);
  return error as SurveyImportError;
}

const figure = (
  metrics: { stageId: string; personaId?: string; name: string; date: string; value: number }[],
  stageId: string,
  name: string,
  personaId = '',
) => metrics.filter((m) => m.stageId === stageId && (m.personaId ?? '') === personaId && m.name === name).map((m) => [m.date, m.value]);

describe('survey import: mapping and aggregation', () => {
  it('sums CSAT per stage and per stage and persona, counts responses, and keeps the comments with their rows', async () => {
    const { summary, metrics, rows } = await importText(
      [
        'Stage,Score,Comment,Segment,Channel',
        'awareness,4,"Ads were clear, friendly",New customer,web',
        'Awareness,5,,Professional,app',
        ' PURCHASE ,2,Payment failed twice,new customer,web',
        'Purchase,,No score given,,store',
        'Purchase,"4,5",Fine,Tourist,web',
      ].join('\n'),
      { persona: 'Segment', channel: 'Channel' },
    );
    expect(figure(metrics, 'st-aware', 'CSAT')).toEqual([[TODAY, 4.5]]);
    expect(figure(metrics, 'st-buy', 'CSAT')).toEqual([[TODAY, 3.25]]);
    expect(figure(metrics, 'st-buy', 'Responses')).toEqual([[TODAY, 3]]);
    expect(figure(metrics, 'st-aware', 'CSAT', 'pe-new')).toEqual([[TODAY, 4]]);
    expect(figure(metrics, 'st-aware', 'CSAT', 'pe-pro')).toEqual([[TODAY, 5]]);
    expect(figure(metrics, 'st-buy', 'CSAT', 'pe-new')).toEqual([[TODAY, 2]]);
    expect(figure(metrics, 'st-use', 'CSAT')).toEqual([]);
    expect(summary).toMatchObject({ rows: 5, imported: 5, stages: 2, verbatims: 4, metrics: metrics.length });
    expect(summary.unmatchedPersonas).toEqual({ count: 1, values: ['Tourist'] });
    expect(rows.map((row) => [row.row, row.stageId, row.personaId, row.channel, row.score, row.text])).toEqual([
      [2, 'st-aware', 'pe-new', 'web', 4, 'Ads were clear, friendly'],
      [4, 'st-buy', 'pe-new', 'web', 2, 'Payment failed twice'],
      [5, 'st-buy', '', 'store', null, 'No score given'],
      [6, 'st-buy', '', 'web', 4.5, 'Fine'],
    ]);
  });

  it('computes NPS as the share of promoters (9–10) minus the share of detractors (0–6)', async () => {
    const scores = { Awareness: [10, 9, 8, 7, 6, 0], Purchase: [10, 10, 9, 5], Onboarding: [3, 4, 8] };
    const lines = Object.entries(scores).flatMap(([stage, values]) => values.map((value) => `${stage},${value},`));
    const { metrics } = await importText(['Stage,Score,Comment', ...lines].join('\n'), { metric: 'nps' });
    expect(figure(metrics, 'st-aware', 'NPS')).toEqual([[TODAY, 0]]);
    expect(figure(metrics, 'st-buy', 'NPS')).toEqual([[TODAY, 50]]);
    expect(figure(metrics, 'st-use', 'NPS')).toEqual([[TODAY, -66.7]]);
    const refused = await refusal(importText('Stage,Score,Comment\nAwareness,9.5,', { metric: 'NPS' }));
    expect(refused.message).toBe('row 2, column "Score": expected an NPS answer, a whole number from 0 to 10, found "9.5"');
  });

  it('dates figures at the last day of each month of the date column, in the format chosen', async () => {
    const file = [
      'Stage;Score;Comment;Answered on',
      'Purchase;2;;31/01/2026',
      'Purchase;4;;02/01/2026',
      'Purchase;5;;14/02/2024',
      'Purchase;3;;29/02/2024',
    ].join('\r\n');
    const { metrics } = await importText(file, { date: 'Answered on', dateFormat: 'dmy', metric: 'CES' }, { delimiter: 'semicolon' });
    expect(figure(metrics, 'st-buy', 'CES')).toEqual([
      ['2026-01-31', 3],
      ['2024-02-29', 4],
    ]);
    const iso = await importText('Stage,Score,Comment,When\nPurchase,3,,2026-04-02T10:11:00Z\nPurchase,5,,2026-04-30', { date: 'When' });
    expect(figure(iso.metrics, 'st-buy', 'CSAT')).toEqual([['2026-04-30', 4]]);
    const refused = await refusal(importText('Stage,Score,Comment,When\nPurchase,3,,2026-04-31', { date: 'When' }));
    expect(refused.message).toBe('row 2, column "When": expected a date like 2026-03-31, found "2026-04-31"');
  });

  it('counts customer rows as Volume, with the drop-off from each stage to the next one on the map', async () => {
    const file = ['Stage,Score,Comment', 'Awareness,,', 'Awareness,,', 'Awareness,,', 'Purchase,,', 'Purchase,,', 'Onboarding,,'].join(
      '\n',
    );
    const { metrics } = await importText(file, { score: undefined, rowsAre: 'customers' });
    expect(figure(metrics, 'st-aware', 'Volume')).toEqual([[TODAY, 3]]);
    expect(figure(metrics, 'st-aware', 'Drop-off %')).toEqual([[TODAY, 33.3]]);
    expect(figure(metrics, 'st-buy', 'Drop-off %')).toEqual([[TODAY, 50]]);
    // The last stage has no next one to lose customers to.
    expect(figure(metrics, 'st-use', 'Drop-off %')).toEqual([]);
    expect(metrics.some((m) => m.name === 'Responses' || m.name === 'CSAT')).toBe(false);
  });

  it('writes a custom KPI as the mean of its column', async () => {
    const { metrics } = await importText('Stage,Score,Comment\nOnboarding,12,\nOnboarding,18.5,', { metric: 'Minutes to first value' });
    expect(figure(metrics, 'st-use', 'Minutes to first value')).toEqual([[TODAY, 15.25]]);
  });

  it('refuses a bad row whole, naming its row, its column and what was expected', async () => {
    const header = 'Stage,Score,Comment';
    const cases: [string, string][] = [
      [`${header}\nAwareness,4,ok\nAwareness,4\n`, 'row 3: expected 3 columns, found 2'],
      [`${header}\nAwareness,4,ok\nAwareness,4,ok,extra\n`, 'row 3: expected 3 columns, found 4'],
      [`${header}\nAwareness,6,ok\n`, 'row 2, column "Score": expected a CSAT answer from 1 to 5, found "6"'],
      [`${header}\nAwareness,four,ok\n`, 'row 2, column "Score": expected a CSAT answer from 1 to 5, found "four"'],
      [`${header}\nAwareness,4,ok\nPurchase,3,"never closed\nPurchase,3,ok\n`, 'row 3: a quote opens a value and is never closed'],
      [
        `${header}\nAwareness,4,say "hi"\n`,
        'row 2: a quote sits inside a value; a value with quotes must be wrapped in quotes and each quote doubled ("")',
      ],
    ];
    for (const [file, message] of cases) expect((await refusal(importText(file))).message).toBe(message);
    expect((await refusal(importText(`${header}\nAwareness,4,ok`, { score: 'Rating' }))).message).toBe(
      'the file has no column "Rating" (chosen as the score); its columns are "Stage", "Score", "Comment"',
    );
  });

  it('refuses rows naming stages the map does not have, unless they are skipped', async () => {
    const file = ['Stage,Score,Comment', 'Awareness,4,', 'Delivery,3,', 'Returns,2,', 'Delivery,1,', ',5,', 'Purchase,4,'].join('\n');
    const refused = await refusal(importText(file));
    expect(refused.message).toBe(
      '4 rows name stages the map does not have ("Delivery", "Returns", "(blank)" at rows 3, 4, 5, 6); rename the stages, or choose to skip those rows',
    );
    expect(refused.row).toBe(3);
    const { summary, metrics } = await importText(file, { skipUnmatched: true });
    expect(summary).toMatchObject({ rows: 6, imported: 2, skipped: { count: 4, rows: [3, 4, 5, 6] } });
    expect(figure(metrics, 'st-aware', 'CSAT')).toEqual([[TODAY, 4]]);
  });

  it('reads UTF-8 with or without a byte-order mark, and refuses UTF-16 and Latin-1 with the row of the first bad byte', async () => {
    const withBom = await importText('\uFEFFStage,Score,Comment\nAwareness,4,Très bien 👍\n', {}, { chunk: 3 });
    expect(withBom.rows[0]!.text).toBe('Très bien 👍');

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Stage,Score,Comment\nAwareness,4,ok\n', 'utf16le')]);
    expect((await refusal(importText(utf16))).message).toBe(
      'the file is UTF-16 text, not UTF-8; save it as "CSV UTF-8" and import it again',
    );
    const utf16NoMark = Buffer.from('Stage,Score,Comment\nAwareness,4,ok\n', 'utf16le');
    expect((await refusal(importText(utf16NoMark))).message).toContain('UTF-16');

    const latin1 = Buffer.from('Stage,Score,Comment\nAwareness,4,fine\nPurchase,2,trop cher à payer\nPurchase,3,ok\n', 'latin1');
    for (const chunk of [1, 5, 1024]) {
      const error = await refusal(importText(latin1, {}, { chunk }));
      expect(error.message).toBe('the file is not UTF-8 text (first bad byte at row 3); save it as "CSV UTF-8" and import it again');
    }
  });

  it('says which delimiter a file read as one column probably has', async () => {
    const file = 'Stage;Score;Comment\nAwareness;4;ok\n';
    expect((await refusal(importText(file))).message).toBe("only one column found: is the delimiter ';'?");
    expect((await refusal(importText('Stage\tScore\tComment\nAwareness\t4\tok\n'))).message).toBe(
      'only one column found: is the delimiter a tab?',
    );
    expect((await importText(file, {}, { delimiter: 'semicolon' })).summary.rows).toBe(1);
  });

  it('refuses an empty file, a blank one and one with only its header', async () => {
    expect((await refusal(importText(''))).message).toBe('the file is empty');
    expect((await refusal(importText('\uFEFF\n\r\n\n'))).message).toBe('the file is empty');
    expect((await refusal(importText('Stage,Score,Comment\n'))).message).toBe('the file has a header but no rows');
  });

  it('stops a file larger than the limit while it streams, whatever it claimed', async () => {
    const big = utf8(`Stage,Score,Comment\n${'Awareness,4,ok\n'.repeat(200)}`);
    const error = await refusal(importText(big, {}, { limitBytes: 1000, chunk: 256 }));
    expect(error.status).toBe(413);
    expect(error.message).toBe('the file is larger than 1 KB, the most one import takes; split it by date');
    expect((await importText(big, {}, { limitBytes: big.byteLength, chunk: 4096 })).summary.rows).toBe(200);
  });
});

describe('survey import: preview', () => {
  it('finds the delimiter, the header, the first rows, a guess at each column and the problems in the part read', async () => {
    const head = [
      'Touchpoint stage;NPS score;Why;Date;Segment',
      'Awareness;9;Great;31/03/2026;Pro',
      'Purchase;3',
      'Purchase;10;Fast;15/03/2026;New;',
    ].join('\n');
    const preview = await previewSurvey(utf8(`${head}\nOnboard`), false);
    expect(preview).toMatchObject({
      delimiter: 'semicolon',
      header: ['Touchpoint stage', 'NPS score', 'Why', 'Date', 'Segment'],
      suggested: { stage: 'Touchpoint stage', score: 'NPS score', verbatim: 'Why', date: 'Date', persona: 'Segment' },
      metric: 'NPS',
      dateFormat: 'dmy',
    });
    // The last line was cut by the slice: it is left out.
    expect(preview.rows).toHaveLength(3);
    expect(preview.problems.map((problem) => problem.message)).toEqual([
      'row 3: expected 5 columns, found 2',
      'row 4: expected 5 columns, found 6',
    ]);
    const asCommas = await previewSurvey(utf8(head), true, 'comma');
    expect(asCommas.header).toEqual(['Touchpoint stage;NPS score;Why;Date;Segment']);
    expect(asCommas.problems[0]).toEqual({ row: 1, message: "only one column found: is the delimiter ';'?" });
    await expect(previewSurvey(utf8(''), true)).rejects.toThrow('the file is empty');
  });
});

describe('survey import: a 50 MB file', () => {
  it('streams through in flat memory: the heap grows by a small part of the file', async () => {
    const size = 50 * 1024 * 1024;
    const stageNames = stages.map((stage) => stage.name);
    /** The file made as it is read, 64 KB at a time: it never exists whole. */
    async function* file(): AsyncGenerator<Uint8Array> {
      yield utf8('Stage,Score,Comment,Segment,Channel,Date\n');
      let sent = 0;
      let row = 0;
      while (sent < size) {
        let text = '';
        while (text.length < 64 * 1024) {
          row++;
          const month = String((Math.floor(row / 7) % 12) + 1).padStart(2, '0');
          text += `${stageNames[row % 3]},${(row % 5) + 1},"Comment number ${row}, about the checkout page",${personas[row % 2]!.name},web,2025-${month}-15\n`;
        }
        const bytes = utf8(text);
        sent += bytes.byteLength;
        yield bytes;
      }
    }
    // What stays reachable is what is measured: the collector runs before each sample.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let kept = 0;
    let batches = 0;
    const result = await readSurvey({
      source: file(),
      limitBytes: size + 1024 * 1024,
      delimiter: 'comma',
      mapping: { stage: 'Stage', score: 'Score', verbatim: 'Comment', persona: 'Segment', channel: 'Channel', date: 'Date' },
      stages,
      personas,
      today: TODAY,
      onRows: async (rows) => {
        kept += rows.length;
        if (++batches % 25 !== 0) return;
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    const growth = peak - before;
    expect(result.summary.rows).toBeGreaterThan(500_000);
    expect(kept).toBe(result.summary.rows);
    // 3 stages × (everyone + 2 personas) × 12 months, a CSAT and a count each.
    expect(result.metrics).toHaveLength(3 * 3 * 12 * 2);
    expect(batches).toBeGreaterThan(100);
    // Holding the file, or its rows, would cost more than the file's size in heap.
    expect(growth, `heap grew by ${Math.round(growth / 1024 / 1024)} MB`).toBeLessThan(size / 5);
  }, 120_000);
});

import type { MetricInput } from '@waymark/model';
import { parse as parseSync } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  checkHeader,
  csvOptions,
  csvParser,
  MAX_ROW_BYTES,
  decodeUtf8,
  detectDelimiter,
  fromCsvError,
  raggedRow,
  SurveyImportError,
  type DelimiterName,
} from './survey-csv.js';
import {
  guessDateFormat,
  SurveyAggregator,
  suggestMapping,
  suggestMetric,
  type DateFormat,
  type NamedRecord,
  type SurveyMapping,
  type SurveyRow,
  type SurveySummary,
} from './survey-mapping.js';

/** Rows handed to `onRows` at a time: enough to make each storage write worth it. */
const BATCH = 2000;

export interface SurveyReadOptions {
  /** The file's bytes as they arrive. */
  source: AsyncIterable<Uint8Array>;
  limitBytes: number;
  delimiter: DelimiterName;
  mapping: SurveyMapping;
  stages: readonly NamedRecord[];
  personas: readonly NamedRecord[];
  /** `YYYY-MM-DD`: the date of figures from a file without a date column. */
  today: string;
  /** Called with the rows that carry a comment, in order, a batch at a time; the next batch waits for it. */
  onRows(rows: SurveyRow[]): Promise<void>;
}

export interface SurveyReadResult {
  summary: SurveySummary;
  metrics: MetricInput[];
}

/**
 * Reads a whole file as it streams in: each row checked (its column count, score and date),
 * summed per stage, stage × persona and month, its comment handed on. The first bad row stops
 * everything with a SurveyImportError naming it.
 */
export async function readSurvey(options: SurveyReadOptions): Promise<SurveyReadResult> {
  let aggregator: SurveyAggregator | null = null;
  let batch: SurveyRow[] = [];
  let row = 0;
  // What stopped the reading, as this code said it: pipeline may report an abort in its place.
  let failure: unknown = null;
  const readRecords = async (records: AsyncIterable<string[]>) => {
    for await (const record of records) {
      row++;
      if (aggregator === null) {
        aggregator = new SurveyAggregator(checkHeader(record, options.delimiter), options.mapping, options.stages, options.personas);
        continue;
      }
      if (record.length !== aggregator.width) throw raggedRow(row, aggregator.width, record.length);
      const read = aggregator.add(record, row);
      if (read !== null && read.text !== '') batch.push(read);
      if (batch.length >= BATCH) {
        const full = batch;
        batch = [];
        await options.onRows(full);
      }
    }
  };
  // The start of the text, up to the end of the header line, kept to judge the header when the
  // parser fails before the header reaches the reader (a wrong delimiter trips on quotes first).
  let head = '';
  async function* keepHead(texts: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const text of texts) {
      if (!head.includes('\n') && head.length < MAX_ROW_BYTES) head += text;
      yield text;
    }
  }
  try {
    await pipeline(
      Readable.from(keepHead(decodeUtf8(options.source, options.limitBytes))),
      csvParser(options.delimiter),
      async (records: AsyncIterable<string[]>) => {
        try {
          await readRecords(records);
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    );
  } catch (error) {
    if (aggregator === null && failure === null) checkHeaderLine(head, options.delimiter);
    throw fromCsvError(failure ?? error);
  }
  const done = aggregator as SurveyAggregator | null;
  if (done === null) throw new SurveyImportError('the file is empty');
  if (row === 1) throw new SurveyImportError('the file has a header but no rows', 2);
  done.checkUnmatched();
  if (batch.length > 0) await options.onRows(batch);
  const metrics = done.metrics(options.today);
  return { summary: done.summary(metrics.length), metrics };
}

/** Throws what is wrong with the header at the start of `text`, if anything. */
function checkHeaderLine(text: string, delimiter: DelimiterName): void {
  const end = text.indexOf('\n');
  let header: string[] | undefined;
  try {
    header = (parseSync(end === -1 ? text : text.slice(0, end), csvOptions(delimiter)) as string[][])[0];
  } catch {
    return;
  }
  if (header) checkHeader(header, delimiter);
}

export interface SurveyPreview {
  delimiter: DelimiterName;
  header: string[];
  rows: string[][];
  /** What is wrong in the part read, each with its row; the import itself will refuse the file for it. */
  problems: { row: number | null; message: string }[];
  suggested: Partial<Record<'stage' | 'score' | 'date' | 'verbatim' | 'persona' | 'channel', string>>;
  metric: string;
  dateFormat: DateFormat;
}

/** Rows a preview shows. */
export const PREVIEW_ROWS = 10;

/**
 * The start of a file (`complete` when it is the whole file): its delimiter (the one given, else
 * the one that splits the header most), header, first rows, and what is wrong in them.
 */
export async function previewSurvey(bytes: Uint8Array, complete: boolean, delimiter?: DelimiterName): Promise<SurveyPreview> {
  let text = '';
  for await (const part of decodeUtf8(Readable.from([bytes]), Number.MAX_SAFE_INTEGER)) text += part;
  // The slice may end inside a row (or a character): only whole rows are previewed.
  if (!complete) {
    const end = text.lastIndexOf('\n');
    text = end === -1 ? text : text.slice(0, end + 1);
  }
  if (text.trim() === '') throw new SurveyImportError('the file is empty');
  const chosen = delimiter ?? detectDelimiter(text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n')));
  const problems: SurveyPreview['problems'] = [];
  const records: string[][] = [];
  try {
    await pipeline(Readable.from([text]), csvParser(chosen), async (parsed: AsyncIterable<string[]>) => {
      for await (const record of parsed) records.push(record);
    });
  } catch (error) {
    const said = fromCsvError(error);
    if (!(said instanceof SurveyImportError)) throw said;
    problems.push({ row: said.row, message: said.message });
  }
  if (records.length === 0 && problems.length > 0) {
    // The parser failed before the header's end: the header line read on its own still shows.
    const end = text.indexOf('\n');
    try {
      records.push(...(parseSync(end === -1 ? text : text.slice(0, end), csvOptions(chosen)) as string[][]));
    } catch {
      throw new SurveyImportError(problems[0]!.message, problems[0]!.row);
    }
  }
  if (records.length === 0) throw new SurveyImportError('the file is empty');
  let header: string[];
  try {
    header = checkHeader(records[0]!, chosen);
  } catch (error) {
    if (!(error instanceof SurveyImportError)) throw error;
    header = records[0]!.map((name) => name.trim());
    problems.unshift({ row: error.row, message: error.message });
  }
  if (records.length === 1 && complete && problems.length === 0) problems.push({ row: 2, message: 'the file has a header but no rows' });
  records.slice(1).forEach((record, index) => {
    if (record.length !== header.length && problems.length < 5)
      problems.push({ row: index + 2, message: raggedRow(index + 2, header.length, record.length).message });
  });
  const suggested = suggestMapping(header);
  const dateIndex = suggested.date === undefined ? -1 : header.indexOf(suggested.date);
  return {
    delimiter: chosen,
    header,
    rows: records.slice(1, 1 + PREVIEW_ROWS),
    problems,
    suggested,
    metric: suggestMetric(suggested.score),
    dateFormat: guessDateFormat(dateIndex === -1 ? [] : records.slice(1).map((record) => record[dateIndex] ?? '')),
  };
}

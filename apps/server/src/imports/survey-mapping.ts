import { MAX_SOURCE_TEXT, type MetricInput } from '@waymark/model';
import { SurveyImportError } from './survey-csv.js';
import type { Verbatim } from '../storage/map-store.js';

/**
 * What each column of a survey file means, and how its rows become figures: a score per row is
 * summed into one figure per stage (and per stage and persona, and per month when the file has
 * dates), written as the map's metrics.
 */

export const SCORE_SCALES = {
  CSAT: { min: 1, max: 5, whole: false, expected: 'a CSAT answer from 1 to 5' },
  NPS: { min: 0, max: 10, whole: true, expected: 'an NPS answer, a whole number from 0 to 10' },
  CES: { min: 1, max: 7, whole: false, expected: 'a CES answer from 1 to 7' },
} as const;
export type KnownScore = keyof typeof SCORE_SCALES;

export const DATE_FORMATS = ['ymd', 'dmy', 'mdy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
const DATE_EXAMPLES: Record<DateFormat, string> = { ymd: '2026-03-31', dmy: '31/03/2026', mdy: '03/31/2026' };

/** Which column holds what (by header name); only the stage is needed. */
export interface SurveyMapping {
  stage: string;
  score?: string | undefined;
  /** What the score measures: CSAT, NPS, CES, or a custom KPI's name (its mean is written). */
  metric?: string | undefined;
  date?: string | undefined;
  dateFormat?: DateFormat | undefined;
  verbatim?: string | undefined;
  persona?: string | undefined;
  channel?: string | undefined;
  /** Rows naming a stage the map does not have are left out instead of refusing the file. */
  skipUnmatched?: boolean | undefined;
  /**
   * What one row is: a survey response (counted as 'Responses'), or a customer seen at a stage in
   * an analytics export (counted as 'Volume', with each stage's 'Drop-off %' to the next one).
   */
  rowsAre?: RowMeaning | undefined;
}

export const ROW_MEANINGS = ['responses', 'customers'] as const;
export type RowMeaning = (typeof ROW_MEANINGS)[number];

export interface NamedRecord {
  readonly id: string;
  readonly name: string;
}

/** The longest channel name kept with a verbatim. */
const MAX_CHANNEL = 100;
/** Unmatched stage values and rows named in an error or a summary. */
const EXAMPLES = 5;

const fold = (value: string) => value.trim().toLowerCase();

/** One row as the import reads it: the verbatim it becomes, before the import has an id. */
export type SurveyRow = Omit<Verbatim, 'importId'>;

interface Bucket {
  stageId: string;
  personaId: string;
  /** `YYYY-MM`, or '' without a date column. */
  month: string;
  responses: number;
  scored: number;
  sum: number;
  promoters: number;
  detractors: number;
}

/** What an import did, said back to the person who ran it. */
export interface SurveySummary {
  rows: number;
  imported: number;
  skipped: { count: number; values: string[]; rows: number[] };
  unmatchedPersonas: { count: number; values: string[] };
  stages: number;
  metrics: number;
  verbatims: number;
}

/**
 * Reads rows against a mapping and a map's stages and personas, and keeps the running sums. Its
 * memory grows with stages × personas × months, never with the file.
 */
export class SurveyAggregator {
  readonly #columns: Record<'stage' | 'score' | 'date' | 'verbatim' | 'persona' | 'channel', number>;
  readonly #width: number;
  readonly #stages: Map<string, string>;
  /** Stage ids in the map's order, for drop-off from one stage to the next. */
  readonly #stageOrder: string[];
  readonly #personas: Map<string, string>;
  readonly #scale: (typeof SCORE_SCALES)[KnownScore] | null;
  readonly #metric: string;
  readonly #buckets = new Map<string, Bucket>();
  #rows = 0;
  #imported = 0;
  #verbatims = 0;
  readonly #skipped = { count: 0, values: [] as string[], rows: [] as number[] };
  readonly #unmatchedPersonas = { count: 0, values: [] as string[] };

  constructor(
    header: readonly string[],
    readonly mapping: SurveyMapping,
    stages: readonly NamedRecord[],
    personas: readonly NamedRecord[],
  ) {
    const column = (role: string, name: string | undefined): number => {
      if (name === undefined || name === '') return -1;
      const index = header.indexOf(name.trim());
      if (index === -1)
        throw new SurveyImportError(
          `the file has no column "${name}" (chosen as the ${role}); its columns are ${quoteList(header)}`,
          1,
          name,
        );
      if (header.indexOf(name.trim(), index + 1) !== -1)
        throw new SurveyImportError(`the file has two columns named "${name}"; rename one and import it again`, 1, name);
      return index;
    };
    this.#columns = {
      stage: column('stage', mapping.stage),
      score: column('score', mapping.score),
      date: column('date', mapping.date),
      verbatim: column('verbatim comment', mapping.verbatim),
      persona: column('persona', mapping.persona),
      channel: column('channel', mapping.channel),
    };
    if (this.#columns.stage === -1) throw new SurveyImportError('choose the column that names the stage', 1);
    this.#width = header.length;
    this.#stages = new Map(stages.map((stage) => [fold(stage.name), stage.id]));
    this.#stageOrder = stages.map((stage) => stage.id);
    this.#personas = new Map(personas.map((persona) => [fold(persona.name), persona.id]));
    const metric = (mapping.metric ?? 'CSAT').trim();
    const known = (Object.keys(SCORE_SCALES) as KnownScore[]).find((name) => name.toLowerCase() === metric.toLowerCase());
    this.#scale = known ? SCORE_SCALES[known] : null;
    this.#metric = known ?? metric;
    if (this.#columns.score !== -1 && (this.#metric === '' || this.#metric.length > 60)) {
      throw new SurveyImportError('name the metric the score measures (1 to 60 characters)');
    }
  }

  get width(): number {
    return this.#width;
  }

  /** Reads one data row; returns it when its stage is on the map, null when it is skipped. Throws on a bad value. */
  add(record: readonly string[], row: number): SurveyRow | null {
    this.#rows++;
    const value = (index: number) => (index === -1 ? '' : (record[index] ?? '').trim());
    const stageValue = value(this.#columns.stage);
    const stageId = this.#stages.get(fold(stageValue));
    if (stageId === undefined) {
      this.#skipped.count++;
      if (this.#skipped.rows.length < EXAMPLES) this.#skipped.rows.push(row);
      const shown = stageValue === '' ? '(blank)' : stageValue;
      if (this.#skipped.values.length < EXAMPLES && !this.#skipped.values.includes(shown)) this.#skipped.values.push(shown);
      return null;
    }
    const score = this.#columns.score === -1 ? null : this.#score(value(this.#columns.score), row);
    const date =
      this.#columns.date === -1 ? '' : readDate(value(this.#columns.date), this.mapping.dateFormat ?? 'ymd', row, this.mapping.date!);
    const personaValue = value(this.#columns.persona);
    const personaId = personaValue === '' ? '' : (this.#personas.get(fold(personaValue)) ?? '');
    if (personaValue !== '' && personaId === '') {
      this.#unmatchedPersonas.count++;
      if (this.#unmatchedPersonas.values.length < EXAMPLES && !this.#unmatchedPersonas.values.includes(personaValue)) {
        this.#unmatchedPersonas.values.push(personaValue);
      }
    }
    const month = date.slice(0, 7);
    this.#count(stageId, '', month, score);
    if (personaId !== '') this.#count(stageId, personaId, month, score);
    this.#imported++;
    const text = value(this.#columns.verbatim).slice(0, MAX_SOURCE_TEXT);
    if (text !== '') this.#verbatims++;
    return { row, stageId, personaId, channel: value(this.#columns.channel).slice(0, MAX_CHANNEL), score, date, text };
  }

  /**
   * The figures to write: per bucket the score's metric (when scored) and the row count; for
   * customer rows, also the share lost between each stage and the next one on the map.
   */
  metrics(today: string): MetricInput[] {
    const customers = this.mapping.rowsAre === 'customers';
    const inputs: MetricInput[] = [];
    for (const bucket of this.#buckets.values()) {
      const date = bucket.month === '' ? today : lastDayOf(bucket.month);
      const base = { stageId: bucket.stageId, personaId: bucket.personaId, date };
      if (bucket.scored > 0) inputs.push({ ...base, name: this.#metric, value: this.#figure(bucket) });
      inputs.push({ ...base, name: customers ? 'Volume' : 'Responses', value: bucket.responses });
      if (!customers) continue;
      const next = this.#stageOrder[this.#stageOrder.indexOf(bucket.stageId) + 1];
      const reached = next === undefined ? undefined : this.#buckets.get(`${next}\u0000${bucket.personaId}\u0000${bucket.month}`);
      // Without the next stage's count (the last stage, or none seen there that month) there is no drop-off to say.
      if (reached === undefined) continue;
      const lost = Math.max(0, bucket.responses - reached.responses) / bucket.responses;
      inputs.push({ ...base, name: 'Drop-off %', value: Math.round(lost * 1000) / 10 });
    }
    return inputs;
  }

  /** Refuses the file when rows name stages the map does not have, unless they are to be skipped. */
  checkUnmatched(): void {
    const skipped = this.#skipped;
    if (skipped.count === 0 || this.mapping.skipUnmatched) return;
    const rows =
      skipped.count === 1 ? `row ${skipped.rows[0]}` : `rows ${skipped.rows.join(', ')}${skipped.count > skipped.rows.length ? '…' : ''}`;
    throw new SurveyImportError(
      `${skipped.count.toLocaleString('en')} ${skipped.count === 1 ? 'row names a stage' : 'rows name stages'} the map does not have (${quoteList(skipped.values)} at ${rows}); rename the stages, or choose to skip those rows`,
      skipped.rows[0] ?? null,
      this.mapping.stage,
    );
  }

  summary(metrics: number): SurveySummary {
    return {
      rows: this.#rows,
      imported: this.#imported,
      skipped: { ...this.#skipped },
      unmatchedPersonas: { ...this.#unmatchedPersonas },
      stages: new Set([...this.#buckets.values()].map((bucket) => bucket.stageId)).size,
      metrics,
      verbatims: this.#verbatims,
    };
  }

  #score(text: string, row: number): number | null {
    if (text === '') return null;
    const scale = this.#scale;
    const column = this.mapping.score!;
    const expected = scale?.expected ?? 'a number';
    // A decimal comma ("4,5") is how half of Europe's spreadsheets write numbers.
    const normal = /^-?\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
    const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(normal) ? Number(normal) : Number.NaN;
    const bad =
      !Number.isFinite(value) || (scale !== null && (value < scale.min || value > scale.max || (scale.whole && !Number.isInteger(value))));
    if (bad) throw new SurveyImportError(`row ${row}, column "${column}": expected ${expected}, found "${clip(text)}"`, row, column);
    return value;
  }

  #count(stageId: string, personaId: string, month: string, score: number | null): void {
    const key = `${stageId}\u0000${personaId}\u0000${month}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { stageId, personaId, month, responses: 0, scored: 0, sum: 0, promoters: 0, detractors: 0 };
      this.#buckets.set(key, bucket);
    }
    bucket.responses++;
    if (score === null) return;
    bucket.scored++;
    bucket.sum += score;
    if (score >= 9) bucket.promoters++;
    else if (score <= 6) bucket.detractors++;
  }

  #figure(bucket: Bucket): number {
    if (this.#metric === 'NPS') return Math.round(((bucket.promoters - bucket.detractors) / bucket.scored) * 1000) / 10;
    return Math.round((bucket.sum / bucket.scored) * 100) / 100;
  }
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
const quoteList = (values: readonly string[]) => values.map((value) => `"${clip(value)}"`).join(', ');

/** `YYYY-MM-DD` of a day written in `format`; ISO dates may carry a time after them. */
export function readDate(text: string, format: DateFormat, row: number, column: string): string {
  let parts: [string, string, string] | null = null;
  if (format === 'ymd') {
    const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(text);
    if (match) parts = [match[1]!, match[2]!, match[3]!];
  } else {
    const match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: .*)?$/.exec(text);
    if (match) parts = format === 'dmy' ? [match[3]!, match[2]!, match[1]!] : [match[3]!, match[1]!, match[2]!];
  }
  // Checked by arithmetic, not by Date: this runs once per row of files with hundreds of thousands.
  const exists = parts !== null && isRealDay(Number(parts[0]), Number(parts[1]), Number(parts[2]));
  if (!exists) {
    throw new SurveyImportError(
      `row ${row}, column "${column}": expected a date like ${DATE_EXAMPLES[format]}, found ${text === '' ? 'nothing' : `"${clip(text)}"`}`,
      row,
      column,
    );
  }
  return `${parts![0]}-${parts![1].padStart(2, '0')}-${parts![2].padStart(2, '0')}`;
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the day exists (no 31 April, no 29 February outside leap years). */
function isRealDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** The last day of a `YYYY-MM` month. */
export function lastDayOf(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10);
}

/** Which date format a column's first values are written in, as far as they tell. */
export function guessDateFormat(values: readonly string[]): DateFormat {
  let dmy = false;
  let mdy = false;
  for (const value of values) {
    const match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})/.exec(value.trim());
    if (!match) continue;
    if (Number(match[1]) > 12) dmy = true;
    if (Number(match[2]) > 12) mdy = true;
  }
  if (mdy && !dmy) return 'mdy';
  if (dmy || values.some((value) => /^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}/.test(value.trim()))) return 'dmy';
  return 'ymd';
}

/** A guess at which column is which from the header's words; a column is guessed for one role at most. */
export function suggestMapping(
  header: readonly string[],
): Partial<Record<'stage' | 'score' | 'date' | 'verbatim' | 'persona' | 'channel', string>> {
  const words = {
    stage: ['stage', 'phase', 'step', 'touchpoint'],
    date: ['date', 'time', 'submitted', 'created', 'answered', 'when', 'day'],
    score: ['score', 'rating', 'csat', 'nps', 'ces', 'satisf', 'effort', 'recommend'],
    persona: ['persona', 'segment'],
    channel: ['channel', 'source', 'medium'],
    verbatim: ['comment', 'verbatim', 'feedback', 'text', 'said', 'answer', 'why', 'remark'],
  };
  const taken = new Set<string>();
  const suggested: Partial<Record<keyof typeof words, string>> = {};
  for (const [role, list] of Object.entries(words) as [keyof typeof words, string[]][]) {
    const found = header.find((name) => !taken.has(name) && list.some((word) => fold(name).includes(word)));
    if (found === undefined) continue;
    suggested[role] = found;
    taken.add(found);
  }
  return suggested;
}

/** The metric a score column's name suggests. */
export function suggestMetric(column: string | undefined): string {
  const name = fold(column ?? '');
  if (name.includes('nps') || name.includes('recommend')) return 'NPS';
  if (name.includes('ces') || name.includes('effort')) return 'CES';
  return 'CSAT';
}

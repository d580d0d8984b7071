import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import { invalid, parseOrReport, type Problem } from '../problems.js';
import { isDueDate } from './action.js';
import { asRecordMap, optionalFiniteNumber, optionalString } from './fields.js';
import { readPersonas } from './persona.js';
import { readStages } from './stage.js';

/**
 * Customer data on the map: one measurement of one metric at one stage, for everyone or for one
 * persona, on one date. Stored as a Y.Map per measurement in `metrics`
 * { stageId, personaId, name, value, target?, date, source, origin, author, createdAt }; a
 * metric's history is its measurements over time, so a new figure never overwrites the last one
 * and the stage header can show the trend.
 */

export const METRIC_SOURCES = ['manual', 'import'] as const;
export type MetricSource = (typeof METRIC_SOURCES)[number];

export interface Metric {
  readonly id: string;
  readonly stageId: string;
  /** The persona it was measured for; '' for all customers. */
  readonly personaId: string;
  readonly name: string;
  readonly value: number;
  /** The value aimed at; null when none is set. */
  readonly target: number | null;
  /** The day it was measured, `YYYY-MM-DD`. */
  readonly date: string;
  readonly source: MetricSource;
  /** The id of the survey import it came from (the server keeps the file's name with it); '' for figures entered by hand. */
  readonly origin: string;
  readonly author: string;
  readonly createdAt: number;
}

/** The metrics every journey team knows, with their scales and which way is better. */
export interface MetricKind {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly better: 'higher' | 'lower';
  readonly unit: string;
  readonly help: string;
}

export const KNOWN_METRICS: readonly MetricKind[] = Object.freeze([
  { name: 'CSAT', min: 1, max: 5, better: 'higher', unit: '', help: 'Customer satisfaction, mean of 1–5 answers' },
  { name: 'NPS', min: -100, max: 100, better: 'higher', unit: '', help: 'Net Promoter Score, −100 to 100' },
  { name: 'CES', min: 1, max: 7, better: 'lower', unit: '', help: 'Customer effort score, mean of 1–7 answers' },
  { name: 'Drop-off %', min: 0, max: 100, better: 'lower', unit: '%', help: 'Share of customers who leave at this stage' },
  { name: 'Volume', min: 0, max: Number.MAX_SAFE_INTEGER, better: 'higher', unit: '', help: 'Customers who reach this stage' },
]);

export const MAX_METRIC_NAME = 60;

export function metricKind(name: string): MetricKind | undefined {
  return KNOWN_METRICS.find((kind) => kind.name.toLowerCase() === name.trim().toLowerCase());
}

/** Which way is better for a metric: the known ones say; a custom KPI is better higher unless its target is lower. */
export function betterDirection(name: string): 'higher' | 'lower' {
  return metricKind(name)?.better ?? 'higher';
}

export const isMetricSource = (value: unknown): value is MetricSource =>
  typeof value === 'string' && (METRIC_SOURCES as readonly string[]).includes(value);

export const isMetricName = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.length <= MAX_METRIC_NAME;

export const isMeasureDate = (value: unknown): value is string => value !== '' && isDueDate(value);

/** Why `value` cannot be a measurement of the metric `name`, or null. */
export function metricValueProblem(name: string, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number`;
  const kind = metricKind(name);
  if (kind && (value < kind.min || value > kind.max)) {
    return kind.max === Number.MAX_SAFE_INTEGER
      ? `${kind.name} must be ${kind.min} or more`
      : `${kind.name} must be from ${kind.min} to ${kind.max}`;
  }
  return null;
}

/** What a measurement may refer to, from the already validated records. */
export interface MetricReferences {
  readonly stageIds: ReadonlySet<string>;
  readonly personaIds: ReadonlySet<string>;
}

export function parseMetric(id: string, value: unknown, references: MetricReferences): Metric {
  if (!isValidId(id)) invalid('id is not a valid record id');
  const record = asRecordMap(value);
  const stageId = record.get('stageId');
  if (typeof stageId !== 'string' || !references.stageIds.has(stageId))
    invalid(`stage ${JSON.stringify(stageId) ?? 'missing'} does not exist`);
  const personaId = optionalString(record, 'personaId', '');
  if (personaId !== '' && !references.personaIds.has(personaId)) invalid(`persona ${JSON.stringify(personaId)} does not exist`);
  const name = record.get('name');
  if (!isMetricName(name)) invalid('name is missing or too long');
  const measured = record.get('value');
  const problem = metricValueProblem(name, measured);
  if (problem) invalid(problem);
  const target = record.get('target');
  if (target !== undefined && target !== null && (typeof target !== 'number' || !Number.isFinite(target)))
    invalid('target is not a number');
  const date = record.get('date');
  if (!isMeasureDate(date)) invalid('date is not a day like 2026-03-31');
  const source = record.get('source') ?? 'manual';
  if (!isMetricSource(source)) invalid(`source is not one of ${METRIC_SOURCES.join(', ')}`);
  return {
    id,
    stageId,
    personaId,
    name: name.trim(),
    value: measured as number,
    target: typeof target === 'number' ? target : null,
    date,
    source,
    origin: optionalString(record, 'origin', ''),
    author: optionalString(record, 'author', ''),
    createdAt: optionalFiniteNumber(record, 'createdAt', 0),
  };
}

/** Valid measurements, oldest first (by date, then by when they were entered). */
export function collectMetrics(doc: Y.Doc, problems: Problem[], references: MetricReferences): Metric[] {
  const metrics: Metric[] = [];
  for (const [id, value] of topLevelMap(doc, 'metrics').entries()) {
    const metric = parseOrReport('metrics', id, problems, () => parseMetric(id, value, references));
    if (metric !== undefined) metrics.push(metric);
  }
  return metrics.sort(compareMeasurements);
}

export const compareMeasurements = (a: Metric, b: Metric): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One metric at one stage as the header shows it: the latest figure, the one before, and how it moved. */
export interface StageFigure {
  readonly name: string;
  readonly latest: Metric;
  readonly previous: Metric | null;
  /** latest − previous; null with one measurement. */
  readonly change: number | null;
  /** Whether the change is for the better (per the metric's direction); null when unchanged or unknown. */
  readonly improved: boolean | null;
  /** Whether the latest figure meets its target; null without a target. */
  readonly onTarget: boolean | null;
  /** Whether this figure is the persona's own (false: everyone's, shown because the persona has none). */
  readonly forPersona: boolean;
}

/**
 * The figures of one stage, in the order of KNOWN_METRICS then custom ones by name. With a
 * persona, a metric measured for that persona wins over the everyone figure; without one, only
 * everyone figures show.
 */
export function stageFigures(metrics: readonly Metric[], stageId: string, personaId: string | null): StageFigure[] {
  const series = new Map<string, { own: Metric[]; everyone: Metric[] }>();
  for (const metric of metrics) {
    if (metric.stageId !== stageId) continue;
    const own = personaId !== null && metric.personaId === personaId;
    if (!own && metric.personaId !== '') continue;
    const key = metricKind(metric.name)?.name ?? metric.name;
    const entry = series.get(key) ?? { own: [], everyone: [] };
    (own ? entry.own : entry.everyone).push(metric);
    series.set(key, entry);
  }
  const figures: StageFigure[] = [];
  for (const [name, { own, everyone }] of series) {
    const list = own.length > 0 ? own : everyone;
    const latest = list[list.length - 1]!;
    const previous = list.length > 1 ? list[list.length - 2]! : null;
    const change = previous === null ? null : latest.value - previous.value;
    const better = betterDirection(name);
    figures.push({
      name,
      latest,
      previous,
      change,
      improved: change === null || change === 0 ? null : better === 'higher' ? change > 0 : change < 0,
      onTarget: latest.target === null ? null : better === 'higher' ? latest.value >= latest.target : latest.value <= latest.target,
      forPersona: own.length > 0,
    });
  }
  const rank = (name: string) => {
    const index = KNOWN_METRICS.findIndex((kind) => kind.name === name);
    return index === -1 ? KNOWN_METRICS.length : index;
  };
  return figures.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

/** The latest value of a metric at a stage (the persona's own first, then everyone's), or null. */
export function latestValue(metrics: readonly Metric[], stageId: string, name: string, personaId: string | null = null): number | null {
  return stageFigures(metrics, stageId, personaId).find((figure) => figure.name === (metricKind(name)?.name ?? name))?.latest.value ?? null;
}

/** When the map's customer data was last entered or imported (ms since the epoch), or null when it has none. */
export function dataRefreshedAt(metrics: readonly Metric[]): number | null {
  let latest: number | null = null;
  for (const metric of metrics) if (metric.createdAt > 0 && (latest === null || metric.createdAt > latest)) latest = metric.createdAt;
  return latest;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of a time, in UTC. */
export const dayOf = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** The day the map's data is due for review: the last refresh (or the map's creation) plus the interval. */
export function nextReviewDate(refreshedAt: number | null, createdAt: number, intervalDays: number): string | null {
  const from = refreshedAt ?? (createdAt > 0 ? createdAt : null);
  return from === null ? null : dayOf(from + intervalDays * DAY_MS);
}

/**
 * Stages whose newest measurement is older than the review interval (by its date), with that
 * date. Stages with no measurement at all are not stale data: they have none (see evidence).
 */
export function staleStages(metrics: readonly Metric[], intervalDays: number, now: number): Map<string, string> {
  const newest = new Map<string, string>();
  for (const metric of metrics) {
    const known = newest.get(metric.stageId);
    if (known === undefined || metric.date > known) newest.set(metric.stageId, metric.date);
  }
  const cutoff = dayOf(now - intervalDays * DAY_MS);
  return new Map([...newest].filter(([, date]) => date < cutoff));
}

/** Valid measurements of the map, oldest first. */
export function readMetrics(doc: Y.Doc): Metric[] {
  const stageIds = new Set(readStages(doc).map((stage) => stage.id));
  const personaIds = new Set(readPersonas(doc).map((persona) => persona.id));
  return collectMetrics(doc, [], { stageIds, personaIds });
}

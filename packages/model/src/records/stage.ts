import * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import { compareByOrder } from '../order.js';
import { invalid, parseOrReport, type Problem } from '../problems.js';
import { asRecordMap, isPlainObject, requiredName, requiredOrder } from './fields.js';

/**
 * A stage is a column of the map. Stored as a Y.Map { name, order, metrics? } in `stages`.
 * `metrics` is the older form of customer data, one value per name with no date or history, kept
 * readable for the files that hold it; the app keeps measurements as records in `metrics` (see
 * metric.ts). It is a nested Y.Map so two people writing different names both keep their value;
 * a plain object (hand-written or imported) is read too.
 */
export type MetricValue = number | string;

export interface Stage {
  readonly id: string;
  readonly name: string;
  readonly order: string;
  readonly metrics: Readonly<Record<string, MetricValue>>;
}

function isMetricValue(value: unknown): value is MetricValue {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string';
}

function metricEntries(value: unknown): [string, unknown][] {
  if (value === undefined) return [];
  if (value instanceof Y.Map) return [...(value as Y.Map<unknown>).entries()];
  if (isPlainObject(value)) return Object.entries(value);
  return invalid('metrics is neither a Y.Map nor an object');
}

export function parseStage(id: string, value: unknown, problems: Problem[]): Stage {
  if (!isValidId(id)) invalid('id is not a valid record id');
  const record = asRecordMap(value);
  const name = requiredName(record, 'name');
  const order = requiredOrder(record);
  const valid: [string, MetricValue][] = [];
  for (const [metric, metricValue] of metricEntries(record.get('metrics'))) {
    if (isMetricValue(metricValue)) {
      valid.push([metric, metricValue]);
    } else {
      // One unreadable metric should not hide the stage's column.
      problems.push({
        collection: 'stages',
        id,
        reason: `metric "${metric}" ignored: not a number or string`,
        action: 'repaired',
      });
    }
  }
  // fromEntries defines own properties: a metric named "__proto__" stays plain data
  return { id, name, order, metrics: Object.fromEntries(valid) };
}

export function collectStages(doc: Y.Doc, problems: Problem[]): Stage[] {
  const stages: Stage[] = [];
  for (const [id, value] of topLevelMap(doc, 'stages').entries()) {
    const stage = parseOrReport('stages', id, problems, () => parseStage(id, value, problems));
    if (stage !== undefined) stages.push(stage);
  }
  return stages.sort(compareByOrder);
}

/** Valid stages sorted by (order, id). */
export function readStages(doc: Y.Doc): Stage[] {
  return collectStages(doc, []);
}

/** Input check for metrics passed to the write API; returns a clean copy. */
export function checkMetrics(metrics: Readonly<Record<string, unknown>>, what: string): Record<string, MetricValue> {
  if (!isPlainObject(metrics)) throw new Error(`${what}: metrics must be an object`);
  const checked: [string, MetricValue][] = [];
  for (const [name, value] of Object.entries(metrics)) {
    if (name.trim() === '') throw new Error(`${what}: metric names must not be empty`);
    if (!isMetricValue(value)) {
      throw new Error(`${what}: metric "${name}" must be a finite number or a string`);
    }
    checked.push([name, value]);
  }
  return Object.fromEntries(checked);
}

import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { newId } from '../ids.js';
import { originUserId, type Origin } from '../origin.js';
import { checkString } from '../records/fields.js';
import { isMeasureDate, isMetricName, MAX_METRIC_NAME, metricKind, metricValueProblem, type MetricSource } from '../records/metric.js';
import { existingRecord, insertRecord, transactAs } from './transaction.js';

export interface MetricInput {
  readonly stageId: string;
  /** '' or omitted: all customers. */
  readonly personaId?: string;
  readonly name: string;
  readonly value: number;
  readonly target?: number | null;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

export interface MetricPatch {
  readonly value?: number;
  /** null removes the target. */
  readonly target?: number | null;
  readonly date?: string;
}

/** Where imported measurements come from. */
export interface MetricImport {
  readonly source: MetricSource;
  /** The import's id: the server lists each import with its file's name, and deletes its figures by this id. */
  readonly origin: string;
}

function checkTarget(target: unknown, what: string): number | null {
  if (target === null || target === undefined) return null;
  if (typeof target !== 'number' || !Number.isFinite(target)) throw new Error(`${what}: target must be a number`);
  return target;
}

function checkDate(date: unknown, what: string): string {
  if (!isMeasureDate(date)) throw new Error(`${what}: date must be a day like 2026-03-31`);
  return date;
}

/** The input checked against the map: a stage and persona it has, a known scale, a real day. */
function checkMetricInput(doc: Y.Doc, input: MetricInput, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) throw new Error(`${what}: a metric must be an object`);
  if (typeof input.stageId !== 'string' || !topLevelMap(doc, 'stages').has(input.stageId)) {
    throw new Error(`${what}: unknown stage "${String(input.stageId)}"`);
  }
  const personaId = input.personaId ?? '';
  if (personaId !== '' && (typeof personaId !== 'string' || !topLevelMap(doc, 'personas').has(personaId))) {
    throw new Error(`${what}: unknown persona "${String(personaId)}"`);
  }
  const given = checkString(input.name, `${what}: name`).trim();
  if (!isMetricName(given)) throw new Error(`${what}: a metric needs a name of 1 to ${MAX_METRIC_NAME} characters`);
  // The known metrics keep one spelling, so "csat" and "CSAT" are one series.
  const name = metricKind(given)?.name ?? given;
  const problem = metricValueProblem(name, input.value);
  if (problem) throw new Error(`${what}: ${problem}`);
  const target = checkTarget(input.target, what);
  if (target !== null) {
    const targetProblem = metricValueProblem(name, target);
    if (targetProblem) throw new Error(`${what}: target: ${targetProblem}`);
  }
  return {
    stageId: input.stageId,
    personaId,
    name,
    value: input.value,
    ...(target === null ? {} : { target }),
    date: checkDate(input.date, what),
  };
}

/** Records one measurement entered by hand; returns its id. */
export function addMetric(doc: Y.Doc, input: MetricInput, origin?: Origin): string {
  return addMetrics(doc, [input], { source: 'manual', origin: '' }, origin, 'addMetric')[0]!;
}

/**
 * Records many measurements in one transaction (one undo step, one update): all of them are
 * checked first, so a bad one leaves the map untouched.
 */
export function addMetrics(doc: Y.Doc, inputs: readonly MetricInput[], from: MetricImport, origin?: Origin, what = 'addMetrics'): string[] {
  const checked = inputs.map((input, index) => checkMetricInput(doc, input, inputs.length > 1 ? `${what}[${index}]` : what));
  const source = checkString(from.origin, `${what}: origin`);
  const author = (origin && originUserId(origin)) ?? '';
  const createdAt = Date.now();
  const ids = checked.map(() => newId());
  transactAs(doc, origin, () => {
    checked.forEach((fields, index) => {
      insertRecord(doc, 'metrics', ids[index]!, { ...fields, source: from.source, origin: source, author, createdAt });
    });
  });
  return ids;
}

/** Corrects a measurement: its value, target or date. */
export function updateMetric(doc: Y.Doc, id: string, patch: MetricPatch, origin?: Origin): void {
  const record = existingRecord(doc, 'metrics', id, 'updateMetric');
  const name = String(record.get('name'));
  const fields: Record<string, unknown> = {};
  if (patch.value !== undefined) {
    const problem = metricValueProblem(name, patch.value);
    if (problem) throw new Error(`updateMetric: ${problem}`);
    fields['value'] = patch.value;
  }
  if (patch.date !== undefined) fields['date'] = checkDate(patch.date, 'updateMetric');
  const target = patch.target === undefined ? undefined : checkTarget(patch.target, 'updateMetric');
  transactAs(doc, origin, () => {
    for (const [field, value] of Object.entries(fields)) record.set(field, value);
    if (target === null) record.delete('target');
    else if (target !== undefined) record.set('target', target);
  });
}

export function deleteMetric(doc: Y.Doc, id: string, origin?: Origin): void {
  existingRecord(doc, 'metrics', id, 'deleteMetric');
  transactAs(doc, origin, () => topLevelMap(doc, 'metrics').delete(id));
}

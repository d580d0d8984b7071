import { isValidId } from './ids.js';
import { isValidOrderKey } from './order.js';
import { ACTION_STATUSES, isActionStatus, isDueDate } from './records/action.js';
import { isEvidence } from './records/card.js';
import { isJudgement, sourcesProblem } from './records/card-insight.js';
import { isMeasureDate, isMetricName, isMetricSource, MAX_METRIC_NAME, METRIC_SOURCES } from './records/metric.js';
import {
  COMMENT_TARGET_KINDS,
  isCommentTargetKind,
  isCommentText,
  isMentionList,
  isReplyTo,
  MAX_COMMENT_LENGTH,
} from './records/comment.js';
import { isEmotionScore, parseEmotionKey } from './records/emotion.js';
import { isColour, isPlainObject } from './records/fields.js';
import { isLaneKind, LANE_KINDS } from './records/lane.js';
import {
  isCalibration,
  isCurrency,
  isReviewInterval,
  isScoreWeights,
  isValuePerCustomer,
  MAX_CALIBRATION_POINTS,
  MAX_CURRENCY_LENGTH,
  MAX_REVIEW_INTERVAL_DAYS,
  MAX_SCORE_WEIGHT,
  SCORE_FACTORS,
} from './records/meta.js';

/**
 * What may be written where in a map document: the shapes the write API produces, for anyone
 * who must judge a write it did not make (the server, for every update a client sends). Readers
 * stay lenient (they skip or repair what does not fit); this is the strict side, so that nothing
 * the readers would skip is stored in the first place.
 */

/** A value as it lands in the document: a plain value, a shared type, or a kind the model never writes. */
export type WrittenValue =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'map' }
  | { readonly kind: 'text' }
  | { readonly kind: 'other'; readonly what: string };

/** The record collections: a top-level Y.Map of id → record Y.Map. */
export const RECORD_COLLECTIONS = ['stages', 'lanes', 'personas', 'cards', 'actions', 'comments', 'metrics'] as const;
export type RecordCollectionKey = (typeof RECORD_COLLECTIONS)[number];

export function isRecordCollection(key: string): key is RecordCollectionKey {
  return (RECORD_COLLECTIONS as readonly string[]).includes(key);
}

/** Fields a new record must come with: without them the readers skip it. */
export const REQUIRED_FIELDS: Readonly<Record<RecordCollectionKey, readonly string[]>> = {
  stages: ['name', 'order'],
  lanes: ['title', 'kind', 'order'],
  personas: ['name'],
  cards: ['stageId', 'laneId', 'order'],
  actions: ['title', 'status', 'order'],
  comments: ['targetKind', 'targetId', 'replyTo', 'text'],
  metrics: ['stageId', 'name', 'value', 'date'],
};

/** Meta fields only the server writes (at creation and in migrations). */
export const SERVER_OWNED_META = ['schemaVersion', 'createdAt', 'template'] as const;

type Check = (written: WrittenValue) => string | null;

const value =
  (test: (v: unknown) => boolean, expected: string): Check =>
  (written) =>
    written.kind === 'value' && test(written.value) ? null : `must be ${expected}`;

const isString = (v: unknown) => typeof v === 'string';
const nonEmpty = value((v) => typeof v === 'string' && v.trim() !== '', 'a non-empty string');
const anyString = value(isString, 'a string');
const order = value(isValidOrderKey, 'an order key');
const recordId = value(isValidId, 'a record id');
const colour = value(isColour, 'a colour like #aabbcc');
const stringList = value((v) => Array.isArray(v) && v.every(isString), 'a list of strings');
const isMetricValue = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
const metrics: Check = (written) =>
  written.kind === 'map' || (written.kind === 'value' && isPlainObject(written.value) && Object.values(written.value).every(isMetricValue))
    ? null
    : 'must be a map of metric names to numbers or strings';
const time = value((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a time');
const text: Check = (written) => (written.kind === 'text' ? null : 'must be shared text');

const FIELDS: Readonly<Record<RecordCollectionKey, Readonly<Record<string, Check>>>> = {
  stages: { name: nonEmpty, order, metrics },
  lanes: { title: nonEmpty, kind: value(isLaneKind, `one of ${LANE_KINDS.join(', ')}`), order },
  personas: { name: nonEmpty, description: anyString, goals: anyString, frustrations: anyString, colour },
  cards: {
    stageId: recordId,
    laneId: recordId,
    order,
    text,
    colour,
    tags: stringList,
    personaIds: stringList,
    links: stringList,
    evidence: value(isEvidence, 'observed, assumed or proposed'),
    sources: (written) => (written.kind === 'value' ? sourcesProblem(written.value) : 'must be a list of sources'),
    impact: value(isJudgement, 'a whole number from 0 to 5'),
    effort: value(isJudgement, 'a whole number from 0 to 5'),
    channels: stringList,
    department: anyString,
    author: anyString,
    createdAt: value((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a time'),
  },
  actions: {
    title: nonEmpty,
    owner: anyString,
    department: anyString,
    status: value(isActionStatus, ACTION_STATUSES.join(', ')),
    due: value(isDueDate, 'a date like 2026-03-31, or empty'),
    kpiTarget: anyString,
    cardIds: value((v) => Array.isArray(v) && v.every(isValidId), 'a list of card ids'),
    order,
    author: anyString,
    createdAt: time,
  },
  metrics: {
    stageId: recordId,
    personaId: value((v) => v === '' || isValidId(v), 'a persona id, or empty for all customers'),
    name: value(isMetricName, `a name of at most ${MAX_METRIC_NAME} characters`),
    value: value((v) => typeof v === 'number' && Number.isFinite(v), 'a number'),
    target: value((v) => v === null || (typeof v === 'number' && Number.isFinite(v)), 'a number'),
    date: value(isMeasureDate, 'a day like 2026-03-31'),
    source: value(isMetricSource, METRIC_SOURCES.join(' or ')),
    origin: anyString,
    author: anyString,
    createdAt: value((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a time'),
  },
  comments: {
    targetKind: value(isCommentTargetKind, `one of ${COMMENT_TARGET_KINDS.join(', ')}`),
    targetId: recordId,
    replyTo: value(isReplyTo, "a comment id, or empty for a thread's first comment"),
    text: value(isCommentText, `text of 1 to ${MAX_COMMENT_LENGTH} characters`),
    mentions: value(isMentionList, 'a list of names'),
    author: anyString,
    createdAt: time,
    resolved: value((v) => typeof v === 'boolean', 'true or false'),
    editedAt: time,
  },
};

const META_FIELDS: Readonly<Record<string, Check>> = {
  title: nonEmpty,
  goal: anyString,
  scope: anyString,
  reviewIntervalDays: value(isReviewInterval, `a whole number of days from 1 to ${MAX_REVIEW_INTERVAL_DAYS}`),
  valuePerCustomer: value(isValuePerCustomer, 'a number of 0 or more'),
  currency: value(isCurrency, `at most ${MAX_CURRENCY_LENGTH} characters`),
  calibration: value(isCalibration, `at most ${MAX_CALIBRATION_POINTS} points of a CSAT from 1 to 5 and a revenue of 0 or more`),
  scoreWeights: value(isScoreWeights, `a whole weight from 0 to ${MAX_SCORE_WEIGHT} for each of ${SCORE_FACTORS.join(', ')}`),
};

/** Why `written` cannot be a record stored under `id`, or null. */
export function recordProblem(id: string, written: WrittenValue): string | null {
  if (!isValidId(id)) return `${JSON.stringify(id)} is not a record id`;
  return written.kind === 'map' ? null : 'a record must be a map';
}

/** Why `written` cannot be the field of a record, or null. */
export function recordFieldProblem(collection: RecordCollectionKey, field: string, written: WrittenValue): string | null {
  const check = FIELDS[collection][field];
  if (!check) return `${field} is not a field of ${collection}`;
  const problem = check(written);
  return problem && `${field} ${problem}`;
}

/** The fields records of a collection may have, in schema order. */
export function recordFieldNames(collection: RecordCollectionKey): readonly string[] {
  return Object.keys(FIELDS[collection]);
}

/** The meta fields people may write. */
export const EDITABLE_META_FIELDS: readonly string[] = Object.keys(META_FIELDS);

/** Whether records of a collection have this field (whatever its value). */
export function isRecordField(collection: RecordCollectionKey, field: string): boolean {
  return Object.hasOwn(FIELDS[collection], field);
}

/** Whether people may write this meta field (whatever its value). */
export function isEditableMetaField(field: string): boolean {
  return Object.hasOwn(META_FIELDS, field);
}

/** Why `written` cannot be one metric of a stage, or null. */
export function metricProblem(name: string, written: WrittenValue): string | null {
  if (name.trim() === '') return 'a metric needs a name';
  return written.kind === 'value' && isMetricValue(written.value) ? null : `metric ${name} must be a number or a string`;
}

/** Why `written` cannot be a meta field, or null. */
export function metaFieldProblem(field: string, written: WrittenValue): string | null {
  if ((SERVER_OWNED_META as readonly string[]).includes(field)) return `meta.${field} is set by the server`;
  const check = META_FIELDS[field];
  if (!check) return `${field} is not a field of the map`;
  const problem = check(written);
  return problem && `${field} ${problem}`;
}

/** Why `written` cannot be stored under `key` in `emotions`, or null. */
export function emotionProblem(key: string, written: WrittenValue): string | null {
  if (!parseEmotionKey(key)) return `${JSON.stringify(key)} is not an emotion key`;
  return written.kind === 'value' && isEmotionScore(written.value) ? null : 'an emotion score must be a whole number from -3 to 3';
}

/** Whether a key is an emotion key (a persona's agreed score at a stage, or one participant's). */
export function isEmotionKey(key: string): boolean {
  return parseEmotionKey(key) !== undefined;
}

/** Whether an emotion key is one participant's own rating rather than the agreed score. */
export function isParticipantRating(key: string): boolean {
  return parseEmotionKey(key)?.participantId !== undefined;
}

import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import type { Problem } from '../problems.js';
import { checkName, checkString, isPlainObject } from './fields.js';

/**
 * Map-level fields in the `meta` Y.Map. Each is a plain value (last writer wins): a title
 * is short and retyped whole, so a Y.Text would buy nothing but complexity.
 */
export interface MapMeta {
  readonly title: string;
  /** The question the map answers. */
  readonly goal: string;
  /** Which persona and need it covers. */
  readonly scope: string;
  readonly schemaVersion: number;
  readonly template: string;
  /** ms since the epoch; 0 when unknown. */
  readonly createdAt: number;
  /** How often the map's data should be looked at again, in days. */
  readonly reviewIntervalDays: number;
  /** What one customer is worth, in `currency`, for the revenue at stake per stage; 0 when not set. */
  readonly valuePerCustomer: number;
  /** A currency code or sign shown beside money ('EUR', '$'); empty for none. */
  readonly currency: string;
  /** Revenue per customer observed at CSAT levels, for what a CSAT point is worth. */
  readonly calibration: readonly CalibrationPoint[];
  /** How much each factor counts in a card's priority score. */
  readonly scoreWeights: ScoreWeights;
}

/** Revenue (or retention value) per customer among customers who gave this CSAT. */
export interface CalibrationPoint {
  readonly csat: number;
  readonly revenue: number;
}

export const SCORE_FACTORS = ['impact', 'ease', 'emotion', 'reach', 'confidence', 'votes', 'business'] as const;
export type ScoreFactor = (typeof SCORE_FACTORS)[number];
export type ScoreWeights = Readonly<Record<ScoreFactor, number>>;

/** A weight is a whole number from 0 (ignored) to 5. */
export const MAX_SCORE_WEIGHT = 5;

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = Object.freeze({
  impact: 3,
  ease: 2,
  emotion: 2,
  reach: 1,
  confidence: 1,
  votes: 2,
  business: 2,
});

export const DEFAULT_REVIEW_INTERVAL_DAYS = 90;
export const MAX_REVIEW_INTERVAL_DAYS = 730;
export const MAX_CALIBRATION_POINTS = 20;
export const MAX_CURRENCY_LENGTH = 8;

const isWholeNumber = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

const isAmount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

export const isReviewInterval = (value: unknown): value is number => isWholeNumber(value, 1, MAX_REVIEW_INTERVAL_DAYS);

export const isValuePerCustomer = isAmount;

export const isCurrency = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_CURRENCY_LENGTH && !/[\u0000-\u001f]/.test(value);

/** Whole weights 0–5 for every factor, and no other keys. */
export function isScoreWeights(value: unknown): value is ScoreWeights {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === SCORE_FACTORS.length && SCORE_FACTORS.every((factor) => isWholeNumber(value[factor], 0, MAX_SCORE_WEIGHT));
}

/** Up to 20 points, each a CSAT from 1 to 5 and a revenue of 0 or more, CSAT levels distinct. */
export function isCalibration(value: unknown): value is CalibrationPoint[] {
  if (!Array.isArray(value) || value.length > MAX_CALIBRATION_POINTS) return false;
  const levels = new Set<number>();
  for (const point of value as unknown[]) {
    if (!isPlainObject(point) || Object.keys(point).length !== 2) return false;
    const { csat, revenue } = point;
    if (typeof csat !== 'number' || !Number.isFinite(csat) || csat < 1 || csat > 5 || !isAmount(revenue)) return false;
    if (levels.has(csat)) return false;
    levels.add(csat);
  }
  return true;
}

/**
 * A document without `schemaVersion` was written before versions existed, i.e. by v1; the
 * migrations rely on this default too.
 */
export const LEGACY_SCHEMA_VERSION = 1;

export const META_DEFAULTS: MapMeta = Object.freeze({
  title: 'Untitled map',
  goal: '',
  scope: '',
  schemaVersion: LEGACY_SCHEMA_VERSION,
  template: 'blank',
  createdAt: 0,
  reviewIntervalDays: DEFAULT_REVIEW_INTERVAL_DAYS,
  valuePerCustomer: 0,
  currency: '',
  calibration: [],
  scoreWeights: DEFAULT_SCORE_WEIGHTS,
});

type FieldCheck = (value: unknown) => boolean;

const isString: FieldCheck = (value) => typeof value === 'string';
const META_FIELD_CHECKS: { readonly [K in keyof MapMeta]: FieldCheck } = {
  title: (value) => typeof value === 'string' && value.trim() !== '',
  goal: isString,
  scope: isString,
  schemaVersion: (value) => Number.isInteger(value) && (value as number) >= 1,
  template: isString,
  createdAt: (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
  reviewIntervalDays: isReviewInterval,
  valuePerCustomer: isValuePerCustomer,
  currency: isCurrency,
  calibration: isCalibration,
  scoreWeights: isScoreWeights,
};

/** Meta cannot be skipped as a whole, so each bad field falls back to its default. */
export function collectMeta(doc: Y.Doc, problems: Problem[]): MapMeta {
  const meta = topLevelMap(doc, 'meta');
  const result: Record<string, unknown> = { ...META_DEFAULTS };
  for (const key of Object.keys(META_FIELD_CHECKS) as (keyof MapMeta)[]) {
    const value = meta.get(key);
    if (value === undefined) continue;
    if (META_FIELD_CHECKS[key](value)) {
      result[key] = value;
    } else {
      problems.push({
        collection: 'meta',
        id: key,
        reason: `invalid ${key}: ${JSON.stringify(value) ?? typeof value}`,
        action: 'repaired',
      });
    }
  }
  return result as unknown as MapMeta;
}

export function readMeta(doc: Y.Doc): MapMeta {
  return collectMeta(doc, []);
}

/** The fields people edit; the rest are set when the map is created or migrated. */
export interface MetaPatch {
  readonly title?: string;
  readonly goal?: string;
  readonly scope?: string;
  readonly reviewIntervalDays?: number;
  readonly valuePerCustomer?: number;
  readonly currency?: string;
  readonly calibration?: readonly CalibrationPoint[];
  readonly scoreWeights?: ScoreWeights;
}

export function checkMetaPatch(patch: MetaPatch): MetaPatch {
  const checked: { -readonly [K in keyof MetaPatch]: MetaPatch[K] } = {};
  if (patch.title !== undefined) checked.title = checkName(patch.title, 'setMeta: title');
  if (patch.goal !== undefined) checked.goal = checkString(patch.goal, 'setMeta: goal');
  if (patch.scope !== undefined) checked.scope = checkString(patch.scope, 'setMeta: scope');
  if (patch.reviewIntervalDays !== undefined) {
    if (!isReviewInterval(patch.reviewIntervalDays))
      throw new Error(`setMeta: reviewIntervalDays must be a whole number of days from 1 to ${MAX_REVIEW_INTERVAL_DAYS}`);
    checked.reviewIntervalDays = patch.reviewIntervalDays;
  }
  if (patch.valuePerCustomer !== undefined) {
    if (!isValuePerCustomer(patch.valuePerCustomer)) throw new Error('setMeta: valuePerCustomer must be a number of 0 or more');
    checked.valuePerCustomer = patch.valuePerCustomer;
  }
  if (patch.currency !== undefined) {
    const currency = checkString(patch.currency, 'setMeta: currency').trim();
    if (!isCurrency(currency)) throw new Error(`setMeta: currency must be at most ${MAX_CURRENCY_LENGTH} characters`);
    checked.currency = currency;
  }
  if (patch.calibration !== undefined) {
    const points = Array.isArray(patch.calibration)
      ? patch.calibration.map((point) => ({ csat: point?.csat, revenue: point?.revenue }))
      : null;
    if (!isCalibration(points))
      throw new Error(
        `setMeta: calibration must be at most ${MAX_CALIBRATION_POINTS} points, each a CSAT from 1 to 5 (no level twice) and a revenue of 0 or more`,
      );
    checked.calibration = [...points].sort((a, b) => a.csat - b.csat);
  }
  if (patch.scoreWeights !== undefined) {
    if (!isScoreWeights(patch.scoreWeights))
      throw new Error(`setMeta: scoreWeights must give each of ${SCORE_FACTORS.join(', ')} a whole number from 0 to ${MAX_SCORE_WEIGHT}`);
    checked.scoreWeights = { ...patch.scoreWeights };
  }
  return checked;
}

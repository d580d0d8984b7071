import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import { compareByOrder } from '../order.js';
import { invalid, parseOrReport, type Problem } from '../problems.js';
import { asRecordMap, requiredName, requiredOrder } from './fields.js';

/**
 * A lane is a row of the map. Stored as a Y.Map { title, kind, order } in `lanes`. The kind
 * tells the UI how to draw the row (the emotions lane is a curve, not cards) and lets
 * exports group rows; the title is what people call it on this map.
 */
export const LANE_KINDS = [
  'actions',
  'goals',
  'touchpoints',
  'channels',
  'thoughts',
  'emotions',
  'painPoints',
  'opportunities',
  'kpis',
  'backstage',
  'notes',
] as const;

export type LaneKind = (typeof LANE_KINDS)[number];

export const LANE_KIND_LABELS: Readonly<Record<LaneKind, string>> = Object.freeze({
  actions: 'Actions',
  goals: 'Goals',
  touchpoints: 'Touchpoints',
  channels: 'Channels',
  thoughts: 'Thoughts',
  emotions: 'Emotions',
  painPoints: 'Pain points',
  opportunities: 'Opportunities',
  kpis: 'KPIs',
  backstage: 'Backstage / owners',
  notes: 'Notes',
});

export function isLaneKind(value: unknown): value is LaneKind {
  return typeof value === 'string' && (LANE_KINDS as readonly string[]).includes(value);
}

export interface Lane {
  readonly id: string;
  readonly title: string;
  readonly kind: LaneKind;
  readonly order: string;
}

export function parseLane(id: string, value: unknown): Lane {
  if (!isValidId(id)) invalid('id is not a valid record id');
  const record = asRecordMap(value);
  const title = requiredName(record, 'title');
  const kind = record.get('kind');
  if (!isLaneKind(kind)) invalid(`unknown lane kind: ${JSON.stringify(kind) ?? typeof kind}`);
  return { id, title, kind, order: requiredOrder(record) };
}

export function collectLanes(doc: Y.Doc, problems: Problem[]): Lane[] {
  const lanes: Lane[] = [];
  for (const [id, value] of topLevelMap(doc, 'lanes').entries()) {
    const lane = parseOrReport('lanes', id, problems, () => parseLane(id, value));
    if (lane !== undefined) lanes.push(lane);
  }
  return lanes.sort(compareByOrder);
}

/** Valid lanes sorted by (order, id). */
export function readLanes(doc: Y.Doc): Lane[] {
  return collectLanes(doc, []);
}

export function checkLaneKind(kind: unknown, what: string): LaneKind {
  if (!isLaneKind(kind)) {
    throw new Error(`${what}: unknown lane kind ${JSON.stringify(kind)} (known: ${LANE_KINDS.join(', ')})`);
  }
  return kind;
}

/** Lane kinds v1 used that v2 renamed. */
const V1_LANE_KINDS: Readonly<Record<string, LaneKind>> = {
  pain: 'painPoints',
  ideas: 'opportunities',
  kpi: 'kpis',
};

/** Whether a stored lane still has a kind name that only v1 used. */
export function isV1Lane(record: Y.Map<unknown>): boolean {
  const kind = record.get('kind');
  // Own keys only: a kind such as 'constructor' is not a v1 name.
  return typeof kind === 'string' && Object.hasOwn(V1_LANE_KINDS, kind);
}

/** v1 → v2 for one stored lane: renames the old kind names. Safe to run twice. */
export function upgradeLaneFromV1(record: Y.Map<unknown>): void {
  const kind = record.get('kind');
  const renamed = typeof kind === 'string' ? V1_LANE_KINDS[kind] : undefined;
  if (renamed !== undefined) record.set('kind', renamed);
}

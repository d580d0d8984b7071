import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import type { Problem } from '../problems.js';
import { checkName, checkString } from './fields.js';

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
}

export function checkMetaPatch(patch: MetaPatch): MetaPatch {
  const checked: { title?: string; goal?: string; scope?: string } = {};
  if (patch.title !== undefined) checked.title = checkName(patch.title, 'setMeta: title');
  if (patch.goal !== undefined) checked.goal = checkString(patch.goal, 'setMeta: goal');
  if (patch.scope !== undefined) checked.scope = checkString(patch.scope, 'setMeta: scope');
  return checked;
}

import * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { newId } from '../ids.js';
import type { Origin } from '../origin.js';
import { orderForPlacement, type Placement } from '../placement.js';
import { parseEmotionKey } from '../records/emotion.js';
import { checkName } from '../records/fields.js';
import { checkMetrics, readStages, type MetricValue } from '../records/stage.js';
import { deleteOnAxis, moveOnAxis, renameOnAxis, type Axis } from './axes.js';
import { existingRecord, insertRecord, transactAs } from './transaction.js';

const STAGES: Axis = { collection: 'stages', nameField: 'name', cardField: 'stageId', noun: 'stage', read: readStages };

export interface StageInput {
  readonly name: string;
  /** Stage id to insert after; null = first; omitted = last. */
  readonly after?: string | null;
  readonly metrics?: Readonly<Record<string, MetricValue>>;
}

export function addStage(doc: Y.Doc, input: StageInput, origin?: Origin): string {
  const name = checkName(input.name, 'addStage: name');
  const metrics = checkMetrics(input.metrics ?? {}, 'addStage');
  const order = orderForPlacement(readStages(doc), { after: input.after }, 'addStage');
  const id = newId();
  transactAs(doc, origin, () => {
    insertRecord(doc, 'stages', id, { name, order, metrics: new Y.Map(Object.entries(metrics)) });
  });
  return id;
}

export function renameStage(doc: Y.Doc, id: string, name: string, origin?: Origin): void {
  renameOnAxis(STAGES, doc, id, name, 'renameStage', origin);
}

/** Writes only the stage's `order`, so concurrent moves never duplicate it. */
export function moveStage(doc: Y.Doc, id: string, placement: Placement, origin?: Origin): void {
  moveOnAxis(STAGES, doc, id, placement, 'moveStage', origin);
}

/**
 * Sets metrics by name; a null value removes that metric. Each metric is its own key in a
 * nested Y.Map, so people editing different metrics at once all keep their values.
 */
export function setStageMetrics(doc: Y.Doc, id: string, patch: Readonly<Record<string, MetricValue | null>>, origin?: Origin): void {
  const record = existingRecord(doc, 'stages', id, 'setStageMetrics');
  const removals = Object.keys(patch).filter((name) => patch[name] === null);
  const updates = checkMetrics(Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== null)), 'setStageMetrics');
  transactAs(doc, origin, () => {
    let metrics = record.get('metrics');
    if (!(metrics instanceof Y.Map)) {
      // Imported or hand-written stages may hold a plain object: convert it once.
      const existing = readStages(doc).find((stage) => stage.id === id)?.metrics ?? {};
      metrics = new Y.Map<unknown>(Object.entries(existing));
      record.set('metrics', metrics);
    }
    const target = metrics as Y.Map<unknown>;
    for (const name of removals) target.delete(name);
    for (const [name, value] of Object.entries(updates)) target.set(name, value);
  });
}

/** Deletes the stage, every card in it and every emotion score for it, in one transaction. */
export function deleteStage(doc: Y.Doc, id: string, origin?: Origin): void {
  deleteOnAxis(STAGES, doc, id, 'deleteStage', origin, () => {
    const emotions = topLevelMap(doc, 'emotions');
    for (const key of [...emotions.keys()]) {
      if (parseEmotionKey(key)?.stageId === id) emotions.delete(key);
    }
  });
}

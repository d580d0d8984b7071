import type * as Y from 'yjs';
import { TOP_LEVEL_KEYS, topLevelMap } from './doc-keys.js';
import { newId } from './ids.js';
import { SCHEMA_VERSION } from './migrations.js';
import { orderKeysBetween } from './order.js';
import type { Origin } from './origin.js';
import { checkName, checkString } from './records/fields.js';
import { checkPersonaInput } from './records/persona.js';
import { isTemplateId, templateById, templateIds } from './templates/index.js';
import { insertRecord, transactAs } from './writes/transaction.js';

export interface CreateMapInput {
  readonly title: string;
  /** A TemplateId; checked at runtime because it usually comes from an HTTP request. */
  readonly template: string;
  /** Defaults to the template's suggested goal. */
  readonly goal?: string;
  readonly scope?: string;
}

/**
 * Writes a new map into an empty document: meta (with the current schemaVersion and
 * createdAt), the template's stages, lanes and sample personas, in one transaction.
 * Refuses a document that already holds anything, so a retried request cannot duplicate
 * the columns.
 */
export function createMapFromTemplate(doc: Y.Doc, input: CreateMapInput, origin?: Origin): void {
  const title = checkName(input.title, 'createMapFromTemplate: title');
  if (!isTemplateId(input.template)) {
    const known = templateIds.join(', ');
    throw new Error(`createMapFromTemplate: unknown template ${JSON.stringify(input.template)} (known: ${known})`);
  }
  const template = templateById(input.template);
  const goal = checkString(input.goal ?? template.suggestedGoal, 'createMapFromTemplate: goal');
  const scope = checkString(input.scope ?? '', 'createMapFromTemplate: scope');
  if (TOP_LEVEL_KEYS.some((key) => topLevelMap(doc, key).size > 0)) {
    throw new Error('createMapFromTemplate: the document already holds a map');
  }
  const personas = template.personas.map((persona) => checkPersonaInput(persona, `template ${template.id}`));
  const stageOrders = orderKeysBetween(null, null, template.stages.length);
  const laneOrders = orderKeysBetween(null, null, template.lanes.length);
  transactAs(doc, origin, () => {
    const meta = topLevelMap(doc, 'meta');
    meta.set('title', title);
    meta.set('goal', goal);
    meta.set('scope', scope);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('template', template.id);
    meta.set('createdAt', Date.now());
    template.stages.forEach((name, index) => {
      insertRecord(doc, 'stages', newId(), { name, order: stageOrders[index] });
    });
    template.lanes.forEach((lane, index) => {
      insertRecord(doc, 'lanes', newId(), { ...lane, order: laneOrders[index] });
    });
    for (const persona of personas) insertRecord(doc, 'personas', newId(), persona);
  });
}

import * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { newId } from '../ids.js';
import type { Origin } from '../origin.js';
import { parseEmotionKey } from '../records/emotion.js';
import { checkPersonaInput, checkPersonaPatch, type PersonaInput, type PersonaPatch } from '../records/persona.js';
import { existingRecord, insertRecord, transactAs } from './transaction.js';

export function addPersona(doc: Y.Doc, input: PersonaInput, origin?: Origin): string {
  const fields = checkPersonaInput(input, 'addPersona');
  const id = newId();
  transactAs(doc, origin, () => {
    insertRecord(doc, 'personas', id, fields);
  });
  return id;
}

export function updatePersona(doc: Y.Doc, id: string, patch: PersonaPatch, origin?: Origin): void {
  const record = existingRecord(doc, 'personas', id, 'updatePersona');
  const checked = checkPersonaPatch(patch, 'updatePersona');
  transactAs(doc, origin, () => {
    for (const [field, value] of Object.entries(checked)) {
      if (value !== undefined) record.set(field, value);
    }
  });
}

function storedIds(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Y.Array) return (value as Y.Array<unknown>).toArray();
  return [];
}

/**
 * Deletes the persona and, in the same transaction, its id from every card and its
 * emotion scores. A card tagged with it concurrently keeps a dangling id, which readers
 * drop.
 */
export function deletePersona(doc: Y.Doc, id: string, origin?: Origin): void {
  existingRecord(doc, 'personas', id, 'deletePersona');
  transactAs(doc, origin, () => {
    for (const card of topLevelMap(doc, 'cards').values()) {
      if (!(card instanceof Y.Map)) continue;
      const personaIds = storedIds(card.get('personaIds'));
      if (personaIds.includes(id)) {
        card.set(
          'personaIds',
          personaIds.filter((personaId) => personaId !== id),
        );
      }
    }
    const emotions = topLevelMap(doc, 'emotions');
    for (const key of [...emotions.keys()]) {
      if (parseEmotionKey(key)?.personaId === id) emotions.delete(key);
    }
    topLevelMap(doc, 'personas').delete(id);
  });
}

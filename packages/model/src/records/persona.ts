import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import { invalid, parseOrReport, type Problem } from '../problems.js';
import { asRecordMap, checkColour, checkName, checkString, isColour, optionalString, requiredName } from './fields.js';

/**
 * A persona the map can be filtered to. Stored as a Y.Map of plain strings in `personas`:
 * descriptions are short and edited by one person at a time, so last writer wins per field.
 */
export interface Persona {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly goals: string;
  readonly frustrations: string;
  readonly colour: string;
}

export const DEFAULT_PERSONA_COLOUR = '#6366f1';

export function parsePersona(id: string, value: unknown, problems: Problem[]): Persona {
  if (!isValidId(id)) invalid('id is not a valid record id');
  const record = asRecordMap(value);
  const storedColour = optionalString(record, 'colour', DEFAULT_PERSONA_COLOUR);
  if (!isColour(storedColour)) {
    problems.push({ collection: 'personas', id, reason: 'colour is not #rrggbb', action: 'repaired' });
  }
  return {
    id,
    name: requiredName(record, 'name'),
    description: optionalString(record, 'description', ''),
    goals: optionalString(record, 'goals', ''),
    frustrations: optionalString(record, 'frustrations', ''),
    colour: isColour(storedColour) ? storedColour : DEFAULT_PERSONA_COLOUR,
  };
}

/** Personas sorted by name, then id, so every client lists them the same way. */
export function collectPersonas(doc: Y.Doc, problems: Problem[]): Persona[] {
  const personas: Persona[] = [];
  for (const [id, value] of topLevelMap(doc, 'personas').entries()) {
    const persona = parseOrReport('personas', id, problems, () => parsePersona(id, value, problems));
    if (persona !== undefined) personas.push(persona);
  }
  return personas.sort((x, y) => (x.name !== y.name ? (x.name < y.name ? -1 : 1) : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

export function readPersonas(doc: Y.Doc): Persona[] {
  return collectPersonas(doc, []);
}

export interface PersonaInput {
  readonly name: string;
  readonly description?: string;
  readonly goals?: string;
  readonly frustrations?: string;
  readonly colour?: string;
}

export type PersonaPatch = Partial<PersonaInput>;

export type PersonaFields = Omit<Persona, 'id'>;

export function checkPersonaInput(input: PersonaInput, what: string): PersonaFields {
  return {
    name: checkName(input.name, `${what}: name`),
    description: checkString(input.description ?? '', `${what}: description`),
    goals: checkString(input.goals ?? '', `${what}: goals`),
    frustrations: checkString(input.frustrations ?? '', `${what}: frustrations`),
    colour: checkColour(input.colour ?? DEFAULT_PERSONA_COLOUR, `${what}: colour`),
  };
}

export function checkPersonaPatch(patch: PersonaPatch, what: string): Partial<PersonaFields> {
  const checked: { -readonly [K in keyof PersonaFields]?: PersonaFields[K] } = {};
  if (patch.name !== undefined) checked.name = checkName(patch.name, `${what}: name`);
  if (patch.description !== undefined) {
    checked.description = checkString(patch.description, `${what}: description`);
  }
  if (patch.goals !== undefined) checked.goals = checkString(patch.goals, `${what}: goals`);
  if (patch.frustrations !== undefined) {
    checked.frustrations = checkString(patch.frustrations, `${what}: frustrations`);
  }
  if (patch.colour !== undefined) checked.colour = checkColour(patch.colour, `${what}: colour`);
  return checked;
}

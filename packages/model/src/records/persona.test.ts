import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Problem } from '../problems.js';
import { checkPersonaInput, checkPersonaPatch, collectPersonas, DEFAULT_PERSONA_COLOUR } from './persona.js';

function putPersona(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
  const record = new Y.Map<unknown>();
  doc.getMap('personas').set(id, record);
  for (const [key, value] of Object.entries(fields)) record.set(key, value);
}

describe('collectPersonas', () => {
  it('sorts by name, fills defaults, repairs colours, skips nameless ones', () => {
    const doc = new Y.Doc();
    putPersona(doc, 'p2', { name: 'Sam', colour: 'red' });
    putPersona(doc, 'p1', { name: 'Alex', goals: 'Ship it', colour: '#112233' });
    putPersona(doc, 'p3', { description: 'no name' });
    putPersona(doc, 'p4', { name: 'Kim', frustrations: 3 });
    const problems: Problem[] = [];
    expect(collectPersonas(doc, problems)).toEqual([
      { id: 'p1', name: 'Alex', description: '', goals: 'Ship it', frustrations: '', colour: '#112233' },
      { id: 'p2', name: 'Sam', description: '', goals: '', frustrations: '', colour: DEFAULT_PERSONA_COLOUR },
    ]);
    expect(problems).toEqual([
      { collection: 'personas', id: 'p2', reason: 'colour is not #rrggbb', action: 'repaired' },
      { collection: 'personas', id: 'p3', reason: 'missing name', action: 'skipped' },
      { collection: 'personas', id: 'p4', reason: 'frustrations is not a string', action: 'skipped' },
    ]);
  });
});

describe('persona input checks', () => {
  it('fill defaults and reject bad fields with the caller name', () => {
    expect(checkPersonaInput({ name: ' Alex ' }, 'addPersona')).toEqual({
      name: 'Alex',
      description: '',
      goals: '',
      frustrations: '',
      colour: DEFAULT_PERSONA_COLOUR,
    });
    expect(() => checkPersonaInput({ name: '' }, 'addPersona')).toThrow('addPersona: name must not be empty');
    expect(() => checkPersonaPatch({ colour: 'blue' }, 'updatePersona')).toThrow('updatePersona: colour must be a colour like #aabbcc');
    expect(checkPersonaPatch({ goals: 'x' }, 'updatePersona')).toEqual({ goals: 'x' });
  });
});

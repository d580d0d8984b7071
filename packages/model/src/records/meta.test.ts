import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Problem } from '../problems.js';
import { checkMetaPatch, collectMeta, DEFAULT_SCORE_WEIGHTS, META_DEFAULTS, readMeta } from './meta.js';

describe('readMeta', () => {
  it('gives defaults for an empty document (v1 when no schemaVersion)', () => {
    expect(readMeta(new Y.Doc())).toEqual({
      title: 'Untitled map',
      goal: '',
      scope: '',
      schemaVersion: 1,
      template: 'blank',
      createdAt: 0,
      reviewIntervalDays: 90,
      valuePerCustomer: 0,
      currency: '',
      calibration: [],
      scoreWeights: DEFAULT_SCORE_WEIGHTS,
    });
    expect(META_DEFAULTS.schemaVersion).toBe(1);
  });

  it('returns stored values', () => {
    const doc = new Y.Doc();
    const meta = doc.getMap('meta');
    meta.set('title', 'Checkout');
    meta.set('goal', 'Why carts are abandoned');
    meta.set('scope', 'First-time buyers');
    meta.set('schemaVersion', 2);
    meta.set('template', 'buyer-journey');
    meta.set('createdAt', 1_700_000_000_000);
    expect(readMeta(doc)).toEqual({
      title: 'Checkout',
      goal: 'Why carts are abandoned',
      scope: 'First-time buyers',
      schemaVersion: 2,
      template: 'buyer-journey',
      createdAt: 1_700_000_000_000,
      reviewIntervalDays: 90,
      valuePerCustomer: 0,
      currency: '',
      calibration: [],
      scoreWeights: DEFAULT_SCORE_WEIGHTS,
    });
  });

  it('falls back per field and reports each bad one as repaired', () => {
    const doc = new Y.Doc();
    const meta = doc.getMap('meta');
    meta.set('title', '   ');
    meta.set('goal', 42);
    meta.set('schemaVersion', 1.5);
    meta.set('createdAt', -1);
    meta.set('scope', 'kept');
    const problems: Problem[] = [];
    const result = collectMeta(doc, problems);
    expect(result.title).toBe('Untitled map');
    expect(result.goal).toBe('');
    expect(result.schemaVersion).toBe(1);
    expect(result.createdAt).toBe(0);
    expect(result.scope).toBe('kept');
    expect(problems.map((problem) => problem.id).sort()).toEqual(['createdAt', 'goal', 'schemaVersion', 'title']);
    expect(problems.every((problem) => problem.action === 'repaired')).toBe(true);
  });
});

describe('checkMetaPatch', () => {
  it('trims the title and rejects an empty one', () => {
    expect(checkMetaPatch({ title: '  Map  ' })).toEqual({ title: 'Map' });
    expect(() => checkMetaPatch({ title: ' ' })).toThrow('setMeta: title must not be empty');
  });
});

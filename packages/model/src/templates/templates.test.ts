import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMapFromTemplate } from '../create-map.js';
import { isLaneKind } from '../records/lane.js';
import { readMap } from '../read-map.js';
import { isTemplateId, templateById, TEMPLATES, templateIds, type TemplateId } from './index.js';

describe('TEMPLATES', () => {
  it('lists each template under its own id, blank last', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...templateIds].sort());
    for (const id of templateIds) expect(TEMPLATES[id]?.id).toBe(id);
    expect(templateById('onboarding')).toBe(TEMPLATES['onboarding']);
    expect(templateIds).toEqual(
      expect.arrayContaining(['buyer-journey', 'lead-nurturing', 'onboarding', 'retention-churn', 'service-support']),
    );
    expect(templateIds[templateIds.length - 1]).toBe('blank');
    expect(isTemplateId('onboarding')).toBe(true);
    expect(isTemplateId('toString')).toBe(false);
  });

  it('gives every real template a description, goal, unique stages and a CX lane set', () => {
    for (const id of templateIds.filter(isTemplateId).filter((templateId) => templateId !== 'blank')) {
      const template = templateById(id);
      expect(template.description.length).toBeGreaterThan(20);
      expect(template.suggestedGoal).toMatch(/\?$/);
      expect(template.stages.length).toBeGreaterThanOrEqual(4);
      expect(new Set(template.stages).size).toBe(template.stages.length);
      expect(new Set(template.lanes.map((lane) => lane.title)).size).toBe(template.lanes.length);
      const kinds = template.lanes.map((lane) => lane.kind);
      expect(kinds.every(isLaneKind)).toBe(true);
      for (const essential of ['actions', 'emotions', 'painPoints', 'opportunities', 'backstage', 'kpis'] as const) {
        expect(kinds, `${id} lacks a ${essential} lane`).toContain(essential);
      }
      expect(template.personas.length).toBeGreaterThan(0);
    }
  });

  it('has the classic buyer journey stages in order', () => {
    expect(templateById('buyer-journey').stages).toEqual([
      'Awareness',
      'Consideration',
      'Decision',
      'Purchase',
      'Onboarding',
      'Use & retention',
      'Advocacy',
    ]);
  });

  it('creates a clean map from every template', () => {
    for (const id of templateIds as readonly TemplateId[]) {
      const doc = new Y.Doc();
      createMapFromTemplate(doc, { title: `From ${id}`, template: id });
      const map = readMap(doc);
      const template = templateById(id);
      expect(map.problems).toEqual([]);
      expect(map.stages.map((stage) => stage.name)).toEqual(template.stages);
      expect(map.lanes.map((lane) => [lane.title, lane.kind])).toEqual(template.lanes.map((lane) => [lane.title, lane.kind]));
      expect(map.personas.map((persona) => persona.name)).toEqual(template.personas.map((persona) => persona.name));
    }
  });
});

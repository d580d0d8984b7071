import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMapFromTemplate } from './create-map.js';
import { checkMapExport, exportMap, MapImportError, writeMapState, type MapExport } from './map-export.js';
import { readMap } from './read-map.js';
import { templateIds } from './templates/index.js';
import { addCard, updateCard } from './writes/cards.js';
import { setEmotion } from './writes/emotions.js';
import { setStageMetrics } from './writes/stages.js';

/** A map from `template` with a card in every cell of the first stage, metrics and scores. */
function busyMap(template = 'buyer-journey'): Y.Doc {
  const doc = new Y.Doc();
  createMapFromTemplate(doc, { title: `Busy ${template}`, template, goal: 'Why', scope: 'EU' });
  const map = readMap(doc);
  const stage = map.stages[0];
  if (stage) {
    for (const lane of map.lanes) {
      const id = addCard(doc, { stageId: stage.id, laneId: lane.id, text: `In ${lane.title}: “quoted”, ü, 🙂` });
      updateCard(doc, id, {
        tags: ['web', 'eu'],
        personaIds: map.personas.slice(0, 1).map((p) => p.id),
        evidence: 'observed',
        colour: '#bfdbfe',
      });
    }
    setStageMetrics(doc, stage.id, { CSAT: 4.2, owner: 'Support' });
    for (const persona of map.personas) setEmotion(doc, { personaId: persona.id, stageId: stage.id, score: -2 });
  }
  return doc;
}

const importInto = (data: MapExport) => {
  const doc = new Y.Doc();
  const checked = checkMapExport(JSON.parse(JSON.stringify(data)));
  writeMapState(doc, checked, null);
  const meta = doc.getMap('meta');
  for (const field of ['schemaVersion', 'createdAt', 'template'] as const) meta.set(field, checked.meta[field]);
  return doc;
};

describe('map export', () => {
  it('exports then imports to an equal map, for every template', () => {
    for (const template of templateIds) {
      const original = exportMap(busyMap(template));
      const copy = importInto(original);
      expect(exportMap(copy), template).toEqual(original);
      expect(readMap(copy).problems).toEqual([]);
    }
  });

  it('holds every card field, text as a string and metrics as an object', () => {
    const data = exportMap(busyMap());
    const card = Object.values(data.cards)[0]!;
    expect(Object.keys(card).sort()).toEqual([
      'author',
      'colour',
      'createdAt',
      'evidence',
      'laneId',
      'links',
      'order',
      'personaIds',
      'stageId',
      'tags',
      'text',
    ]);
    expect(card['text']).toMatch(/^In .*: “quoted”, ü, 🙂$/);
    expect(Object.values(data.stages).some((stage) => JSON.stringify(stage['metrics']) === '{"CSAT":4.2,"owner":"Support"}')).toBe(true);
    expect(Object.values(data.emotions)).toContain(-2);
  });

  it('names where a bad file is wrong and what was expected there', () => {
    /* eslint-disable @typescript-eslint/no-explicit-any -- bad files are made by hand from a good one, any field at any depth */
    const good = JSON.parse(JSON.stringify(exportMap(busyMap()))) as Record<string, any>;
    const cardId = Object.keys(good['cards'])[0]!;
    const stageId = Object.keys(good['stages'])[0]!;
    const bad = (change: (data: Record<string, any>) => void) => {
      const data = structuredClone(good);
      change(data);
      try {
        checkMapExport(data);
      } catch (error) {
        expect(error).toBeInstanceOf(MapImportError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(bad(() => {})).toBe('accepted');
    expect(bad((d) => (d['format'] = 'miro-board'))).toMatch(/^format: expected "waymark-map"/);
    expect(bad((d) => (d['cards'][cardId]['order'] = 7))).toBe(`cards.${cardId}.order: order must be an order key`);
    expect(bad((d) => (d['cards'][cardId]['stageId'] = 'nowhere'))).toBe(
      `cards.${cardId}.stageId: refers to "nowhere", which is not among the stages of this file`,
    );
    expect(bad((d) => delete d['stages'][stageId]['name'])).toBe(`stages.${stageId}.name: missing; every record of this kind has it`);
    expect(bad((d) => (d['stages'][stageId]['secret'] = 1))).toBe(`stages.${stageId}.secret: secret is not a field of stages`);
    expect(bad((d) => (d['meta']['schemaVersion'] = 99))).toMatch(/^meta.schemaVersion: this file was exported by a newer Waymark/);
    expect(bad((d) => (d['emotions']['x:y'] = 2))).toMatch(/^emotions.x:y: refers to "x"/);
    expect(bad((d) => (d['cards']['__proto__'] = {}))).toMatch(/^cards/);
    expect(bad((d) => delete d['meta']['title'])).toBe('meta.title: missing; every map has a title');
  });

  it('writes a map back as one change, touching only what differs', () => {
    const doc = busyMap();
    const before = exportMap(doc);
    const cardId = Object.keys(before.cards)[0]!;
    // Changes after the version: a card edited, one added, a score moved, the title renamed.
    const map = readMap(doc);
    updateCard(doc, cardId, { tags: ['changed'] });
    const added = addCard(doc, { stageId: map.stages[1]!.id, laneId: map.lanes[0]!.id, text: 'added later' });
    doc.getMap('meta').set('title', 'Renamed');
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    writeMapState(doc, before, 'restore');
    expect(updates).toHaveLength(1);
    expect(exportMap(doc)).toEqual(before);
    expect(readMap(doc).cards.some((card) => card.id === added)).toBe(false);
    // Writing the same state again changes nothing.
    writeMapState(doc, before, 'restore');
    expect(updates).toHaveLength(1);
  });
});

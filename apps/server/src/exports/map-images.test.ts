import { addCard, addLane, addStage, createMapFromTemplate, readMap } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isCovered } from './export-font.js';
import { renderMapImage } from './map-images.js';
import { mapScene } from './map-scene.js';
import { PNG_MAX_PIXELS, PNG_MAX_WIDTH, PNG_ZOOM, pngZoom } from './scene-png.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('renderMapImage', () => {
  it('draws a blank map, with no stages or lanes, as both PNG and PDF', async () => {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Empty', template: 'blank' }, { kind: 'server' });
    const map = readMap(doc);
    const png = await renderMapImage('png', map);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(png.readUInt32BE(16)).toBe(mapScene(map).width * PNG_ZOOM);
    expect((await renderMapImage('pdf', map)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('draws text the font does not cover (CJK, emoji beyond its few) without failing', async () => {
    const doc = new Y.Doc();
    const stageId = addStage(doc, { name: '阶段 一' });
    const laneId = addLane(doc, { title: 'ノート', kind: 'notes' });
    addCard(doc, { stageId, laneId, text: '你好世界 🦄🧑‍🤝‍🧑 مرحبا שלום' });
    const map = readMap(doc);
    expect((await renderMapImage('png', map)).length).toBeGreaterThan(1000);
    expect((await renderMapImage('pdf', map)).length).toBeGreaterThan(1000);
  });
});

describe('the export font', () => {
  it('covers accented Latin, Greek, Cyrillic, Hebrew, Arabic and typographic punctuation, not CJK', () => {
    for (const char of 'üéßøłœ—–…„“”‘’€±→✓ΩжשمØ') expect(isCovered(char), char).toBe(true);
    for (const char of ['你', 'あ', '한', 'क', 'ก']) expect(isCovered(char), char).toBe(false);
  });
});

describe('pngZoom', () => {
  it('draws at twice the size until the image would pass 8000 px wide or 24 megapixels', () => {
    expect(pngZoom({ width: 2000, height: 1500 })).toBe(PNG_ZOOM);
    expect(pngZoom({ width: 6000, height: 1000 }) * 6000).toBeCloseTo(PNG_MAX_WIDTH);
    const tall = { width: 3000, height: 9000 };
    expect(pngZoom(tall) ** 2 * tall.width * tall.height).toBeCloseTo(PNG_MAX_PIXELS);
  });
});

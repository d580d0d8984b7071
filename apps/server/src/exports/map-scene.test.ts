import { addCard, addLane, addPersona, addStage, createMapFromTemplate, readMap, setEmotion, type MapSnapshot } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LAYOUT, mapScene } from './map-scene.js';
import { LANE_KIND_COLOURS } from './palette.js';
import type { LineShape, RectShape, Shape, TextShape } from './scene.js';

const texts = (shapes: readonly Shape[]) => shapes.filter((shape): shape is TextShape => shape.kind === 'text');
const rects = (shapes: readonly Shape[]) => shapes.filter((shape): shape is RectShape => shape.kind === 'rect');

/** Three stages, a card lane and the emotion lane, two personas; `fill` adds cards. */
function smallMap(fill: (doc: Y.Doc, ids: { stages: string[]; lane: string; personas: string[] }) => void = () => {}): MapSnapshot {
  const doc = new Y.Doc();
  const stages = ['One', 'Two', 'Three'].map((name) => addStage(doc, { name }));
  const lane = addLane(doc, { title: 'Pains', kind: 'painPoints' });
  addLane(doc, { title: 'Mood', kind: 'emotions' });
  const personas = [addPersona(doc, { name: 'Ann', colour: '#0ea5e9' }), addPersona(doc, { name: 'Bob', colour: '#f97316' })];
  fill(doc, { stages, lane, personas });
  return readMap(doc);
}

describe('mapScene', () => {
  it('is as wide as its stages and as tall as its lanes, with nothing outside the page', () => {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Buyer', template: 'buyer-journey' }, { kind: 'server' });
    const map = readMap(doc);
    const scene = mapScene(map);
    expect(scene.width).toBe(2 * LAYOUT.margin + LAYOUT.laneHeaderWidth + map.stages.length * LAYOUT.stageWidth);
    const cardLanes = map.lanes.filter((lane) => lane.kind !== 'emotions').length;
    const grid = LAYOUT.stageHeaderMinHeight + cardLanes * LAYOUT.minRowHeight + (map.lanes.length - cardLanes) * LAYOUT.emotionRowHeight;
    const gridFrame = rects(scene.shapes).at(-1)!;
    expect(gridFrame.height).toBe(grid);
    expect(scene.height).toBe(gridFrame.y + grid + LAYOUT.margin);
    for (const shape of rects(scene.shapes)) {
      expect(shape.x + shape.width).toBeLessThanOrEqual(scene.width);
      expect(shape.y + shape.height).toBeLessThanOrEqual(scene.height);
    }
  });

  it('numbers the stages left to right and heads each lane with its title and kind colour', () => {
    const scene = mapScene(smallMap());
    const names = texts(scene.shapes).filter((shape) => ['One', 'Two', 'Three'].includes(shape.text));
    expect(names.map((shape) => shape.text)).toEqual(['One', 'Two', 'Three']);
    expect(names.map((shape) => shape.x)).toEqual([...names.map((shape) => shape.x)].sort((a, b) => a - b));
    const numbers = texts(scene.shapes).filter((shape) => /^[123]$/.test(shape.text));
    expect(numbers.map((shape) => shape.text)).toEqual(['1', '2', '3']);
    expect(texts(scene.shapes).map((shape) => shape.text)).toEqual(
      expect.arrayContaining(['Pains', 'Pain points', 'Mood', 'Emotions', 'Ann', 'Bob']),
    );
    const bars = rects(scene.shapes).filter((shape) => shape.width === 4);
    expect(bars.map((shape) => shape.fill)).toEqual([LANE_KIND_COLOURS.painPoints, LANE_KIND_COLOURS.emotions]);
  });

  it('grows a row to its fullest cell and stacks cards inside their cell', () => {
    const long = 'A long note that wraps over many lines of the card. '.repeat(4);
    const map = smallMap((doc, { stages, lane }) => {
      addCard(doc, { stageId: stages[1]!, laneId: lane, text: long, colour: '#bbf7d0' });
      addCard(doc, { stageId: stages[1]!, laneId: lane, text: 'Second', colour: '#fbcfe8' });
    });
    const scene = mapScene(map);
    const laneBar = rects(scene.shapes).find((shape) => shape.fill === LANE_KIND_COLOURS.painPoints)!;
    expect(laneBar.height).toBeGreaterThan(LAYOUT.minRowHeight);
    const [first, second] = rects(scene.shapes).filter((shape) => shape.fill === '#bbf7d0' || shape.fill === '#fbcfe8');
    const column = LAYOUT.margin + LAYOUT.laneHeaderWidth + LAYOUT.stageWidth;
    for (const card of [first!, second!]) {
      expect(card.x).toBeGreaterThanOrEqual(column);
      expect(card.x + card.width).toBeLessThanOrEqual(column + LAYOUT.stageWidth);
      expect(card.y).toBeGreaterThanOrEqual(laneBar.y);
      expect(card.y + card.height).toBeLessThanOrEqual(laneBar.y + laneBar.height);
    }
    expect(second!.y).toBeGreaterThanOrEqual(first!.y + first!.height + LAYOUT.cardGap);
    const cardLines = texts(scene.shapes).filter(
      (shape) => shape.y > first!.y && shape.y < first!.y + first!.height && shape.size === LAYOUT.cardTextSize,
    );
    expect(cardLines.length).toBeGreaterThan(3);
    expect(cardLines.map((shape) => shape.text).join(' ')).toBe(long.trim());
  });

  it('cuts a card longer than cardMaxLines with an ellipsis', () => {
    const map = smallMap((doc, { stages, lane }) => addCard(doc, { stageId: stages[0]!, laneId: lane, text: 'word '.repeat(5000) }));
    const lines = texts(mapScene(map).shapes).filter((shape) => shape.size === LAYOUT.cardTextSize && shape.text.startsWith('word'));
    expect(lines).toHaveLength(LAYOUT.cardMaxLines);
    expect(lines.at(-1)!.text).toMatch(/…$/);
  });

  it('draws one line per persona through its scores at the stage centres, higher scores higher, with a gap where unscored', () => {
    const map = smallMap((doc, { stages, personas }) => {
      setEmotion(doc, { personaId: personas[0]!, stageId: stages[0]!, score: 3 });
      setEmotion(doc, { personaId: personas[0]!, stageId: stages[1]!, score: -3 });
      setEmotion(doc, { personaId: personas[0]!, stageId: stages[2]!, score: 0 });
      setEmotion(doc, { personaId: personas[1]!, stageId: stages[0]!, score: 1 });
      setEmotion(doc, { personaId: personas[1]!, stageId: stages[2]!, score: 2 });
    });
    const scene = mapScene(map);
    const curves = scene.shapes.filter(
      (shape): shape is LineShape =>
        shape.kind === 'line' && shape.width === 3 && (shape.stroke === '#0ea5e9' || shape.stroke === '#f97316'),
    );
    const ann = curves.filter((curve) => curve.stroke === '#0ea5e9' && curve.points.length > 2);
    expect(ann).toHaveLength(1);
    const [high, low, zero] = ann[0]!.points;
    const centre = (index: number) => LAYOUT.margin + LAYOUT.laneHeaderWidth + LAYOUT.stageWidth * (index + 0.5);
    expect([high![0], low![0], zero![0]]).toEqual([centre(0), centre(1), centre(2)]);
    expect(high![1]).toBeLessThan(zero![1]);
    expect(zero![1]).toBeLessThan(low![1]);
    // Bob skipped the second stage: two points (the legend's ring is smaller), no line through the gap.
    expect(curves.filter((curve) => curve.stroke === '#f97316' && curve.points.length > 2)).toHaveLength(0);
    expect(scene.shapes.filter((shape) => shape.kind === 'circle' && shape.stroke === '#f97316' && shape.r === 5)).toHaveLength(2);
  });
});

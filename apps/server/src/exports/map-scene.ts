import { compareByOrder, LANE_KIND_LABELS, type Card, type Lane, type MapSnapshot } from '@waymark/model';
import { measureText } from './export-font.js';
import { emotionShapes } from './emotion-scene.js';
import { COLOURS, LANE_KIND_COLOURS } from './palette.js';
import { luminance, mix, type Scene, type Shape } from './scene.js';
import { wrapText } from './text-lines.js';

/**
 * The whole map laid out as the editor shows it: title, goal, scope and the personas at the top,
 * then stages as numbered columns and lanes as rows, each lane headed by its title and kind
 * colour, cards stacked in their cells with their text wrapped, and the emotion lane as a curve.
 * Nothing is cut off: the page grows with the stages, and each row grows with its fullest cell.
 * Sizes are CSS pixels.
 */
export const LAYOUT = Object.freeze({
  margin: 32,
  /** The page is never narrower than this, so the title block has room on a one-stage map. */
  minContentWidth: 720,
  titleSize: 24,
  titleLineHeight: 30,
  titleMaxLines: 3,
  aboutSize: 14,
  aboutLineHeight: 20,
  aboutMaxLines: 6,
  /** Space before the goal, the scope and the personas line. */
  blockGap: 6,
  legendLineHeight: 24,
  headerGap: 16,
  laneHeaderWidth: 200,
  stageWidth: 240,
  stageHeaderMinHeight: 52,
  stageNameSize: 14,
  stageNameLineHeight: 18,
  stageNameMaxLines: 3,
  laneTitleSize: 13.5,
  laneTitleLineHeight: 18,
  laneTitleMaxLines: 4,
  /** A card lane is at least this tall: room for one card of three lines. */
  minRowHeight: 102,
  emotionRowHeight: 200,
  cellPadding: 8,
  cardGap: 8,
  cardPadding: 8,
  evidenceHeight: 16,
  cardTextSize: 13,
  cardLineHeight: 18,
  /** A card longer than this is a document, not a sticky note; the text exports keep all of it. */
  cardMaxLines: 40,
});

const L = LAYOUT;
const CARD_TEXT_WIDTH = L.stageWidth - 2 * L.cellPadding - 2 * L.cardPadding;
const LANE_TEXT_X = 18;
const LANE_TEXT_WIDTH = L.laneHeaderWidth - LANE_TEXT_X - 8;
const STAGE_TEXT_X = 18 + 20 + 8;
const STAGE_TEXT_WIDTH = L.stageWidth - STAGE_TEXT_X - 8;

interface PlacedCard {
  readonly card: Card;
  readonly lines: readonly string[];
  readonly height: number;
}

function placeCard(card: Card): PlacedCard {
  const lines = wrapText(card.text, CARD_TEXT_WIDTH, { size: L.cardTextSize, weight: 'regular' }, L.cardMaxLines);
  return { card, lines, height: 2 * L.cardPadding + L.evidenceHeight + lines.length * L.cardLineHeight };
}

function cardShapes(placed: PlacedCard, x: number, y: number): Shape[] {
  const { card, lines, height } = placed;
  const dark = luminance(card.colour) < 0.3;
  const ink = dark ? '#ffffff' : COLOURS.text;
  const evidenceInk = dark
    ? '#ffffff'
    : card.evidence === 'observed'
      ? COLOURS.observed
      : card.evidence === 'proposed'
        ? COLOURS.proposed
        : mix(card.colour, '#000000', 0.62);
  const width = L.stageWidth - 2 * L.cellPadding;
  const shapes: Shape[] = [
    {
      kind: 'rect',
      x,
      y,
      width,
      height,
      radius: 8,
      fill: card.colour,
      // The editor dashes the edge of a card nobody has checked yet.
      ...(card.evidence === 'assumed'
        ? { stroke: mix(card.colour, '#000000', 0.3), dash: [4, 3] }
        : { stroke: mix(card.colour, '#000000', 0.12) }),
      strokeWidth: 1,
    },
    {
      kind: 'text',
      x: x + L.cardPadding,
      y: y + L.cardPadding + 10,
      text: card.evidence.toUpperCase(),
      size: 10,
      weight: 'bold',
      fill: evidenceInk,
      anchor: 'start',
    },
  ];
  lines.forEach((line, index) => {
    if (line)
      shapes.push({
        kind: 'text',
        x: x + L.cardPadding,
        y: y + L.cardPadding + L.evidenceHeight + index * L.cardLineHeight + 13,
        text: line,
        size: L.cardTextSize,
        weight: 'regular',
        fill: ink,
        anchor: 'start',
      });
  });
  return shapes;
}

/** Title, goal, scope and the personas legend; returns where the grid starts. */
function headerShapes(map: MapSnapshot, width: number, shapes: Shape[]): number {
  let y = L.margin;
  const x = L.margin;
  for (const line of wrapText(map.meta.title || 'Untitled map', width, { size: L.titleSize, weight: 'bold' }, L.titleMaxLines)) {
    shapes.push({
      kind: 'text',
      x,
      y: y + L.titleSize,
      text: line,
      size: L.titleSize,
      weight: 'bold',
      fill: COLOURS.text,
      anchor: 'start',
    });
    y += L.titleLineHeight;
  }
  const about: [string, string][] = [
    ['Why we map this: ', map.meta.goal],
    ['Scope: ', map.meta.scope],
  ];
  for (const [label, value] of about) {
    if (!value.trim()) continue;
    y += L.blockGap;
    for (const line of wrapText(`${label}${value}`, width, { size: L.aboutSize, weight: 'regular' }, L.aboutMaxLines)) {
      shapes.push({
        kind: 'text',
        x,
        y: y + L.aboutSize + 1,
        text: line,
        size: L.aboutSize,
        weight: 'regular',
        fill: COLOURS.muted,
        anchor: 'start',
      });
      y += L.aboutLineHeight;
    }
  }
  if (map.personas.length > 0) {
    y += L.blockGap;
    const label = 'Personas';
    shapes.push({ kind: 'text', x, y: y + 16, text: label, size: 13, weight: 'bold', fill: COLOURS.text, anchor: 'start' });
    let itemX = x + measureText(label, 13, 'bold') + 16;
    for (const persona of map.personas) {
      const name = wrapText(persona.name, width / 2, { size: 13, weight: 'regular' }, 1)[0] ?? '';
      const itemWidth = 20 + measureText(name, 13) + 18;
      if (itemX + itemWidth > x + width && itemX > x) {
        itemX = x;
        y += L.legendLineHeight;
      }
      shapes.push({
        kind: 'line',
        points: [
          [itemX, y + 12],
          [itemX + 14, y + 12],
        ],
        stroke: persona.colour,
        width: 3,
      });
      shapes.push({ kind: 'circle', cx: itemX + 7, cy: y + 12, r: 4, fill: '#ffffff', stroke: persona.colour, strokeWidth: 2 });
      shapes.push({ kind: 'text', x: itemX + 20, y: y + 16, text: name, size: 13, weight: 'regular', fill: COLOURS.text, anchor: 'start' });
      itemX += itemWidth;
    }
    y += L.legendLineHeight;
  }
  return y + L.headerGap;
}

function laneHeaderLines(lane: Lane): string[] {
  return wrapText(lane.title, LANE_TEXT_WIDTH, { size: L.laneTitleSize, weight: 'bold' }, L.laneTitleMaxLines);
}

export function mapScene(map: MapSnapshot): Scene {
  const gridWidth = L.laneHeaderWidth + map.stages.length * L.stageWidth;
  const contentWidth = Math.max(gridWidth, L.minContentWidth);
  const shapes: Shape[] = [];
  const gridTop = headerShapes(map, contentWidth, shapes);
  const left = L.margin;
  const cellsLeft = left + L.laneHeaderWidth;

  // Stage headers: numbered columns, as tall as the longest name needs.
  const stageNames = map.stages.map((stage) =>
    wrapText(stage.name, STAGE_TEXT_WIDTH, { size: L.stageNameSize, weight: 'bold' }, L.stageNameMaxLines),
  );
  const stageHeaderHeight = Math.max(
    L.stageHeaderMinHeight,
    20 + Math.max(0, ...stageNames.map((lines) => lines.length)) * L.stageNameLineHeight,
  );
  shapes.push({ kind: 'rect', x: left, y: gridTop, width: gridWidth, height: stageHeaderHeight, fill: COLOURS.surface });
  shapes.push({
    kind: 'text',
    x: left + 14,
    y: gridTop + stageHeaderHeight / 2 - 3,
    text: 'STAGES →',
    size: 10.5,
    weight: 'bold',
    fill: COLOURS.muted,
    anchor: 'start',
  });
  shapes.push({
    kind: 'text',
    x: left + 14,
    y: gridTop + stageHeaderHeight / 2 + 12,
    text: 'LANES ↓',
    size: 10.5,
    weight: 'bold',
    fill: COLOURS.muted,
    anchor: 'start',
  });
  map.stages.forEach((_, index) => {
    const x = cellsLeft + index * L.stageWidth;
    const lines = stageNames[index]!;
    shapes.push({ kind: 'rect', x, y: gridTop, width: L.stageWidth, height: 3, fill: COLOURS.accent });
    shapes.push({ kind: 'circle', cx: x + 28, cy: gridTop + 3 + 10 + 8, r: 10, fill: COLOURS.accentSoft });
    shapes.push({
      kind: 'text',
      x: x + 28,
      y: gridTop + 3 + 10 + 12,
      text: String(index + 1),
      size: 11,
      weight: 'bold',
      fill: COLOURS.stageNumber,
      anchor: 'middle',
    });
    lines.forEach((line, lineIndex) => {
      shapes.push({
        kind: 'text',
        x: x + STAGE_TEXT_X,
        y: gridTop + 3 + 10 + 13 + lineIndex * L.stageNameLineHeight,
        text: line,
        size: L.stageNameSize,
        weight: 'bold',
        fill: COLOURS.text,
        anchor: 'start',
      });
    });
  });

  // Lanes: rows as tall as their fullest cell.
  const cells = new Map<string, Card[]>();
  for (const card of map.cards) {
    const key = `${card.laneId}\u0000${card.stageId}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key)!.push(card);
  }
  let y = gridTop + stageHeaderHeight;
  const rowLines: number[] = [y];
  for (const lane of map.lanes) {
    const title = laneHeaderLines(lane);
    const headerHeight = 10 + title.length * L.laneTitleLineHeight + 16 + 10;
    const columns = map.stages.map((stage) => (cells.get(`${lane.id}\u0000${stage.id}`) ?? []).sort(compareByOrder).map(placeCard));
    const fullest = Math.max(0, ...columns.map((placed) => placed.reduce((sum, card) => sum + card.height + L.cardGap, 0) - L.cardGap));
    const rowHeight =
      lane.kind === 'emotions'
        ? Math.max(L.emotionRowHeight, headerHeight)
        : Math.max(L.minRowHeight, headerHeight, fullest + 2 * L.cellPadding);
    shapes.push({ kind: 'rect', x: cellsLeft, y, width: gridWidth - L.laneHeaderWidth, height: rowHeight, fill: COLOURS.cell });
    shapes.push({ kind: 'rect', x: left, y, width: L.laneHeaderWidth, height: rowHeight, fill: COLOURS.surface });
    shapes.push({ kind: 'rect', x: left, y, width: 4, height: rowHeight, fill: LANE_KIND_COLOURS[lane.kind] });
    title.forEach((line, index) => {
      shapes.push({
        kind: 'text',
        x: left + LANE_TEXT_X,
        y: y + 10 + 13 + index * L.laneTitleLineHeight,
        text: line,
        size: L.laneTitleSize,
        weight: 'bold',
        fill: COLOURS.text,
        anchor: 'start',
      });
    });
    shapes.push({
      kind: 'text',
      x: left + LANE_TEXT_X,
      y: y + 10 + title.length * L.laneTitleLineHeight + 13,
      text: LANE_KIND_LABELS[lane.kind],
      size: 11.5,
      weight: 'regular',
      fill: COLOURS.muted,
      anchor: 'start',
    });
    if (lane.kind === 'emotions') {
      shapes.push(...emotionShapes({ x: cellsLeft, y, height: rowHeight, stageWidth: L.stageWidth }, map));
    } else {
      columns.forEach((placed, index) => {
        let cardY = y + L.cellPadding;
        for (const card of placed) {
          shapes.push(...cardShapes(card, cellsLeft + index * L.stageWidth + L.cellPadding, cardY));
          cardY += card.height + L.cardGap;
        }
      });
    }
    y += rowHeight;
    rowLines.push(y);
  }

  // Grid lines over the fills: rows, columns, then the frame.
  const gridBottom = y;
  for (const rowY of rowLines.slice(1, -1))
    shapes.push({
      kind: 'line',
      points: [
        [left, rowY],
        [left + gridWidth, rowY],
      ],
      stroke: COLOURS.line,
      width: 1,
    });
  for (let index = 1; index < map.stages.length; index++) {
    const x = cellsLeft + index * L.stageWidth;
    shapes.push({
      kind: 'line',
      points: [
        [x, gridTop + 3],
        [x, gridBottom],
      ],
      stroke: COLOURS.line,
      width: 1,
    });
  }
  shapes.push({
    kind: 'line',
    points: [
      [left, gridTop + stageHeaderHeight],
      [left + gridWidth, gridTop + stageHeaderHeight],
    ],
    stroke: COLOURS.lineStrong,
    width: 1,
  });
  shapes.push({
    kind: 'line',
    points: [
      [cellsLeft, gridTop],
      [cellsLeft, gridBottom],
    ],
    stroke: COLOURS.lineStrong,
    width: 1,
  });
  shapes.push({
    kind: 'rect',
    x: left,
    y: gridTop,
    width: gridWidth,
    height: gridBottom - gridTop,
    fill: 'none',
    stroke: COLOURS.lineStrong,
    strokeWidth: 1,
  });
  return {
    width: Math.ceil(contentWidth + 2 * L.margin),
    height: Math.ceil(gridBottom + L.margin),
    background: COLOURS.page,
    shapes,
  };
}

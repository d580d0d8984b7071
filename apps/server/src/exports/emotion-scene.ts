import { EMOTION_MAX, EMOTION_MIN, type MapSnapshot } from '@waymark/model';
import { COLOURS } from './palette.js';
import { mix, type Shape } from './scene.js';

/** Where the emotion lane's cells are on the page, across all stages. */
export interface EmotionArea {
  readonly x: number;
  readonly y: number;
  readonly height: number;
  readonly stageWidth: number;
}

/** Room above +3 and below −3, so a point and its ring stay inside the row. */
const PLOT_INSET = 22;

function signed(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return rounded > 0 ? `+${rounded}` : rounded < 0 ? `−${-rounded}` : '0';
}

/**
 * The emotion lane as the editor draws it: levels −3..+3 with 0 dashed, and one line per persona
 * in its colour through its score at each stage (the agreed score, else the participants' mean).
 * A stage nobody scored leaves a gap in that persona's line rather than a guess.
 */
export function emotionShapes(area: EmotionArea, map: Pick<MapSnapshot, 'stages' | 'personas' | 'emotions'>): Shape[] {
  const width = area.stageWidth * map.stages.length;
  const top = area.y + PLOT_INSET;
  const bottom = area.y + area.height - PLOT_INSET;
  const levelY = (score: number) => bottom - ((score - EMOTION_MIN) / (EMOTION_MAX - EMOTION_MIN)) * (bottom - top);
  const stageX = (index: number) => area.x + area.stageWidth * (index + 0.5);
  const shapes: Shape[] = [
    { kind: 'rect', x: area.x, y: area.y, width, height: area.height / 2, fill: COLOURS.emotionHigh },
    { kind: 'rect', x: area.x, y: area.y + area.height / 2, width, height: area.height / 2, fill: COLOURS.emotionLow },
  ];
  for (let score = EMOTION_MIN; score <= EMOTION_MAX; score++) {
    const y = levelY(score);
    shapes.push({
      kind: 'line',
      points: [
        [area.x, y],
        [area.x + width, y],
      ],
      stroke: score === 0 ? COLOURS.levelZero : COLOURS.level,
      width: 1,
      ...(score === 0 ? { dash: [4, 4] } : {}),
    });
    if (score === EMOTION_MIN || score === 0 || score === EMOTION_MAX) {
      shapes.push({
        kind: 'text',
        x: area.x + 6,
        y: y - 4,
        text: signed(score),
        size: 10.5,
        weight: 'regular',
        fill: COLOURS.muted,
        anchor: 'start',
      });
    }
  }
  if (map.stages.length === 0) return shapes;
  if (map.personas.length === 0 || map.emotions.length === 0) {
    const message = map.personas.length === 0 ? 'No personas yet: add one to draw the emotion curve' : 'No scores yet';
    shapes.push({
      kind: 'text',
      x: area.x + width / 2,
      y: area.y + area.height / 2 - 8,
      text: message,
      size: 13,
      weight: 'regular',
      fill: COLOURS.muted,
      anchor: 'middle',
    });
    return shapes;
  }
  const stageIndex = new Map(map.stages.map((stage, index) => [stage.id, index]));
  for (const persona of map.personas) {
    const values: (number | null)[] = map.stages.map(() => null);
    for (const point of map.emotions) {
      const index = stageIndex.get(point.stageId);
      if (point.personaId === persona.id && index !== undefined) values[index] = point.score ?? point.mean;
    }
    const runs: [number, number][][] = [[]];
    values.forEach((value, index) => {
      if (value === null) runs.push([]);
      else runs.at(-1)!.push([stageX(index), levelY(value)]);
    });
    for (const run of runs) if (run.length > 1) shapes.push({ kind: 'line', points: run, stroke: persona.colour, width: 3 });
    const label = mix(persona.colour, '#000000', 0.55);
    values.forEach((value, index) => {
      if (value === null) return;
      const [x, y] = [stageX(index), levelY(value)];
      shapes.push({ kind: 'circle', cx: x, cy: y, r: 5, fill: '#ffffff', stroke: persona.colour, strokeWidth: 3 });
      // Beside the point, on the side away from the middle, so it stays inside the row.
      shapes.push({
        kind: 'text',
        x: x + 9,
        y: value >= 0 ? y - 7 : y + 16,
        text: signed(value),
        size: 10.5,
        weight: 'bold',
        fill: label,
        anchor: 'start',
      });
    });
  }
  return shapes;
}

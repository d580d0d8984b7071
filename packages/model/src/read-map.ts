import type * as Y from 'yjs';
import type { Problem } from './problems.js';
import { cardContext, collectCards, type Card } from './records/card.js';
import { collectEmotions, type EmotionPoint } from './records/emotion.js';
import { collectLanes, type Lane } from './records/lane.js';
import { collectMeta, type MapMeta } from './records/meta.js';
import { collectPersonas, type Persona } from './records/persona.js';
import { collectStages, type Stage } from './records/stage.js';

/** A validated, plain-data picture of the whole map at one moment. */
export interface MapSnapshot {
  readonly meta: MapMeta;
  readonly stages: readonly Stage[];
  readonly lanes: readonly Lane[];
  readonly cards: readonly Card[];
  readonly personas: readonly Persona[];
  readonly emotions: readonly EmotionPoint[];
  /** Everything skipped or repaired while reading; empty for a healthy document. */
  readonly problems: readonly Problem[];
}

/**
 * Reads and validates the whole document. Never throws on bad data: records that do not
 * fit (wrong types, pointing at a deleted stage or lane, ...) are left out and listed in
 * `problems`. Cards and emotions are checked against the stages, lanes and personas that
 * survived validation, so nothing in the result references a record that is not in it.
 */
export function readMap(doc: Y.Doc): MapSnapshot {
  const problems: Problem[] = [];
  const meta = collectMeta(doc, problems);
  const stages = collectStages(doc, problems);
  const lanes = collectLanes(doc, problems);
  const personas = collectPersonas(doc, problems);
  const cards = collectCards(doc, problems, cardContext(stages, lanes, personas));
  const emotions = collectEmotions(
    doc,
    problems,
    personas.map((persona) => persona.id),
    stages.map((stage) => stage.id),
  );
  return { meta, stages, lanes, cards, personas, emotions, problems };
}

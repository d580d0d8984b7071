import { addCard, readLanes, readPersonas, readStages, setEmotion, updateCard, type Evidence } from '@waymark/model';
import type * as Y from 'yjs';

const COLOURS = ['#fde68a', '#fed7aa', '#fbcfe8', '#ddd6fe', '#bfdbfe', '#bbf7d0'];
const EVIDENCE: Evidence[] = ['observed', 'assumed', 'proposed'];

/** Lines a real workshop would put on a buyer journey, cycled to fill cells. */
const NOTES = [
  'Reads a comparison article on a review site',
  'Asks peers in a Slack community which tool they use',
  'Pricing page does not show the team plan clearly',
  'Books a demo but waits four days for a slot',
  'Worried the rollout will eat a whole sprint',
  'Trial expires before the team has invited anyone',
  'Offer a guided setup call in week one',
  'Support answers in under an hour: delighted',
  'Exports a report for the quarterly review',
  'Recommends us in a community thread',
  'Invoice goes to the wrong cost centre',
  'Success manager checks in after 30 days',
];

/**
 * Fills every card lane of every stage with `cardsPerCell` cards (or `totalCards` spread
 * evenly), varied colours, evidence and tags, plus emotion scores for each persona. One
 * transaction per cell keeps seeding a 500-card map fast.
 */
export function seedCards(doc: Y.Doc, options: { totalCards: number }): number {
  const stages = readStages(doc);
  const lanes = readLanes(doc).filter((lane) => lane.kind !== 'emotions');
  const personas = readPersonas(doc);
  const cells = stages.flatMap((stage) => lanes.map((lane) => ({ stage, lane })));
  let made = 0;
  for (let index = 0; made < options.totalCards && cells.length > 0; index++) {
    const { stage, lane } = cells[index % cells.length]!;
    const id = addCard(doc, {
      stageId: stage.id,
      laneId: lane.id,
      text: NOTES[made % NOTES.length]!,
      colour: COLOURS[(made * 7 + Math.floor(made / 5)) % COLOURS.length]!,
      evidence: EVIDENCE[(made + Math.floor(made / 7)) % EVIDENCE.length]!,
      tags: made % 4 === 0 ? ['research'] : made % 5 === 0 ? ['quick win'] : [],
    });
    if (personas[0] && made % 3 === 0) updateCard(doc, id, { personaIds: [personas[0].id] });
    made++;
  }
  const curve = [1, 0, -2, -1, 2, 3, 1, -1, 0, 2, -3, 1];
  personas.forEach((persona, personaIndex) => {
    stages.forEach((stage, stageIndex) => {
      const score = curve[(stageIndex + personaIndex * 3) % curve.length]!;
      setEmotion(doc, { personaId: persona.id, stageId: stage.id, score });
    });
  });
  return made;
}

import {
  agendaVerdict,
  LANE_KIND_LABELS,
  plural,
  roundHeading as headingOf,
  voterNames,
  type MapSnapshot,
  type Rounds,
  type RoundScope,
  type Workshop,
} from '@waymark/model';
import type { ActivityEntry } from '../storage/map-store.js';
import { startPdf } from './scene-pdf.js';
import { markdownInline } from './text-exports.js';

/**
 * What a workshop did, for the people who were there and those who were not: the agenda as run
 * (planned against actual time), the results of its revealed rounds, the parking lot, and the
 * changes people made to the map meanwhile. Shown in the app, and exported as Markdown and PDF.
 */
export interface WorkshopSummary {
  mapTitle: string;
  facilitator: string | null;
  /** When the session started (its first agenda item or round) and ended (its last, or now); null before anything ran. */
  from: number | null;
  to: number | null;
  agenda: AgendaLine[];
  rounds: RoundLine[];
  parkingLot: { text: string; by: string; at: number }[];
  changes: { people: PersonChanges[]; cardsAdded: { text: string; stage: string; lane: string; by: string | null }[] };
}

export interface AgendaLine {
  title: string;
  plannedMinutes: number;
  /** Whole minutes, rounded; null for an item that was not reached. */
  actualMinutes: number | null;
  startedAt: number | null;
  endedAt: number | null;
  /** Whether it is under way now. */
  running: boolean;
}

export interface RoundLine {
  kind: 'vote' | 'brainstorm';
  scope: string;
  anonymous: boolean;
  people: number;
  revealedAt: number;
  /** A vote's cards with votes, most first; a brainstorm's revealed cards. */
  cards: { text: string; stage: string; lane: string; votes: number | null; voters: string[] | null }[];
}

export interface PersonChanges {
  name: string;
  created: number;
  changed: number;
  deleted: number;
}

function scopeLabel(scope: RoundScope, map: MapSnapshot): string {
  switch (scope.kind) {
    case 'map':
      return 'the whole map';
    case 'stage':
      return `stage "${map.stages.find((stage) => stage.id === scope.id)?.name ?? 'deleted'}"`;
    case 'lane':
      return `lane "${map.lanes.find((lane) => lane.id === scope.id)?.title ?? 'deleted'}"`;
    case 'laneKind':
      return LANE_KIND_LABELS[scope.laneKind].toLowerCase();
    case 'tag':
      return `cards tagged "${scope.tag}"`;
  }
}

export function buildWorkshopSummary(
  map: MapSnapshot,
  workshop: Workshop,
  rounds: Rounds,
  activity: readonly ActivityEntry[],
  now: number,
): WorkshopSummary {
  const starts = [...workshop.runs.map((run) => run.startedAt), ...rounds.results.map((result) => result.openedAt)];
  const from = starts.length > 0 ? Math.min(...starts) : null;
  const underWay = workshop.currentItemId !== null || rounds.open !== null;
  const ends = [...workshop.runs.map((run) => run.endedAt ?? now), ...rounds.results.map((result) => result.revealedAt)];
  const to = from === null ? null : underWay ? now : Math.max(...ends);

  const agenda = workshop.agenda.map((item): AgendaLine => {
    const runs = workshop.runs.filter((run) => run.itemId === item.id);
    const startedAt = runs.length > 0 ? Math.min(...runs.map((run) => run.startedAt)) : null;
    const running = runs.some((run) => run.endedAt === null);
    const endedAt = runs.length > 0 && !running ? Math.max(...runs.map((run) => run.endedAt!)) : null;
    // An item gone back to counts each of its runs.
    const actual = runs.reduce((sum, run) => sum + ((run.endedAt ?? now) - run.startedAt), 0);
    return {
      title: item.title,
      plannedMinutes: item.minutes,
      actualMinutes: runs.length > 0 ? Math.round(actual / 60_000) : null,
      startedAt,
      endedAt,
      running,
    };
  });

  const cards = new Map(map.cards.map((card) => [card.id, card]));
  const stageName = new Map(map.stages.map((stage) => [stage.id, stage.name]));
  const laneTitle = new Map(map.lanes.map((lane) => [lane.id, lane.title]));
  const where = (cardId: string) => {
    const card = cards.get(cardId);
    return card ? { text: card.text, stage: stageName.get(card.stageId) ?? '', lane: laneTitle.get(card.laneId) ?? '' } : null;
  };
  const roundLines = rounds.results
    .filter((result) => from === null || result.revealedAt >= from)
    .map((result): RoundLine => {
      const shown =
        result.kind === 'vote'
          ? Object.entries(result.totals)
              .sort((a, b) => b[1] - a[1])
              .flatMap(([cardId, votes]) => {
                const card = where(cardId);
                return card ? [{ ...card, votes, voters: result.voters?.[cardId] ? [...result.voters[cardId]!] : null }] : [];
              })
          : result.cardIds.flatMap((cardId) => {
              const card = where(cardId);
              return card ? [{ ...card, votes: null, voters: null }] : [];
            });
      return {
        kind: result.kind,
        scope: scopeLabel(result.scope, map),
        anonymous: result.anonymous,
        people: result.people,
        revealedAt: result.revealedAt,
        cards: shown,
      };
    });

  const during = from === null ? [] : activity.filter((entry) => entry.endedAt >= from && entry.startedAt <= (to ?? now));
  const people = new Map<string, PersonChanges>();
  const cardsAdded: WorkshopSummary['changes']['cardsAdded'] = [];
  for (const entry of [...during].sort((a, b) => a.startedAt - b.startedAt)) {
    const name = entry.person ?? entry.link ?? `someone with a ${entry.role} link`;
    const person = people.get(name) ?? { name, created: 0, changed: 0, deleted: 0 };
    person.created += entry.created.length;
    person.changed += entry.changed.length;
    person.deleted += entry.deleted.length;
    people.set(name, person);
    for (const record of entry.created) {
      const card = record.startsWith('cards/') ? where(record.slice('cards/'.length)) : null;
      if (card) cardsAdded.push({ ...card, by: entry.person });
    }
  }

  return {
    mapTitle: map.meta.title,
    facilitator: workshop.facilitator?.name ?? null,
    from,
    to,
    agenda,
    rounds: roundLines,
    parkingLot: workshop.parkingLot.map(({ text, by, at }) => ({ text, by, at })),
    changes: {
      people: [...people.values()].sort((a, b) => b.created + b.changed + b.deleted - (a.created + a.changed + a.deleted)),
      cardsAdded,
    },
  };
}

const clock = (at: number) => new Date(at).toISOString().slice(11, 16);
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** How an agenda item went, in words: "12 min (planned 10, 2 min over)". */
export function agendaOutcome(line: AgendaLine): string {
  if (line.actualMinutes === null) return `not reached (planned ${line.plannedMinutes} min)`;
  return `${line.actualMinutes} min (planned ${line.plannedMinutes}, ${agendaVerdict(line)})`;
}

function roundHeading(round: RoundLine): string {
  return `${headingOf({ ...round, cardCount: round.cards.length })}, revealed at ${clock(round.revealedAt)} UTC`;
}

function cardLine(card: RoundLine['cards'][number]): string {
  const votes = card.votes === null ? '' : `${plural(card.votes, 'vote')}: `;
  const voters = card.voters && card.voters.length > 0 ? `; voted for by ${voterNames(card.voters)}` : '';
  return `${votes}${card.text || '(empty card)'} [${card.stage} / ${card.lane}]${voters}`;
}

function changeLine(person: PersonChanges): string {
  const parts = [
    person.created && `${person.created} added`,
    person.changed && `${person.changed} changed`,
    person.deleted && `${person.deleted} deleted`,
  ].filter(Boolean);
  return `${person.name}: ${parts.join(', ') || 'no changes'}`;
}

function sessionWindow(summary: WorkshopSummary): string {
  if (summary.from === null) return 'The agenda has not been run yet.';
  return `${day(summary.from)}, ${clock(summary.from)} to ${clock(summary.to ?? summary.from)} UTC`;
}

export function summaryToMarkdown(summary: WorkshopSummary): string {
  const md = markdownInline;
  const lines = [`# Workshop summary: ${md(summary.mapTitle)}`, '', sessionWindow(summary)];
  if (summary.facilitator) lines.push('', `Facilitated by ${md(summary.facilitator)}.`);
  lines.push('', '## Agenda as run', '');
  if (summary.agenda.length === 0) lines.push('No agenda was set.');
  else {
    lines.push('| # | Item | Planned | Actual | Outcome |', '|---|---|---|---|---|');
    summary.agenda.forEach((line, index) =>
      lines.push(
        `| ${index + 1} | ${md(line.title)} | ${line.plannedMinutes} min | ${line.actualMinutes === null ? '–' : `${line.actualMinutes} min`} | ${agendaOutcome(line)} |`,
      ),
    );
  }
  lines.push('', '## Round results', '');
  if (summary.rounds.length === 0) lines.push('No round was revealed.');
  for (const round of summary.rounds) {
    lines.push(`### ${md(roundHeading(round))}`, '');
    if (round.cards.length === 0) lines.push(round.kind === 'vote' ? 'No votes.' : 'No cards.');
    for (const card of round.cards) lines.push(`- ${md(cardLine(card))}`);
    lines.push('');
  }
  lines.push('## Parking lot', '');
  if (summary.parkingLot.length === 0) lines.push('The parking lot is empty.');
  for (const topic of summary.parkingLot) lines.push(`- ${md(topic.text)}${topic.by ? ` (${md(topic.by)})` : ''}`);
  lines.push('', '## Changes during the session', '');
  if (summary.changes.people.length === 0) lines.push('No changes were made to the map during the session.');
  for (const person of summary.changes.people) lines.push(`- ${md(changeLine(person))}`);
  if (summary.changes.cardsAdded.length > 0) {
    lines.push('', '### Cards added', '');
    for (const card of summary.changes.cardsAdded)
      lines.push(`- ${md(card.text || '(empty card)')} [${md(card.stage)} / ${md(card.lane)}]${card.by ? ` (${md(card.by)})` : ''}`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The summary as an A4 document, its text real text set in the exports' DejaVu Sans. */
export function summaryToPdf(summary: WorkshopSummary): Promise<Buffer> {
  const { doc, done } = startPdf(`Workshop summary: ${summary.mapTitle}`, { size: 'A4', margin: 56 });
  const heading = (text: string, size: number) =>
    doc.moveDown(0.6).font('bold').fontSize(size).fillColor('#111827').text(text).moveDown(0.3);
  const body = (text: string) => doc.font('regular').fontSize(10.5).fillColor('#1f2937').text(text);
  const item = (text: string) => doc.font('regular').fontSize(10.5).fillColor('#1f2937').text(`•  ${text}`, { indent: 0 });

  doc.font('bold').fontSize(18).fillColor('#111827').text(`Workshop summary: ${summary.mapTitle}`);
  body(sessionWindow(summary));
  if (summary.facilitator) body(`Facilitated by ${summary.facilitator}.`);
  heading('Agenda as run', 13);
  if (summary.agenda.length === 0) body('No agenda was set.');
  summary.agenda.forEach((line, index) => item(`${index + 1}. ${line.title}: ${agendaOutcome(line)}`));
  heading('Round results', 13);
  if (summary.rounds.length === 0) body('No round was revealed.');
  for (const round of summary.rounds) {
    heading(roundHeading(round), 11);
    if (round.cards.length === 0) body(round.kind === 'vote' ? 'No votes.' : 'No cards.');
    for (const card of round.cards) item(cardLine(card));
  }
  heading('Parking lot', 13);
  if (summary.parkingLot.length === 0) body('The parking lot is empty.');
  for (const topic of summary.parkingLot) item(`${topic.text}${topic.by ? ` (${topic.by})` : ''}`);
  heading('Changes during the session', 13);
  if (summary.changes.people.length === 0) body('No changes were made to the map during the session.');
  for (const person of summary.changes.people) item(changeLine(person));
  if (summary.changes.cardsAdded.length > 0) {
    heading('Cards added', 11);
    for (const card of summary.changes.cardsAdded)
      item(`${card.text || '(empty card)'} [${card.stage} / ${card.lane}]${card.by ? ` (${card.by})` : ''}`);
  }
  doc.end();
  return done;
}

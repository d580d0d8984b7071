import type { SummaryAgendaLine, SummaryCard, SummaryRound } from './summary-api';

/**
 * The workshop summary in words for the dialog, worded like the server's Markdown and PDF so the
 * app and the files read the same; times are this browser's local time.
 */

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

export const votesLabel = (votes: number): string => plural(votes, 'vote');

/** The time an item took: "12 min", "3 min so far"; null when it was not reached. */
export function actualLabel(line: SummaryAgendaLine): string | null {
  return line.actualMinutes === null ? null : `${line.actualMinutes} min${line.running ? ' so far' : ''}`;
}

/** How an agenda item went against its timebox: "on time", "2 min over", "under way, 1 min under"; "not reached". */
export function agendaVerdict(line: SummaryAgendaLine): string {
  if (line.actualMinutes === null) return 'not reached';
  const difference = line.actualMinutes - line.plannedMinutes;
  const versus = difference === 0 ? 'on time' : difference > 0 ? `${difference} min over` : `${-difference} min under`;
  return line.running ? `under way, ${versus}` : versus;
}

/** "Dot vote on pain points: 2 people voted"; "Silent brainstorm on lane "Ideas": 3 cards from 2 people". */
export function roundHeading(round: SummaryRound): string {
  if (round.kind === 'vote')
    return `Dot vote on ${round.scope}${round.anonymous ? ' (anonymous)' : ''}: ${plural(round.people, 'person', 'people')} voted`;
  return `Silent brainstorm on ${round.scope}: ${plural(round.cards.length, 'card')} from ${plural(round.people, 'person', 'people')}`;
}

/** "Ana (2), Bo": one name per voter, with their votes when more than one. */
export function voterNames(voters: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const voter of voters) counts.set(voter, (counts.get(voter) ?? 0) + 1);
  return [...counts].map(([voter, count]) => (count > 1 ? `${voter} (${count})` : voter)).join(', ');
}

/** Where a round's card sits, and who voted for it: "Pay / Pains; voted for by Ana (2), Bo". */
export function cardWhere(card: SummaryCard): string {
  const voters = card.voters && card.voters.length > 0 ? `; voted for by ${voterNames(card.voters)}` : '';
  return `${card.stage} / ${card.lane}${voters}`;
}

/** "12 May 2025, 10:02 to 11:15"; the date again when the session ran past midnight. */
export function sessionWindow(from: number, to: number, timeZone?: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone });
  const end = day.format(to) === day.format(from) ? clock.format(to) : `${day.format(to)}, ${clock.format(to)}`;
  return `${day.format(from)}, ${clock.format(from)} to ${end}`;
}

/** "10:32", local time. */
export function clockTime(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(at);
}

import { agendaVerdict, plural, roundHeading as headingOf, voterNames } from '@waymark/model';
import type { SummaryAgendaLine, SummaryCard, SummaryRound } from './summary-api';

export { agendaVerdict, plural, voterNames };

/**
 * The workshop summary in words for the dialog, worded like the server's Markdown and PDF so the
 * app and the files read the same; times are this browser's local time.
 */

export const votesLabel = (votes: number): string => plural(votes, 'vote');

/** The time an item took: "12 min", "3 min so far"; null when it was not reached. */
export function actualLabel(line: SummaryAgendaLine): string | null {
  return line.actualMinutes === null ? null : `${line.actualMinutes} min${line.running ? ' so far' : ''}`;
}

/** A revealed round's heading, from the summary's line. */
export function roundHeading(round: SummaryRound): string {
  return headingOf({ ...round, cardCount: round.cards.length });
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

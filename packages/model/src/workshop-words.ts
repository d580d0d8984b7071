/**
 * The workshop summary's words, shared by the app's dialog and the server's Markdown and PDF,
 * so all three read the same.
 */

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** An agenda item as run, as far as its wording needs. */
export interface AgendaLineFacts {
  readonly plannedMinutes: number;
  /** Null for an item that was not reached. */
  readonly actualMinutes: number | null;
  readonly running: boolean;
}

/** How an agenda item went against its timebox: "on time", "2 min over", "under way, 1 min under", "not reached". */
export function agendaVerdict(line: AgendaLineFacts): string {
  if (line.actualMinutes === null) return 'not reached';
  const difference = line.actualMinutes - line.plannedMinutes;
  const versus = difference === 0 ? 'on time' : difference > 0 ? `${difference} min over` : `${-difference} min under`;
  return line.running ? `under way, ${versus}` : versus;
}

/** A revealed round, as far as its heading needs. */
export interface RoundFacts {
  readonly kind: 'vote' | 'brainstorm';
  /** In words: "pain points", `lane "Ideas"`. */
  readonly scope: string;
  readonly anonymous: boolean;
  readonly people: number;
  /** Cards a brainstorm revealed. */
  readonly cardCount: number;
}

/** "Dot vote on pain points: 2 people voted"; "Silent brainstorm on lane "Ideas": 3 cards from 2 people". */
export function roundHeading(round: RoundFacts): string {
  const people = plural(round.people, 'person', 'people');
  if (round.kind === 'vote') return `Dot vote on ${round.scope}${round.anonymous ? ' (anonymous)' : ''}: ${people} voted`;
  return `Silent brainstorm on ${round.scope}: ${plural(round.cardCount, 'card')} from ${people}`;
}

/** "Ana (2), Bo": one name per voter, with their votes when more than one. */
export function voterNames(voters: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const voter of voters) counts.set(voter, (counts.get(voter) ?? 0) + 1);
  return [...counts].map(([voter, count]) => (count > 1 ? `${voter} (${count})` : voter)).join(', ');
}

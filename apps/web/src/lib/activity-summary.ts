import type { ActivityEntry, Editor, LastEdit } from './activity-api';
import { exactTime, whenFrom } from './link-times';

/**
 * Who changed what, in words: an activity entry's records ("cards/<id>", "meta/title", …) told
 * against the map as it is now ("added “Waits on hold” in Awareness, changed the title, deleted
 * 1 stage"), and a card's last editor ("Last edited by Sam (Support team) · 3 minutes ago").
 */

/** The map now, as far as the summary needs it; MapState answers all of it. */
export interface MapLookup {
  card(id: string): { readonly text: string; readonly stageId: string } | undefined;
  stage(id: string): { readonly name: string } | undefined;
  lane(id: string): { readonly title: string } | undefined;
  persona(id: string): { readonly name: string } | undefined;
}

const ROLE_NAMES: Readonly<Record<string, string>> = {
  owner: 'owner',
  editor: 'editor',
  participant: 'participant',
  commenter: 'commenter',
  viewer: 'viewer',
};

/** "Support team", else "editor link": what the person's link is called. */
function linkName(editor: Editor): string {
  return editor.link ?? `${ROLE_NAMES[editor.role] ?? 'unknown'} link`;
}

/** "Sam (Support team)", "Ana (editor link)", "Someone (owner link)". */
export function editorName(editor: Editor): string {
  return `${editor.person ?? 'Someone'} (${linkName(editor)})`;
}

const WORDS = 6;
const CHARACTERS = 48;

/** A card named by its first words, quoted: “Waits on hold for 20 minutes…”. */
export function cardWords(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'an empty card';
  let shown = words.slice(0, WORDS).join(' ');
  const cut = shown.length > CHARACTERS || words.length > WORDS;
  if (shown.length > CHARACTERS) shown = [...shown].slice(0, CHARACTERS).join('').trimEnd();
  return `“${shown}${cut ? '…' : ''}”`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Up to three names, then how many more: “a”, “b”, “c” and 2 more. */
function someOf(names: readonly string[]): string {
  return names.length <= 3 ? listed(names) : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

type Verb = 'added' | 'changed' | 'deleted';

/** What one verb did to cards: named per stage while they exist, counted once they are gone. */
function cardPhrases(verb: Verb, ids: readonly string[], map: MapLookup): string[] {
  if (verb === 'deleted') return [`${verb} ${count(ids.length, 'card')}`];
  const byStage = new Map<string, string[]>();
  let gone = 0;
  for (const id of ids) {
    const card = map.card(id);
    if (!card) {
      gone++;
      continue;
    }
    const stage = map.stage(card.stageId)?.name ?? 'a stage since deleted';
    byStage.set(stage, [...(byStage.get(stage) ?? []), cardWords(card.text)]);
  }
  const phrases = [...byStage].map(([stage, names]) =>
    names.length === 1 ? `${verb} ${names[0]} in ${stage}` : `${verb} ${count(names.length, 'card')} in ${stage} (${someOf(names)})`,
  );
  if (gone > 0) phrases.push(gone === 1 ? `${verb} a card since deleted` : `${verb} ${gone} cards since deleted`);
  return phrases;
}

interface Structure {
  readonly one: string;
  readonly name: (map: MapLookup, id: string) => string | undefined;
}

const STRUCTURE: Readonly<Record<string, Structure>> = {
  stages: { one: 'stage', name: (map, id) => map.stage(id)?.name },
  lanes: { one: 'lane', name: (map, id) => map.lane(id)?.title },
  personas: { one: 'persona', name: (map, id) => map.persona(id)?.name },
};

/** Stages, lanes and personas: named while they exist ("added the stage Escalation"), counted once gone. */
function structurePhrases(verb: Verb, kind: Structure, ids: readonly string[], map: MapLookup): string[] {
  if (verb === 'deleted') return [`${verb} ${count(ids.length, kind.one)}`];
  const names = ids.map((id) => kind.name(map, id)).filter((name): name is string => name !== undefined);
  const gone = ids.length - names.length;
  const phrases: string[] = [];
  if (names.length === 1) phrases.push(`${verb} the ${kind.one} ${names[0]}`);
  else if (names.length > 1) phrases.push(`${verb} ${count(names.length, kind.one)} (${someOf(names)})`);
  if (gone > 0) phrases.push(gone === 1 ? `${verb} a ${kind.one} since deleted` : `${verb} ${gone} ${kind.one}s since deleted`);
  return phrases;
}

/** Records told by their count: actions, customer figures and comments ("added 3 figures"). */
const COUNTED: Readonly<Record<string, string>> = { actions: 'action', metrics: 'figure', comments: 'comment' };

const META_NAMES: Readonly<Record<string, string>> = {
  title: 'the title',
  goal: 'the goal',
  scope: 'the scope',
  reviewIntervalDays: 'the review interval',
  valuePerCustomer: 'the value per customer',
  currency: 'the currency',
  calibration: 'the CSAT calibration',
  scoreWeights: 'the score weights',
};

/** One emotion key, `persona:stage[:participant]`, as "how Maria feels in Awareness". */
function emotionPhrase(key: string, map: MapLookup): string {
  const [personaId = '', stageId = ''] = key.split(':');
  const persona = map.persona(personaId)?.name;
  const stage = map.stage(stageId)?.name;
  return persona && stage ? `set how ${persona} feels in ${stage}` : 'set a feeling since removed';
}

/** The groups of one collection, by verb, split into `kind` and the id after the slash. */
function sorted(entry: ActivityEntry) {
  const byKind = new Map<string, Map<Verb, string[]>>();
  const add = (verb: Verb, group: string) => {
    const slash = group.indexOf('/');
    const kind = slash < 0 ? group : group.slice(0, slash);
    const id = slash < 0 ? '' : group.slice(slash + 1);
    const verbs = byKind.get(kind) ?? new Map<Verb, string[]>();
    verbs.set(verb, [...(verbs.get(verb) ?? []), id]);
    byKind.set(kind, verbs);
  };
  for (const group of entry.created) add('added', group);
  for (const group of entry.changed) add('changed', group);
  for (const group of entry.deleted) add('deleted', group);
  return byKind;
}

const VERBS: readonly Verb[] = ['added', 'changed', 'deleted'];

/** The map's brief (meta/<field>, however the server filed it) and the emotion curve: what people change, never make. */
function briefPhrases(byKind: ReturnType<typeof sorted>, map: MapLookup): string[] {
  const phrases: string[] = [];
  const meta = VERBS.flatMap((verb) => byKind.get('meta')?.get(verb) ?? []);
  const named = [...new Set(meta.map((field) => META_NAMES[field] ?? "the map's details"))];
  if (named.length > 0) phrases.push(`changed ${listed(named)}`);
  const feelings = [...new Set(VERBS.flatMap((verb) => byKind.get('emotions')?.get(verb) ?? []))];
  if (feelings.length === 1) phrases.push(emotionPhrase(feelings[0]!, map));
  else if (feelings.length > 1) phrases.push(`set ${feelings.length} emotion scores`);
  const known = new Set(['cards', 'meta', 'emotions', ...Object.keys(STRUCTURE), ...Object.keys(COUNTED)]);
  if ([...byKind.keys()].some((kind) => !known.has(kind))) phrases.push('changed other parts of the map');
  return phrases;
}

/**
 * The entry in words, against the map now: "added 2 cards in Awareness (“…” and “…”), changed
 * the title, deleted 1 stage". What was made first, then what was changed (the brief and the
 * emotion curve with it), then what was deleted; within each, cards before the map's structure.
 */
export function summariseActivity(entry: ActivityEntry, map: MapLookup): string {
  const byKind = sorted(entry);
  const phrases: string[] = [];
  for (const verb of VERBS) {
    const cards = byKind.get('cards')?.get(verb);
    if (cards) phrases.push(...cardPhrases(verb, cards, map));
    for (const [kind, structure] of Object.entries(STRUCTURE)) {
      const ids = byKind.get(kind)?.get(verb);
      if (ids) phrases.push(...structurePhrases(verb, structure, ids, map));
    }
    for (const [kind, one] of Object.entries(COUNTED)) {
      const ids = byKind.get(kind)?.get(verb);
      if (ids) phrases.push(`${verb} ${count(ids.length, one)}`);
    }
    if (verb === 'changed') phrases.push(...briefPhrases(byKind, map));
  }
  return phrases.length > 0 ? phrases.join(', ') : 'made no lasting change';
}

/**
 * A card's history line: its last edit ("Last edited by Sam (Support team) · 3 minutes ago", and
 * the exact time for a tooltip) or, when the server knows of none, who added it ("Added by
 * Maria"); null when neither is known.
 */
export function cardHistoryLine(edit: LastEdit | undefined, addedBy: string | null, now: number): { text: string; title?: string } | null {
  if (edit) return { text: `Last edited by ${editorName(edit)} · ${whenFrom(edit.at, now)}`, title: exactTime(edit.at) };
  return addedBy ? { text: `Added by ${addedBy}` } : null;
}

/** Generated ids (a browser's person id) are 21 characters of this alphabet: never a name to show. */
const GENERATED_ID = /^[A-Za-z0-9_-]{21}$/;

/**
 * A card's `author` as a name: "you" for this browser's person, a present peer's name, or the
 * author as written when it reads as a name (an imported map's "Maria"). A person id nobody
 * present goes by is no name at all.
 */
export function authorName(
  author: string,
  selfId: string,
  peers: readonly { readonly userId: string; readonly name: string }[],
): string | null {
  const id = author.trim();
  if (id === '') return null;
  if (id === selfId) return 'you';
  const peer = peers.find((one) => one.userId === id);
  if (peer) return peer.name;
  return GENERATED_ID.test(id) ? null : id;
}

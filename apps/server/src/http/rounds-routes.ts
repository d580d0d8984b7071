import {
  addCard,
  cardInScope,
  cellInScope,
  MAX_KEPT_RESULTS,
  newId,
  readMap,
  readRounds,
  readRoundScope,
  serverOrigin,
  topLevelMap,
  type MapSnapshot,
  type OpenRound,
  type RoundKind,
  type RoundResult,
  type RoundScope,
} from '@waymark/model';
import { Router, type Request } from 'express';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Access, LinkAuthority } from '../access/link-authority.js';
import { roleMay } from '../access/roles.js';
import type { RoundEntry, RoundRecord } from '../storage/map-store.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { readMapThroughRoom, requireLiveMap, type MapReadOptions } from './map-reads.js';
import { personName } from './versions-routes.js';
import { requireFacilitator, writeWorkshop } from './workshop-seat.js';

export interface RoundsRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
}

/** The id a browser keeps for voting through a shared link (`X-Waymark-Voter`). */
const VOTER = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_VOTES_PER_PERSON = 20;
const MAX_HIDDEN_CARDS_PER_PERSON = 50;
const MAX_HIDDEN_CARD_TEXT = 2000;
/** The longest a round may be set to run. */
const MAX_ROUND_MS = 8 * 60 * 60_000;
const BALLOT = 'ballot';

const newRoundBody = z.object({
  kind: z.enum(['vote', 'brainstorm'], { message: 'kind must be "vote" or "brainstorm"' }),
  scope: z.unknown(),
  votesPerPerson: z
    .number({ message: 'votesPerPerson must be a number' })
    .int('votesPerPerson must be a whole number')
    .min(1, 'votesPerPerson must be at least 1')
    .max(MAX_VOTES_PER_PERSON, `votesPerPerson must be at most ${MAX_VOTES_PER_PERSON}`)
    .optional(),
  anonymous: z.boolean({ message: 'anonymous must be true or false' }).optional(),
  endsAt: z
    .number({ message: 'endsAt must be a time in ms since the epoch' })
    .int('endsAt must be a whole number of ms')
    .nullable()
    .optional(),
});
const ballotBody = z.object({
  cardIds: z
    .array(z.string({ message: 'cardIds must be card ids' }), { message: 'cardIds must be a list of card ids' })
    .max(MAX_VOTES_PER_PERSON, `a ballot holds at most ${MAX_VOTES_PER_PERSON} votes`),
});
const hiddenCardBody = z.object({
  stageId: z.string({ message: 'stageId is missing' }),
  laneId: z.string({ message: 'laneId is missing' }),
  text: z
    .string({ message: 'text is missing' })
    .trim()
    .min(1, 'a card needs some text')
    .max(MAX_HIDDEN_CARD_TEXT, `a card holds at most ${MAX_HIDDEN_CARD_TEXT} characters`),
});

/** A round's settings as stored beside it. */
interface RoundSettings {
  scope: RoundScope;
  votesPerPerson: number | null;
  anonymous: boolean;
  endsAt: number | null;
}

interface HiddenCard {
  stageId: string;
  laneId: string;
  text: string;
}

/** Who is submitting: a personal link is its person; through a shared link, the id the browser keeps. */
interface Voter {
  id: string;
  name: string;
}

/**
 * Sealed rounds: a dot vote, or a silent brainstorm. What people submit is stored on the server
 * (durably, before the call answers) and never written to the shared document, so no other client
 * can hold a trace of it; the document shows only the open round and how many people took part.
 * The reveal writes the results (vote totals, or the hidden cards as normal cards) for everyone.
 */
export function roundsRoutes(options: RoundsRoutesOptions): Router {
  const { links, rooms, store } = options;
  const router = Router();
  const base = '/api/maps/:id/rounds';

  const settingsOf = (round: RoundRecord): RoundSettings => JSON.parse(round.settings) as RoundSettings;

  /** The round, which must belong to the map: 404 otherwise. */
  const roundOf = async (mapId: string, roundId: string): Promise<RoundRecord> => {
    const round = await store.getRound(roundId);
    if (!round || round.mapId !== mapId) throw new HttpError(404, 'this map has no such round');
    return round;
  };

  const openRoundOf = async (mapId: string): Promise<RoundRecord | undefined> =>
    (await store.listRounds(mapId)).find((round) => round.closedAt === null);

  const write = <T>(mapId: string, by: string | null, change: (workshop: Y.Map<unknown>, doc: Y.Doc) => T) =>
    writeWorkshop(rooms, mapId, by, change);

  /** A participant or above on a live map. */
  const submitter = async (req: Request<{ id: string }>): Promise<Extract<Access, { ok: true }>> => {
    const access = await authorizeMap(req, links, req.params.id);
    if (!roleMay(access.permission.role, 'edit-cards'))
      throw new HttpError(403, `a ${access.permission.role} link cannot take part in workshop rounds`);
    await requireLiveMap(options, req.params.id);
    return access;
  };

  const voterOf = (req: Request, access: Extract<Access, { ok: true }>, required: boolean): Voter | null => {
    if (access.person !== null) return { id: `link:${access.linkId}`, name: access.person };
    const header = req.get('x-waymark-voter');
    if (header === undefined || !VOTER.test(header)) {
      if (!required) return null;
      throw new HttpError(
        400,
        'X-Waymark-Voter must carry the id this browser keeps for voting (8 to 64 letters, digits, - or _), or use a personal link',
      );
    }
    return { id: `browser:${header}`, name: personName(req.get('x-waymark-person')) ?? 'Someone' };
  };

  /** An open round of this kind, still taking submissions. */
  const takingSubmissions = (round: RoundRecord, kind: RoundKind): RoundSettings => {
    if (round.closedAt !== null)
      throw new HttpError(409, round.outcome === 'cancelled' ? 'this round was cancelled' : 'this round has been revealed');
    if (round.kind !== kind)
      throw new HttpError(409, kind === 'vote' ? 'this round is a brainstorm, not a vote' : 'this round is a vote, not a brainstorm');
    const settings = settingsOf(round);
    if (settings.endsAt !== null && Date.now() >= settings.endsAt) throw new HttpError(409, 'this round has ended; wait for the reveal');
    return settings;
  };

  /** Keeps the document's count of people who took part in step with the store. */
  const publishCount = async (mapId: string, roundId: string) => {
    const people = new Set((await store.listRoundEntries(roundId)).map((entry) => entry.voter)).size;
    await write(mapId, null, (workshop, doc) => {
      const open = readRounds(doc).open;
      if (open?.id === roundId && open.people !== people) workshop.set('round', { ...open, people });
    });
  };

  router.get(base, async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const rounds = await store.listRounds(mapId);
    res.json(rounds.map((round) => publicRound(round, settingsOf(round))));
  });

  router.post(base, async (req, res) => {
    const { mapId, name } = await requireFacilitator(options, req);
    const parsed = newRoundBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { kind, votesPerPerson, anonymous, endsAt } = parsed.data;
    const scope = readRoundScope(parsed.data.scope);
    if (scope === null)
      throw new HttpError(
        400,
        'scope must be {kind: "map"}, {kind: "stage" | "lane", id}, {kind: "laneKind", laneKind} or {kind: "tag", tag}',
      );
    const now = Date.now();
    if (endsAt != null && (endsAt <= now || endsAt > now + MAX_ROUND_MS))
      throw new HttpError(400, 'endsAt must be in the future, and at most 8 hours away');
    const map = await readMapThroughRoom(options, mapId, readMap);
    const problem = scopeProblem(kind, scope, map);
    if (problem) throw new HttpError(400, problem);
    const open = await openRoundOf(mapId);
    if (open) throw new HttpError(409, `a ${open.kind === 'vote' ? 'vote' : 'brainstorm'} is open already: reveal or cancel it first`);
    const settings: RoundSettings = {
      scope,
      votesPerPerson: kind === 'vote' ? (votesPerPerson ?? 3) : null,
      anonymous: anonymous ?? false,
      endsAt: endsAt ?? null,
    };
    const round: RoundRecord = {
      id: newId(),
      mapId,
      kind,
      settings: JSON.stringify(settings),
      openedAt: now,
      closedAt: null,
      outcome: null,
    };
    await store.createRound(round);
    const shown: OpenRound = { id: round.id, kind, ...settings, openedAt: now, people: 0 };
    try {
      await write(mapId, name, (workshop) => workshop.set('round', shown));
    } catch (error) {
      await store.closeRound(round.id, 'cancelled', Date.now());
      throw error;
    }
    res.status(201).json(publicRound(round, settings));
  });

  router.get(`${base}/:roundId`, async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const round = await roundOf(mapId, req.params.roundId);
    const settings = settingsOf(round);
    const voter = voterOf(req, access, false);
    const mine = voter ? await store.listRoundEntries(round.id, voter.id) : [];
    const body: Record<string, unknown> = { ...publicRound(round, settings) };
    if (round.kind === 'vote') body['ballot'] = voter ? ballotOf(mine) : null;
    else body['cards'] = voter ? mine.map((entry) => ({ id: entry.entryId, ...(JSON.parse(entry.body) as HiddenCard) })) : null;
    if (round.outcome === 'revealed') body['results'] = tally(round, settings, await store.listRoundEntries(round.id));
    else body['people'] = new Set((await store.listRoundEntries(round.id)).map((entry) => entry.voter)).size;
    res.json(body);
  });

  router.put(`${base}/:roundId/ballot`, async (req, res) => {
    const mapId = req.params.id;
    const access = await submitter(req);
    const round = await roundOf(mapId, req.params.roundId);
    const settings = takingSubmissions(round, 'vote');
    const voter = voterOf(req, access, true)!;
    const parsed = ballotBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { cardIds } = parsed.data;
    const allowance = settings.votesPerPerson ?? 0;
    if (cardIds.length > allowance)
      throw new HttpError(400, `you have ${allowance} vote${allowance === 1 ? '' : 's'} in this round; this ballot uses ${cardIds.length}`);
    const map = await readMapThroughRoom(options, mapId, readMap);
    const lanes = new Map(map.lanes.map((lane) => [lane.id, lane]));
    const cards = new Map(map.cards.map((card) => [card.id, card]));
    for (const cardId of cardIds) {
      const card = cards.get(cardId);
      if (!card) throw new HttpError(400, `card ${cardId} is not on this map`);
      if (!cardInScope(settings.scope, card, lanes.get(card.laneId)))
        throw new HttpError(400, `card ${cardId} is not among the cards this round votes on`);
    }
    let stored: boolean;
    if (cardIds.length === 0) {
      // An empty ballot takes the voter's dots back.
      await store.deleteRoundEntry(round.id, voter.id, BALLOT);
      stored = (await store.getRound(round.id))?.closedAt === null;
    } else {
      stored = await store.putRoundEntry({
        roundId: round.id,
        voter: voter.id,
        voterName: voter.name,
        entryId: BALLOT,
        body: JSON.stringify(cardIds),
        at: Date.now(),
      });
    }
    if (!stored) throw new HttpError(409, 'this round closed before your ballot arrived');
    await publishCount(mapId, round.id);
    res.json({ ballot: cardIds, votesLeft: allowance - cardIds.length });
  });

  router.post(`${base}/:roundId/cards`, async (req, res) => {
    const mapId = req.params.id;
    const access = await submitter(req);
    const round = await roundOf(mapId, req.params.roundId);
    const settings = takingSubmissions(round, 'brainstorm');
    const voter = voterOf(req, access, true)!;
    const parsed = hiddenCardBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const card: HiddenCard = parsed.data;
    const map = await readMapThroughRoom(options, mapId, readMap);
    const lane = map.lanes.find((candidate) => candidate.id === card.laneId);
    if (!map.stages.some((stage) => stage.id === card.stageId) || !lane) throw new HttpError(400, 'choose a stage and a lane this map has');
    if (!cellInScope(settings.scope, card.stageId, card.laneId, lane))
      throw new HttpError(400, 'this brainstorm does not take cards in that cell');
    const mine = await store.listRoundEntries(round.id, voter.id);
    if (mine.length >= MAX_HIDDEN_CARDS_PER_PERSON)
      throw new HttpError(409, `you can add at most ${MAX_HIDDEN_CARDS_PER_PERSON} cards to one brainstorm`);
    const id = newId();
    const stored = await store.putRoundEntry({
      roundId: round.id,
      voter: voter.id,
      voterName: voter.name,
      entryId: id,
      body: JSON.stringify(card),
      at: Date.now(),
    });
    if (!stored) throw new HttpError(409, 'this round closed before your card arrived');
    await publishCount(mapId, round.id);
    res.status(201).json({ id, ...card });
  });

  router.delete(`${base}/:roundId/cards/:cardId`, async (req, res) => {
    const mapId = req.params.id;
    const access = await submitter(req);
    const round = await roundOf(mapId, req.params.roundId);
    takingSubmissions(round, 'brainstorm');
    const voter = voterOf(req, access, true)!;
    if (!(await store.deleteRoundEntry(round.id, voter.id, req.params.cardId)))
      throw new HttpError(404, 'you have no such card in this brainstorm');
    await publishCount(mapId, round.id);
    res.status(204).end();
  });

  /**
   * The facilitator reveals: the round closes first (no submission lands after it), then its
   * results go into the document. Revealing a revealed round writes its results again, so a
   * reveal cut short by a crash can be finished; brainstorm cards keep their ids, so none doubles.
   */
  router.post(`${base}/:roundId/reveal`, async (req, res) => {
    const { mapId, name } = await requireFacilitator(options, req);
    const round = await roundOf(mapId, req.params.roundId);
    if (round.outcome === 'cancelled') throw new HttpError(409, 'this round was cancelled');
    if (round.closedAt === null) await store.closeRound(round.id, 'revealed', Date.now());
    const closed = (await store.getRound(round.id))!;
    if (closed.outcome !== 'revealed') throw new HttpError(409, 'this round was cancelled');
    const settings = settingsOf(closed);
    const entries = await store.listRoundEntries(round.id);
    const results = tally(closed, settings, entries);
    const map = await readMapThroughRoom(options, mapId, readMap);
    const covered =
      closed.kind === 'vote'
        ? map.cards
            .filter((card) =>
              cardInScope(
                settings.scope,
                card,
                map.lanes.find((lane) => lane.id === card.laneId),
              ),
            )
            .map((card) => card.id)
        : [];
    const outcome = await write(mapId, name, (workshop, doc) => {
      const placed: string[] = [];
      let unplaced = 0;
      if (closed.kind === 'brainstorm') {
        const cards = topLevelMap(doc, 'cards');
        for (const entry of entries) {
          const hidden = JSON.parse(entry.body) as HiddenCard;
          if (cards.has(entry.entryId)) {
            placed.push(entry.entryId);
            continue;
          }
          try {
            placed.push(
              addCard(
                doc,
                { id: entry.entryId, stageId: hidden.stageId, laneId: hidden.laneId, text: hidden.text, author: entry.voterName },
                serverOrigin(),
              ),
            );
          } catch {
            // Its stage or lane was deleted while the round ran.
            unplaced++;
          }
        }
      }
      const result: RoundResult = {
        id: closed.id,
        kind: closed.kind as RoundKind,
        scope: settings.scope,
        anonymous: settings.anonymous,
        openedAt: closed.openedAt,
        revealedAt: closed.closedAt!,
        people: results.people,
        totals: results.totals,
        voters: results.voters,
        cardIds: closed.kind === 'vote' ? covered : placed,
      };
      const { open, results: kept } = readRounds(doc);
      if (open?.id === closed.id) workshop.delete('round');
      workshop.set('results', [...kept.filter((earlier) => earlier.id !== closed.id), result].slice(-MAX_KEPT_RESULTS));
      return { placed: placed.length, unplaced };
    });
    res.json({ ...publicRound(closed, settings), results, ...(closed.kind === 'brainstorm' ? outcome : {}) });
  });

  /** The facilitator cancels an open round: what people submitted to it is deleted. */
  router.delete(`${base}/:roundId`, async (req, res) => {
    const { mapId, name } = await requireFacilitator(options, req);
    const round = await roundOf(mapId, req.params.roundId);
    if (!(await store.closeRound(round.id, 'cancelled', Date.now())))
      throw new HttpError(409, `this round was ${round.outcome ?? 'closed'} already`);
    await write(mapId, name, (workshop, doc) => {
      if (readRounds(doc).open?.id === round.id) workshop.delete('round');
    });
    res.status(204).end();
  });

  return router;
}

/** A round as anyone may see it: its settings and state, nothing anyone submitted. */
function publicRound(round: RoundRecord, settings: RoundSettings) {
  return {
    id: round.id,
    kind: round.kind,
    ...settings,
    openedAt: round.openedAt,
    state: round.outcome ?? 'open',
    closedAt: round.closedAt,
  };
}

function ballotOf(entries: readonly RoundEntry[]): string[] {
  const ballot = entries.find((entry) => entry.entryId === BALLOT);
  return ballot ? (JSON.parse(ballot.body) as string[]) : [];
}

/** A revealed round's results: per card totals and voters (unless anonymous), and how many took part. */
function tally(round: RoundRecord, settings: RoundSettings, entries: readonly RoundEntry[]) {
  const totals: Record<string, number> = {};
  const voters: Record<string, string[]> = {};
  if (round.kind === 'vote') {
    for (const entry of entries) {
      for (const cardId of JSON.parse(entry.body) as string[]) {
        totals[cardId] = (totals[cardId] ?? 0) + 1;
        (voters[cardId] ??= []).push(entry.voterName);
      }
    }
  }
  return {
    people: new Set(entries.map((entry) => entry.voter)).size,
    totals,
    voters: settings.anonymous ? null : voters,
    cards: round.kind === 'brainstorm' ? entries.length : 0,
  };
}

/** Why a round of this kind cannot run on this scope of this map, or null. */
function scopeProblem(kind: RoundKind, scope: RoundScope, map: MapSnapshot): string | null {
  if (scope.kind === 'stage' && !map.stages.some((stage) => stage.id === scope.id)) return 'the scope names a stage this map does not have';
  if (scope.kind === 'lane' && !map.lanes.some((lane) => lane.id === scope.id)) return 'the scope names a lane this map does not have';
  if (kind === 'brainstorm') {
    if (scope.kind === 'tag') return 'a brainstorm adds cards to cells: its scope is the map, a stage, a lane or a kind of lane, not a tag';
    if (scope.kind === 'laneKind' && !map.lanes.some((lane) => lane.kind === scope.laneKind))
      return `this map has no ${scope.laneKind} lane`;
    if (scope.kind === 'laneKind' && scope.laneKind === 'emotions')
      return 'the emotions lane is a curve: a brainstorm cannot add cards to it';
    return null;
  }
  const lanes = new Map(map.lanes.map((lane) => [lane.id, lane]));
  return map.cards.some((card) => cardInScope(scope, card, lanes.get(card.laneId))) ? null : 'there are no cards in this scope to vote on';
}

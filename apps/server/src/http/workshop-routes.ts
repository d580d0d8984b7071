import {
  addAction,
  addCard,
  isAwarenessClientId,
  isValidId,
  newId,
  readMap,
  readWorkshop,
  serverOrigin,
  type AgendaItem,
  type Workshop,
} from '@waymark/model';
import { Router, type Request } from 'express';
import * as Y from 'yjs';
import { z } from 'zod';
import type { LinkAuthority } from '../access/link-authority.js';
import { roleMay } from '../access/roles.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { readMapThroughRoom, requireLiveMap, type MapReadOptions } from './map-reads.js';
import { personName } from './versions-routes.js';
import { requireFacilitator, writeWorkshop } from './workshop-seat.js';

export interface WorkshopRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
}

/** The seat id a facilitator's browser keeps and sends with every facilitator-only call. */
const SEAT = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_AGENDA_ITEMS = 50;

/** The awareness client id of the facilitator's page (a Yjs client id), which participants follow. */
const clientIdField = z.custom<number>(
  isAwarenessClientId,
  'clientId must be a whole number from 0 to 4294967295 (the page’s awareness client id)',
);
const seatBody = z.object({
  seat: z.string().regex(SEAT, 'seat must be 8 to 64 letters, digits, - or _'),
  name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters'),
  clientId: clientIdField.optional(),
});
const seatClientBody = z.object({ clientId: clientIdField });
const agendaBody = z.object({
  items: z
    .array(
      z.object({
        id: z.string().optional(),
        title: z.string().trim().min(1, 'an agenda item needs a title').max(200, 'an agenda item title is at most 200 characters'),
        minutes: z
          .number()
          .int('minutes must be a whole number')
          .min(1, 'an agenda item lasts at least a minute')
          .max(480, 'an agenda item lasts at most 8 hours'),
        focus: z.object({ kind: z.enum(['map', 'stage', 'lane', 'persona']), id: z.string().nullable().optional() }).optional(),
      }),
    )
    .max(MAX_AGENDA_ITEMS, `an agenda has at most ${MAX_AGENDA_ITEMS} items`),
});
const startBody = z.object({ itemId: z.string().optional() });
const lockBody = z.object({ locked: z.boolean({ message: 'locked must be true or false' }) });
const parkBody = z.object({ text: z.string().trim().min(1, 'the topic must not be empty').max(500, 'a topic is at most 500 characters') });
const toCardBody = z.object({ stageId: z.string(), laneId: z.string() });
const MAX_PARKED = 200;

const ACTIONS = ['start', 'pause', 'resume', 'next', 'stop'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * The workshop, run through the server so everyone sees one state: `GET /api/time` (the server's
 * clock, for timers), the facilitator seat, the agenda, its timer and the lock. The state lives in
 * the map's `workshop` map, which only the server writes; facilitator-only calls carry the seat id
 * the facilitator's browser keeps (`X-Waymark-Seat`).
 */
export function workshopRoutes(options: WorkshopRoutesOptions): Router {
  const { links, rooms } = options;
  const router = Router();
  const base = '/api/maps/:id/workshop';

  router.get('/api/time', (_req, res) => {
    res.json({ now: Date.now() });
  });

  const readWorkshopOf = (mapId: string) => readMapThroughRoom(options, mapId, readWorkshop);

  const facilitator = (req: Request<{ id: string }>) => requireFacilitator(options, req);

  /** Writes the workshop as the server, in one change every client sees. */
  /** Writes the workshop as the server and answers with it as it now is. */
  const write = (mapId: string, by: string | null, change: (workshop: Y.Map<unknown>, doc: Y.Doc) => void) =>
    writeWorkshop(rooms, mapId, by, (workshop, doc) => {
      change(workshop, doc);
      return readWorkshop(doc);
    });

  router.get(base, async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    res.json(await readWorkshopOf(mapId));
  });

  /** Anyone with an owner or editor link takes the seat (from whoever held it: that is the handover). */
  router.post(`${base}/seat`, async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    if (!roleMay(access.permission.role, 'shape-map')) throw new HttpError(403, "only the map's owners and editors may facilitate");
    await requireLiveMap(options, mapId);
    const parsed = seatBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { seat, name, clientId = null } = parsed.data;
    res.json(await write(mapId, name, (workshop) => workshop.set('facilitator', { seat, name, since: Date.now(), clientId })));
  });

  /** The facilitator's page reloaded (a new awareness client id): participants follow the new one. */
  router.put(`${base}/seat/client`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    const parsed = seatClientBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const held = workshop.facilitator!;
    res.json(await write(mapId, held.name, (map) => map.set('facilitator', { ...held, clientId: parsed.data.clientId })));
  });

  /** "Bring everyone here": participants' pages start following the facilitator when this changes. */
  router.post(`${base}/gather`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    res.json(await write(mapId, workshop.facilitator!.name, (map) => map.set('gatheredAt', Date.now())));
  });

  router.delete(`${base}/seat`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    res.json(await write(mapId, workshop.facilitator!.name, (map) => map.delete('facilitator')));
  });

  router.put(`${base}/agenda`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    const parsed = agendaBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const map = await readMapThroughRoom(options, mapId, readMap);
    const has = {
      stage: new Set(map.stages.map((s) => s.id)),
      lane: new Set(map.lanes.map((l) => l.id)),
      persona: new Set(map.personas.map((p) => p.id)),
    };
    const seen = new Set<string>();
    const items: AgendaItem[] = parsed.data.items.map((item, index) => {
      const id = item.id && isValidId(item.id) && !seen.has(item.id) ? item.id : newId();
      seen.add(id);
      const kind = item.focus?.kind ?? 'map';
      const focusId = kind === 'map' ? null : (item.focus?.id ?? null);
      if (kind !== 'map' && (focusId === null || !has[kind].has(focusId))) {
        throw new HttpError(400, `agenda item ${index + 1} ("${item.title}") focuses on a ${kind} this map does not have`);
      }
      return { id, title: item.title, minutes: item.minutes, focus: { kind, id: focusId } };
    });
    res.json(
      await write(mapId, workshop.facilitator!.name, (map) => {
        map.set('agenda', items);
        // The item under way was taken off the agenda: the workshop stops there.
        if (workshop.currentItemId && !items.some((item) => item.id === workshop.currentItemId)) {
          map.set('runs', closeRun(workshop, Date.now()));
          map.delete('currentItemId');
          map.set('timer', { state: 'stopped' });
        }
      }),
    );
  });

  router.post(`${base}/agenda/:action`, async (req, res) => {
    const action = req.params.action as Action;
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new HttpError(404, `no agenda action ${action}; there are: ${ACTIONS.join(', ')}`);
    const { mapId, workshop } = await facilitator(req);
    const now = Date.now();
    const item = (id: string | null | undefined) => workshop.agenda.find((candidate) => candidate.id === id);
    const startItem = (map: Y.Map<unknown>, next: AgendaItem) => {
      map.set('runs', [...closeRun(workshop, now), { itemId: next.id, startedAt: now, endedAt: null }]);
      map.set('currentItemId', next.id);
      map.set('timer', { state: 'running', endsAt: now + next.minutes * 60_000 });
    };
    let change: (map: Y.Map<unknown>) => void;
    switch (action) {
      case 'start': {
        const parsed = startBody.safeParse(req.body ?? {});
        if (!parsed.success) throw HttpError.fromZod(parsed.error);
        const next = parsed.data.itemId === undefined ? workshop.agenda[0] : item(parsed.data.itemId);
        if (!next)
          throw new HttpError(
            parsed.data.itemId === undefined ? 409 : 404,
            parsed.data.itemId === undefined ? 'the agenda is empty' : 'no agenda item with this id',
          );
        change = (map) => startItem(map, next);
        break;
      }
      case 'pause': {
        if (workshop.timer.state !== 'running') throw new HttpError(409, 'the timer is not running');
        const remainingMs = workshop.timer.endsAt - now;
        change = (map) => map.set('timer', { state: 'paused', remainingMs });
        break;
      }
      case 'resume': {
        if (workshop.timer.state !== 'paused') throw new HttpError(409, 'the timer is not paused');
        const endsAt = now + workshop.timer.remainingMs;
        change = (map) => map.set('timer', { state: 'running', endsAt });
        break;
      }
      case 'next': {
        const at = workshop.agenda.findIndex((candidate) => candidate.id === workshop.currentItemId);
        if (at < 0) throw new HttpError(409, 'the agenda has not started');
        const next = workshop.agenda[at + 1];
        change = next
          ? (map) => startItem(map, next)
          : (map) => {
              map.set('runs', closeRun(workshop, now));
              map.delete('currentItemId');
              map.set('timer', { state: 'stopped' });
            };
        break;
      }
      case 'stop':
        change = (map) => {
          map.set('runs', closeRun(workshop, now));
          map.delete('currentItemId');
          map.set('timer', { state: 'stopped' });
        };
        break;
    }
    res.json(await write(mapId, workshop.facilitator!.name, change));
  });

  /** The facilitator locks the map for participants while presenting, and unlocks it. */
  router.post(`${base}/lock`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    const parsed = lockBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    // Lifting the lock makes the map's rooms, on every node, ask for the edits refused meanwhile (Room).
    res.json(await write(mapId, workshop.facilitator!.name, (map) => map.set('locked', parsed.data.locked)));
  });

  /** Anyone who may write to the map drops an off-agenda topic in the parking lot. */
  router.post(`${base}/parking`, async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    if (access.permission.role === 'viewer') throw new HttpError(403, 'a viewer link cannot add to the parking lot');
    await requireLiveMap(options, mapId);
    const parsed = parkBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const workshop = await readWorkshopOf(mapId);
    if (workshop.parkingLot.length >= MAX_PARKED)
      throw new HttpError(409, `the parking lot holds at most ${MAX_PARKED} topics; the facilitator can clear some`);
    const by = personName(req.get('x-waymark-person')) ?? '';
    const topic = { id: newId(), text: parsed.data.text, by, at: Date.now() };
    res.status(201).json(await write(mapId, by || null, (map) => map.set('parkingLot', [...readWorkshop(map.doc!).parkingLot, topic])));
  });

  /** The facilitator turns a parked topic into a card in a cell of the map. */
  router.post(`${base}/parking/:topicId/card`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    const parsed = toCardBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const topic = workshop.parkingLot.find((candidate) => candidate.id === req.params.topicId);
    if (!topic) throw new HttpError(404, 'the parking lot has no such topic');
    const map = await readMapThroughRoom(options, mapId, readMap);
    if (!map.stages.some((stage) => stage.id === parsed.data.stageId) || !map.lanes.some((lane) => lane.id === parsed.data.laneId)) {
      throw new HttpError(400, 'choose a stage and a lane this map has');
    }
    res.json(
      await write(mapId, workshop.facilitator!.name, (workshopMap, doc) => {
        addCard(doc, { stageId: parsed.data.stageId, laneId: parsed.data.laneId, text: topic.text, author: topic.by }, serverOrigin());
        workshopMap.set(
          'parkingLot',
          readWorkshop(doc).parkingLot.filter((candidate) => candidate.id !== topic.id),
        );
      }),
    );
  });

  /** The facilitator turns a parked topic into an action of the plan (an idea, nobody's yet). */
  router.post(`${base}/parking/:topicId/action`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    const topic = workshop.parkingLot.find((candidate) => candidate.id === req.params.topicId);
    if (!topic) throw new HttpError(404, 'the parking lot has no such topic');
    res.status(201).json(
      await write(mapId, workshop.facilitator!.name, (workshopMap, doc) => {
        addAction(doc, { title: topic.text, status: 'idea' }, serverOrigin());
        workshopMap.set(
          'parkingLot',
          readWorkshop(doc).parkingLot.filter((candidate) => candidate.id !== topic.id),
        );
      }),
    );
  });

  /** The facilitator discards a parked topic. */
  router.delete(`${base}/parking/:topicId`, async (req, res) => {
    const { mapId, workshop } = await facilitator(req);
    if (!workshop.parkingLot.some((candidate) => candidate.id === req.params.topicId))
      throw new HttpError(404, 'the parking lot has no such topic');
    res.json(
      await write(mapId, workshop.facilitator!.name, (workshopMap, doc) =>
        workshopMap.set(
          'parkingLot',
          readWorkshop(doc).parkingLot.filter((candidate) => candidate.id !== req.params.topicId),
        ),
      ),
    );
  });

  return router;
}

/** The runs with the current one ended at `now`. */
function closeRun(workshop: Workshop, now: number) {
  return workshop.runs.map((run) => (run.endedAt === null ? { ...run, endedAt: now } : run));
}

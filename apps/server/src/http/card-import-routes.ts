import { addCard, importOrigin, readMap } from '@waymark/model';
import { Router } from 'express';
import * as Y from 'yjs';
import { z } from 'zod';
import type { LinkAuthority } from '../access/link-authority.js';
import { roleMay } from '../access/roles.js';
import type { MapHistory } from '../history/map-history.js';
import { CardImportError, cardsFromRows, readCsv, suggestColumns } from '../imports/card-csv.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { readMapThroughRoom, requireLiveMap, type MapReadOptions } from './map-reads.js';
import { requesterName } from './versions-routes.js';

export interface CardImportRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
  history: MapHistory;
}

/** The largest CSV (as JSON text) the card import takes. */
export const CARD_IMPORT_LIMIT = '12mb';
const PREVIEW_ROWS = 20;

const column = z.string().max(200).optional();
const importBody = z.object({
  csv: z.string({ message: 'csv must be the file’s text' }),
  columns: z
    .object({ stage: z.string().max(200), lane: z.string().max(200), text: z.string().max(200), personas: column, tags: column })
    .optional(),
  dryRun: z.boolean().optional(),
});

/**
 * `POST /api/maps/:id/cards/import {csv, columns?, dryRun?}`, for the map's owners and editors:
 * without `columns`, the file's columns, a sample and a guess at which is which; with them and
 * `dryRun`, the cards it would make; without `dryRun`, the cards made in one change, after a
 * "before import" version. A bad file or row is refused whole, naming the row and column.
 */
export function cardImportRoutes(options: CardImportRoutesOptions): Router {
  const { links, rooms, history } = options;
  const router = Router();

  router.post('/api/maps/:id/cards/import', async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    if (!roleMay(access.permission.role, 'shape-map')) throw new HttpError(403, "only the map's owners and editors may import cards");
    await requireLiveMap(options, mapId);
    const parsed = importBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { csv, columns, dryRun = false } = parsed.data;
    try {
      const rows = readCsv(csv);
      const header = rows[0]!;
      if (!columns) {
        res.json({
          columns: header,
          rowCount: rows.length - 1,
          sample: rows.slice(1, 1 + PREVIEW_ROWS),
          suggested: suggestColumns(header),
        });
        return;
      }
      const map = await readMapThroughRoom(options, mapId, readMap);
      const cards = cardsFromRows(rows, columns, map);
      if (dryRun) {
        const stage = new Map(map.stages.map((s) => [s.id, s.name]));
        const lane = new Map(map.lanes.map((l) => [l.id, l.title]));
        const persona = new Map(map.personas.map((p) => [p.id, p.name]));
        res.json({
          count: cards.length,
          preview: cards.slice(0, PREVIEW_ROWS).map((card) => ({
            row: card.row,
            stage: stage.get(card.stageId),
            lane: lane.get(card.laneId),
            text: card.text,
            personas: card.personaIds.map((id) => persona.get(id)),
            tags: card.tags,
          })),
        });
        return;
      }
      const state = await readMapThroughRoom(options, mapId, (doc) => Y.encodeStateAsUpdate(doc));
      const by = await requesterName(options.store, req, access);
      const before = await history.take(mapId, state, { kind: 'before-import', createdBy: by });
      const added = await rooms.write(mapId, by, (doc) => {
        // Checked again on the document as it is now: a stage or lane deleted since the preview refuses the whole file.
        const now = readMap(doc);
        const stages = new Set(now.stages.map((s) => s.id));
        const lanes = new Set(now.lanes.map((l) => l.id));
        const personas = new Set(now.personas.map((p) => p.id));
        const gone = cards.find(
          (card) => !stages.has(card.stageId) || !lanes.has(card.laneId) || card.personaIds.some((id) => !personas.has(id)),
        );
        if (gone)
          throw new CardImportError(
            `row ${gone.row}: its stage, lane or persona was deleted while the file was being imported; nothing was added`,
            gone.row,
          );
        const origin = importOrigin();
        Y.transact(
          doc,
          () => {
            for (const card of cards)
              addCard(
                doc,
                { stageId: card.stageId, laneId: card.laneId, text: card.text, personaIds: card.personaIds, tags: card.tags },
                origin,
              );
          },
          origin,
        );
        return cards.length;
      });
      res.status(201).json({ added, before: { id: before.id, kind: before.kind, createdAt: before.createdAt } });
    } catch (error) {
      if (error instanceof CardImportError) throw new HttpError(400, `this file cannot be imported: ${error.message}`);
      throw error;
    }
  });

  return router;
}

import { readMap, templateById, templateIds, isTemplateId } from '@waymark/model';
import { Router } from 'express';
import type { LinkAuthority } from '../access/link-authority.js';
import { HttpError } from './http-error.js';
import { workspaceToken } from './map-access.js';
import { readMapThroughRoom, type MapReadOptions } from './map-reads.js';

export interface TemplatesRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
}

/** How a request names a workspace template in `POST /api/maps {template}`: `workspace:<map id>`. */
export const WORKSPACE_TEMPLATE = /^workspace:([A-Za-z0-9_-]{1,64})$/;

/** A starting point offered in "Start a map". */
export interface TemplateChoice {
  id: string;
  name: string;
  description: string;
  suggestedGoal: string;
  stages: string[];
  /** Built into Waymark, or a map of this workspace saved as a template. */
  source: 'built-in' | 'workspace';
}

/**
 * Finds the map behind a workspace template id; 404 when it is not (or no longer) a template,
 * so a deleted template cannot be started from.
 */
export async function workspaceTemplateMap(options: MapReadOptions, templateId: string): Promise<string> {
  const mapId = WORKSPACE_TEMPLATE.exec(templateId)?.[1];
  const listed = mapId === undefined ? undefined : (await options.store.listMaps()).find((map) => map.id === mapId);
  if (!listed?.isTemplate || listed.deletedAt !== null) {
    throw new HttpError(404, `no workspace template ${JSON.stringify(templateId)}; it may have been deleted`);
  }
  return listed.id;
}

/**
 * `GET /api/templates`: the built-in templates for everyone; with a workspace link, the
 * workspace's own templates too (their content is the workspace's, so only its members see it).
 * A link that is unknown, revoked or expired gets the built-ins, as no link does: the page that
 * asks is starting a map, and its library says what became of the link.
 */
export function templatesRoutes(options: TemplatesRoutesOptions): Router {
  const router = Router();
  const builtIn: TemplateChoice[] = templateIds.filter(isTemplateId).map((id) => {
    const template = templateById(id);
    return {
      id,
      name: template.name,
      description: template.description,
      suggestedGoal: template.suggestedGoal,
      stages: [...template.stages],
      source: 'built-in',
    };
  });

  router.get('/api/templates', async (req, res) => {
    const token = workspaceToken(req);
    if (token === undefined || !(await options.links.forWorkspace(token)).ok) {
      res.json(builtIn);
      return;
    }
    const saved = (await options.store.listMaps()).filter((map) => map.isTemplate && map.deletedAt === null);
    const read = await Promise.all(
      saved.map(async ({ id }): Promise<TemplateChoice | null> => {
        try {
          return await readMapThroughRoom(options, id, (doc) => {
            const map = readMap(doc);
            return {
              id: `workspace:${id}`,
              name: map.meta.title,
              description: map.meta.goal,
              suggestedGoal: map.meta.goal,
              stages: map.stages.map((stage) => stage.name),
              source: 'workspace' as const,
            };
          });
        } catch (error) {
          // Deleted meanwhile, or unreadable: the other templates are still offered.
          options.logger.warn({ err: error, mapId: id }, 'templates: workspace template could not be read; left out');
          return null;
        }
      }),
    );
    const workspace = read.filter((choice) => choice !== null).sort((a, b) => a.name.localeCompare(b.name));
    res.json([...workspace, ...builtIn]);
  });

  return router;
}

import { Router, type Request } from 'express';
import { z } from 'zod';
import type { LinkAuthority, ListedLink } from '../access/link-authority.js';
import { WORKSPACE_ROLES } from '../access/roles.js';
import { HttpError } from './http-error.js';
import { linkExpiry } from './link-expiry.js';
import { requestToken } from './map-access.js';

export interface WorkspaceRoutesOptions {
  links: LinkAuthority;
  publicUrl: string;
}

const newLinkBody = z.object({
  role: z.enum(WORKSPACE_ROLES, { message: `role must be one of: ${WORKSPACE_ROLES.join(', ')}` }),
  label: z.string().trim().max(200, 'label must be at most 200 characters').optional(),
  expiresAt: z.union([z.number().int(), z.string()]).nullable().optional(),
});

/** Workspace links (admin or member), managed by a workspace admin: list, make, revoke. */
export function workspaceRoutes(options: WorkspaceRoutesOptions): Router {
  const { links } = options;
  const router = Router();
  const shown = (link: ListedLink) => ({
    id: link.id,
    role: link.role,
    label: link.label,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    lastUsedAt: link.lastUsedAt,
    revokedAt: link.revokedAt,
    url: `${options.publicUrl}/#workspace=${link.token}`,
  });

  const admin = async (req: Request) => {
    const access = await links.forWorkspace(requestToken(req));
    if (!access.ok) throw new HttpError(access.status, access.reason);
    if (access.role !== 'admin') throw new HttpError(403, 'only a workspace admin may manage workspace links');
  };

  router.get('/api/workspace/links', async (req, res) => {
    await admin(req);
    res.json((await links.workspaceLinks()).map(shown));
  });

  router.post('/api/workspace/links', async (req, res) => {
    await admin(req);
    const parsed = newLinkBody.safeParse(req.body);
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { role, label, expiresAt } = parsed.data;
    const link = await links.issue({ mapId: null, role, label: label ?? '', expiresAt: linkExpiry(expiresAt) });
    res.status(201).json({ ...shown(link), token: link.token });
  });

  router.delete('/api/workspace/links/:linkId', async (req, res) => {
    await admin(req);
    if (!(await links.revoke(req.params.linkId, null)))
      throw new HttpError(404, 'the workspace has no such link, or it was revoked already');
    res.status(204).end();
  });

  return router;
}

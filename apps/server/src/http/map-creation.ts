import { readMeta, serverOrigin } from '@waymark/model';
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import * as Y from 'yjs';
import type { LinkAuthority } from '../access/link-authority.js';
import { ROLES } from '../access/roles.js';
import type { MapStore } from '../storage/map-store.js';
import { HttpError } from './http-error.js';
import { workspaceToken } from './map-access.js';
import { AddressRateLimit } from './rate-limit.js';

export interface MapCreationOptions {
  store: MapStore;
  links: LinkAuthority;
  publicUrl: string;
  /** Maps one client address may create per minute. */
  mapCreationRate: number;
  /** Who may create maps: workspace links only, or anyone. */
  mapCreation: 'workspace' | 'anyone';
  /** Where a request came from, for the rate (see ClientAddresses). */
  clientAddress(req: Request): string;
}

const newMapId = () => randomBytes(12).toString('base64url');

/**
 * Making a new map, whichever route makes it (from a template, a copy, a version, an import):
 * who may, how often, and how it is stored and answered.
 */
export class MapCreation {
  readonly #creations: AddressRateLimit;

  constructor(readonly options: MapCreationOptions) {
    this.#creations = new AddressRateLimit(options.mapCreationRate);
  }

  /**
   * A new map may be made only by a workspace link (unless MAP_CREATION=anyone), a few a minute
   * per address. Workspace templates (made or started from) always need the link: what they hold
   * is the workspace's.
   */
  async mayCreate(req: Request, res: Response, forTemplate = false): Promise<void> {
    const { options } = this;
    if (options.mapCreation === 'workspace' || forTemplate) {
      const access = await options.links.forWorkspace(workspaceToken(req));
      if (!access.ok) {
        const what = forTemplate ? 'workspace templates need' : 'creating maps needs';
        throw new HttpError(
          access.status,
          access.status === 401
            ? `${what} a workspace link; ask your Waymark admin for one (whoever started the server finds the admin link in its log)`
            : `your workspace link no longer works: ${access.reason}`,
        );
      }
    }
    const wait = this.#creations.take(options.clientAddress(req));
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new HttpError(429, `at most ${options.mapCreationRate} maps a minute from one address; try again in ${wait} s`);
    }
  }

  /** Stores a new map from `doc`, with its summary and one link per role; answers 201 with them. */
  async store(res: Response, doc: Y.Doc, isTemplate = false): Promise<string> {
    const { store, links } = this.options;
    const id = newMapId();
    const now = Date.now();
    const meta = readMeta(doc);
    await store.createMap(id, Y.encodeStateAsUpdate(doc), now);
    await store.updateSummary(id, { title: meta.title, goal: meta.goal, template: meta.template, updatedAt: now, updatedBy: null });
    if (isTemplate) await store.setTemplate(id, true);
    const created = await links.createMapLinks(id);
    // Read on each request: with PORT=0 the public URL is known only once the server listens.
    const link = (token: string) => `${this.options.publicUrl}/maps/${id}#token=${token}`;
    res.status(201).json({
      id,
      links: Object.fromEntries(ROLES.map((role) => [role, link(created[role].token)])),
      ...(isTemplate ? { isTemplate } : {}),
    });
    return id;
  }
}

/** A copy of `state` as a document of its own, with `changes` written into its meta as the server, and a new creation time. */
export function copyOfState(state: Uint8Array, changes: (meta: Y.Map<unknown>) => void): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, state);
  Y.transact(
    copy,
    () => {
      const meta = copy.getMap('meta');
      changes(meta);
      meta.set('createdAt', Date.now());
    },
    serverOrigin(),
  );
  return copy;
}

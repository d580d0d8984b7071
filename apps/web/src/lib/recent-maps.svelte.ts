import { isMapRole, MAP_ROLES, type MapRole } from './map-role';
import { decodeShareLinks, type ShareLinks } from './share-links';

export type { MapRole } from './map-role';

/**
 * The maps this browser created or opened, with their links, newest first. Links carry
 * their role, so this list is what lets a creator find the links for each role again;
 * it never leaves the browser.
 */

export interface RecentMap {
  readonly id: string;
  readonly title: string;
  /** The link this browser opens the map with. */
  readonly link: string;
  readonly role: MapRole;
  /** Links handed out at creation; only the creator has them. */
  readonly shareLinks?: ShareLinks;
  readonly openedAt: number;
}

const STORAGE_KEY = 'waymark.recentMaps';
const MAX_ENTRIES = 50;

function decodeEntry(value: unknown): RecentMap | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { id, title, link, role, openedAt, shareLinks } = record;
  if (typeof id !== 'string' || typeof title !== 'string' || typeof link !== 'string') return null;
  if (!isMapRole(role) || typeof openedAt !== 'number') return null;
  const links = decodeShareLinks(shareLinks);
  return { id, title, link, role, openedAt, ...(links ? { shareLinks: links } : {}) };
}

function load(storage: Storage | null): RecentMap[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.map(decodeEntry).filter((entry): entry is RecentMap => entry !== null);
  } catch {
    return [];
  }
}

export class RecentMaps {
  #entries = $state.raw<RecentMap[]>([]);
  readonly #storage: Storage | null;

  constructor(storage: Storage | null = globalThis.localStorage ?? null) {
    this.#storage = storage;
    this.#entries = load(storage);
  }

  get entries(): readonly RecentMap[] {
    return this.#entries;
  }

  find(id: string): RecentMap | undefined {
    return this.#entries.find((entry) => entry.id === id);
  }

  /**
   * Records a visit. A weaker link never replaces a stronger one already kept (opening a
   * viewer link to your own map should not lose your owner link).
   */
  remember(entry: Omit<RecentMap, 'openedAt'>): void {
    const existing = load(this.#storage).find((candidate) => candidate.id === entry.id);
    const keepOld = existing !== undefined && rank(existing.role) < rank(entry.role);
    const merged: RecentMap = {
      id: entry.id,
      title: entry.title || existing?.title || 'Untitled map',
      link: keepOld ? existing.link : entry.link,
      role: keepOld ? existing.role : entry.role,
      openedAt: Date.now(),
      ...((entry.shareLinks ?? existing?.shareLinks) ? { shareLinks: entry.shareLinks ?? existing?.shareLinks } : {}),
    };
    this.#write([merged, ...load(this.#storage).filter((other) => other.id !== entry.id)]);
  }

  /** Keeps the listed title current without reordering the list. */
  retitle(id: string, title: string): void {
    const entries = load(this.#storage);
    const index = entries.findIndex((entry) => entry.id === id);
    const entry = entries[index];
    if (entry === undefined || entry.title === title || title === '') return;
    entries[index] = { ...entry, title };
    this.#write(entries);
  }

  forget(id: string): void {
    this.#write(load(this.#storage).filter((entry) => entry.id !== id));
  }

  #write(entries: RecentMap[]): void {
    const kept = entries.slice(0, MAX_ENTRIES);
    this.#entries = kept;
    try {
      this.#storage?.setItem(STORAGE_KEY, JSON.stringify(kept));
    } catch {
      // Storage full or blocked: the list still works for this visit.
    }
  }
}

function rank(role: MapRole): number {
  return MAP_ROLES.indexOf(role);
}

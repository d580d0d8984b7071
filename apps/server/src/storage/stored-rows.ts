import type { LinkRecord, RoundRecord } from './map-store.js';

/**
 * Rows as both SQL stores keep them (the same columns in SQLite and PostgreSQL), and the records
 * they are read as.
 */

export interface LinkRow {
  id: string;
  map_id: string | null;
  role: string;
  label: string;
  /** SQLite keeps booleans as 0 and 1; PostgreSQL as booleans. */
  personal: number | boolean;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export const linkRecord = (row: LinkRow): LinkRecord => ({
  id: row.id,
  mapId: row.map_id,
  role: row.role,
  label: row.label,
  personal: row.personal === true || row.personal === 1,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

export interface RoundRow {
  id: string;
  map_id: string;
  kind: string;
  settings: string;
  opened_at: number;
  closed_at: number | null;
  outcome: 'revealed' | 'cancelled' | null;
}

export const roundRecord = (row: RoundRow): RoundRecord => ({
  id: row.id,
  mapId: row.map_id,
  kind: row.kind,
  settings: row.settings,
  openedAt: row.opened_at,
  closedAt: row.closed_at,
  outcome: row.outcome,
});

/** `%`, `_` and the escape itself match only themselves in a LIKE pattern. */
export const likeEscaped = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

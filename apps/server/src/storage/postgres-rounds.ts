import type { NewRound, RoundEntry, RoundRecord } from './map-store.js';
import type { PostgresConnection } from './postgres-connection.js';
import { roundRecord, type RoundRow } from './stored-rows.js';

/**
 * Sealed workshop rounds and what people submit to them. Several nodes may serve one workshop:
 * every write that needs the round open holds its row while it writes, so a close on another node
 * comes wholly before or wholly after it.
 */
export class PostgresRounds {
  constructor(readonly db: PostgresConnection) {}

  async create(round: NewRound): Promise<void> {
    await this.db.query('opening a round', 'INSERT INTO rounds (id, map_id, kind, settings, opened_at) VALUES ($1, $2, $3, $4, $5)', [
      round.id,
      round.mapId,
      round.kind,
      round.settings,
      round.openedAt,
    ]);
  }

  async get(id: string): Promise<RoundRecord | null> {
    const { rows } = await this.db.query<RoundRow>('reading a round', 'SELECT * FROM rounds WHERE id = $1', [id]);
    return rows[0] ? roundRecord(rows[0]) : null;
  }

  async list(mapId: string): Promise<RoundRecord[]> {
    const { rows } = await this.db.query<RoundRow>('listing rounds', 'SELECT * FROM rounds WHERE map_id = $1 ORDER BY opened_at, pos', [
      mapId,
    ]);
    return rows.map(roundRecord);
  }

  /**
   * One statement that holds the open round's row (FOR SHARE) while it writes: a close on another
   * node waits for it, or it sees the round closed and stores nothing. No entry lands after a reveal.
   */
  async putEntry(entry: RoundEntry): Promise<boolean> {
    const result = await this.db.query(
      'storing a round entry',
      `WITH open_round AS (SELECT id FROM rounds WHERE id = $1 AND closed_at IS NULL FOR SHARE)
       INSERT INTO round_entries (round_id, voter, entry_id, voter_name, body, at)
       SELECT id, $2, $3, $4, $5, $6 FROM open_round
       ON CONFLICT (round_id, voter, entry_id) DO UPDATE SET voter_name = excluded.voter_name, body = excluded.body, at = excluded.at`,
      [entry.roundId, entry.voter, entry.entryId, entry.voterName, entry.body, entry.at],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async deleteEntry(roundId: string, voter: string, entryId: string): Promise<boolean> {
    const result = await this.db.query(
      'removing a round entry',
      `WITH open_round AS (SELECT id FROM rounds WHERE id = $1 AND closed_at IS NULL FOR SHARE)
       DELETE FROM round_entries WHERE round_id IN (SELECT id FROM open_round) AND voter = $2 AND entry_id = $3`,
      [roundId, voter, entryId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async listEntries(roundId: string, voter?: string): Promise<RoundEntry[]> {
    const { rows } = await this.db.query<{
      round_id: string;
      voter: string;
      entry_id: string;
      voter_name: string;
      body: string;
      at: number;
    }>(
      'reading round entries',
      'SELECT round_id, voter, entry_id, voter_name, body, at FROM round_entries WHERE round_id = $1 AND ($2::text IS NULL OR voter = $2) ORDER BY pos',
      [roundId, voter ?? null],
    );
    return rows.map((row) => ({
      roundId: row.round_id,
      voter: row.voter,
      voterName: row.voter_name,
      entryId: row.entry_id,
      body: row.body,
      at: row.at,
    }));
  }

  /** One statement: the close and (for a cancel) the removal of the entries commit together. */
  async close(id: string, outcome: 'revealed' | 'cancelled', at: number): Promise<boolean> {
    const { rows } = await this.db.query<{ closed: number }>(
      'closing a round',
      `WITH closed AS (UPDATE rounds SET closed_at = $2, outcome = $3 WHERE id = $1 AND closed_at IS NULL RETURNING id),
       removed AS (DELETE FROM round_entries WHERE $3 = 'cancelled' AND round_id IN (SELECT id FROM closed))
       SELECT count(*) AS closed FROM closed`,
      [id, at, outcome],
    );
    return rows[0]?.closed === 1;
  }
}

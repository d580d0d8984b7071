import { UnknownMapError, type NewSurveyImport, type SurveyImportRecord, type Verbatim, type VerbatimQuery } from './map-store.js';
import { FOREIGN_KEY_VIOLATION, codeOf, type PostgresConnection } from './postgres-connection.js';
import { likeEscaped } from './stored-rows.js';

interface SurveyImportRow {
  id: string;
  map_id: string;
  file_name: string;
  imported_at: number;
  imported_by: string | null;
  state: 'pending' | 'done';
  row_count: number;
  verbatim_count: number;
  metric_count: number;
}

const surveyImportRecord = (row: SurveyImportRow): SurveyImportRecord => ({
  id: row.id,
  mapId: row.map_id,
  fileName: row.file_name,
  importedAt: row.imported_at,
  importedBy: row.imported_by,
  state: row.state,
  rows: row.row_count,
  verbatims: row.verbatim_count,
  metrics: row.metric_count,
});

/** Survey imports and their verbatims, kept beside the maps they belong to. */
export class PostgresSurveyImports {
  constructor(readonly db: PostgresConnection) {}

  async begin(entry: NewSurveyImport): Promise<void> {
    try {
      await this.db.query(
        'starting a survey import',
        "INSERT INTO survey_imports (id, map_id, file_name, imported_at, imported_by, state) VALUES ($1, $2, $3, $4, $5, 'pending')",
        [entry.id, entry.mapId, entry.fileName, entry.importedAt, entry.importedBy],
      );
    } catch (error) {
      if (codeOf(error) === FOREIGN_KEY_VIOLATION) throw new UnknownMapError(entry.mapId);
      throw error;
    }
  }

  async addVerbatims(verbatims: readonly Verbatim[]): Promise<void> {
    if (verbatims.length === 0) return;
    await this.db.transaction('adding verbatims', async (client) => {
      const importIds = [...new Set(verbatims.map((v) => v.importId))];
      // Held until the commit, so the import cannot be finished or removed half-way through.
      const { rows } = await client.query<{ id: string }>(
        "SELECT id FROM survey_imports WHERE id = ANY($1) AND state = 'pending' FOR SHARE",
        [importIds],
      );
      const pending = new Set(rows.map((row) => row.id));
      const notPending = importIds.find((id) => !pending.has(id));
      if (notPending !== undefined) throw new Error(`import ${notPending} is not pending`);
      await client.query(
        `INSERT INTO verbatims (import_id, file_row, stage_id, persona_id, channel, score, day, body)
         SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::double precision[], $7::text[], $8::text[])`,
        [
          verbatims.map((v) => v.importId),
          verbatims.map((v) => v.row),
          verbatims.map((v) => v.stageId),
          verbatims.map((v) => v.personaId),
          verbatims.map((v) => v.channel),
          verbatims.map((v) => v.score),
          verbatims.map((v) => v.date),
          verbatims.map((v) => v.text),
        ],
      );
    });
  }

  async finish(importId: string, counts: Pick<SurveyImportRecord, 'rows' | 'verbatims' | 'metrics'>): Promise<boolean> {
    const result = await this.db.query(
      'finishing a survey import',
      "UPDATE survey_imports SET state = 'done', row_count = $2, verbatim_count = $3, metric_count = $4 WHERE id = $1 AND state = 'pending'",
      [importId, counts.rows, counts.verbatims, counts.metrics],
    );
    return result.rowCount === 1;
  }

  async delete(mapId: string, importId: string): Promise<boolean> {
    // Its verbatims go with it (ON DELETE CASCADE), in the same statement.
    const result = await this.db.query('removing a survey import', 'DELETE FROM survey_imports WHERE id = $1 AND map_id = $2', [
      importId,
      mapId,
    ]);
    return result.rowCount === 1;
  }

  async list(mapId: string): Promise<SurveyImportRecord[]> {
    const { rows } = await this.db.query<SurveyImportRow>(
      'listing survey imports',
      "SELECT * FROM survey_imports WHERE map_id = $1 AND state = 'done' ORDER BY imported_at DESC, pos DESC",
      [mapId],
    );
    return rows.map(surveyImportRecord);
  }

  async search(mapId: string, query: VerbatimQuery): Promise<Verbatim[]> {
    const { rows } = await this.db.query<{
      import_id: string;
      file_row: number;
      stage_id: string;
      persona_id: string;
      channel: string;
      score: number | null;
      day: string;
      body: string;
    }>(
      'searching verbatims',
      // ILIKE folds case with the database's collation, for every alphabet.
      `SELECT v.* FROM verbatims v JOIN survey_imports i ON i.id = v.import_id
       WHERE i.map_id = $1 AND i.state = 'done' AND ($2::text IS NULL OR v.stage_id = $2) AND ($3::text IS NULL OR v.body ILIKE $3 ESCAPE '\\')
       ORDER BY i.imported_at DESC, i.pos DESC, v.file_row LIMIT $4`,
      [mapId, query.stageId ?? null, query.text ? `%${likeEscaped(query.text)}%` : null, query.limit],
    );
    return rows.map((row) => ({
      importId: row.import_id,
      row: row.file_row,
      stageId: row.stage_id,
      personaId: row.persona_id,
      channel: row.channel,
      score: row.score,
      date: row.day,
      text: row.body,
    }));
  }

  async purgePending(): Promise<number> {
    const result = await this.db.query('removing unfinished survey imports', "DELETE FROM survey_imports WHERE state = 'pending'");
    return result.rowCount ?? 0;
  }
}

import type pg from 'pg';

/**
 * One step of the PostgreSQL schema. Steps are only ever added at the end, never edited once
 * released: a database records how many it has run, and runs the rest at the next start.
 */
export interface PostgresMigration {
  /** Stable and unique; kept in the database beside the step's number. */
  id: string;
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    id: '0001-maps-log-links-versions-activity-rounds-imports',
    sql: `
CREATE TABLE maps (
  id text PRIMARY KEY,
  created_at bigint NOT NULL,
  snapshot bytea,
  snapshot_seq bigint NOT NULL,
  snapshot_crc bigint,
  -- The newest sequence number handed out: appends take theirs from here under the row's lock.
  last_seq bigint NOT NULL,
  summary jsonb,
  deleted_at bigint,
  is_template boolean NOT NULL DEFAULT false,
  damage jsonb
);
CREATE TABLE updates (
  map_id text NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  data bytea NOT NULL,
  crc bigint NOT NULL,
  stored_at bigint NOT NULL,
  PRIMARY KEY (map_id, seq)
);
CREATE TABLE links (
  id text PRIMARY KEY,
  map_id text,
  role text NOT NULL,
  label text NOT NULL,
  personal boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  expires_at bigint,
  revoked_at bigint,
  last_used_at bigint
);
CREATE INDEX links_by_map ON links (map_id, created_at);
CREATE TABLE versions (
  map_id text NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
  id text NOT NULL,
  kind text NOT NULL,
  name text,
  created_at bigint NOT NULL,
  created_by text,
  state bytea NOT NULL,
  state_crc bigint NOT NULL,
  PRIMARY KEY (map_id, id)
);
CREATE INDEX versions_by_time ON versions (map_id, created_at);
CREATE TABLE activity (
  pos bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  map_id text NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
  started_at bigint NOT NULL,
  ended_at bigint NOT NULL,
  person text,
  link text,
  role text NOT NULL,
  records jsonb NOT NULL
);
CREATE INDEX activity_by_time ON activity (map_id, ended_at);
CREATE TABLE rounds (
  id text PRIMARY KEY,
  pos bigint GENERATED ALWAYS AS IDENTITY,
  map_id text NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
  kind text NOT NULL,
  settings text NOT NULL,
  opened_at bigint NOT NULL,
  closed_at bigint,
  outcome text
);
CREATE INDEX rounds_by_map ON rounds (map_id, opened_at);
CREATE TABLE round_entries (
  round_id text NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
  voter text NOT NULL,
  entry_id text NOT NULL,
  pos bigint GENERATED ALWAYS AS IDENTITY,
  voter_name text NOT NULL,
  body text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (round_id, voter, entry_id)
);
CREATE TABLE survey_imports (
  id text PRIMARY KEY,
  pos bigint GENERATED ALWAYS AS IDENTITY,
  map_id text NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
  file_name text NOT NULL,
  imported_at bigint NOT NULL,
  imported_by text,
  state text NOT NULL,
  row_count integer NOT NULL DEFAULT 0,
  verbatim_count integer NOT NULL DEFAULT 0,
  metric_count integer NOT NULL DEFAULT 0
);
CREATE INDEX survey_imports_by_map ON survey_imports (map_id, imported_at);
CREATE TABLE verbatims (
  import_id text NOT NULL REFERENCES survey_imports (id) ON DELETE CASCADE,
  file_row integer NOT NULL,
  stage_id text NOT NULL,
  persona_id text NOT NULL,
  channel text NOT NULL,
  score double precision,
  day text NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (import_id, file_row)
);
CREATE INDEX verbatims_by_stage ON verbatims (stage_id, import_id);
CREATE TABLE damaged_parts (
  map_id text NOT NULL,
  part text NOT NULL,
  seq bigint NOT NULL,
  data bytea,
  kept_at bigint NOT NULL
);
`,
  },
];

/** Any constant of Waymark's own: the advisory lock that lets one node at a time migrate. */
const MIGRATION_LOCK = 0x5761_796d;

/**
 * Brings the database's schema up to `migrations`, in one transaction: all the missing steps or
 * none. Nodes starting together take turns on an advisory lock, so each step runs once. Returns
 * the numbers of the steps it ran (none when the schema was current).
 */
export async function migratePostgres(
  client: pg.ClientBase,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS waymark_schema (version integer PRIMARY KEY, id text NOT NULL UNIQUE, applied_at bigint NOT NULL)',
    );
    const applied = await client.query<{ version: number; id: string }>('SELECT version, id FROM waymark_schema ORDER BY version');
    const known = applied.rows.length;
    if (known > migrations.length) {
      const newest = applied.rows[known - 1]!;
      throw new Error(
        `the database's schema is at version ${newest.version} (${newest.id}), newer than this server knows (${migrations.length}): run a newer Waymark`,
      );
    }
    applied.rows.forEach((row, i) => {
      if (row.id !== migrations[i]!.id)
        throw new Error(`the database's schema step ${row.version} is "${row.id}", where this server expects "${migrations[i]!.id}"`);
    });
    const ran: number[] = [];
    for (let version = known + 1; version <= migrations.length; version++) {
      const step = migrations[version - 1]!;
      await client.query(step.sql);
      await client.query('INSERT INTO waymark_schema (version, id, applied_at) VALUES ($1, $2, $3)', [version, step.id, Date.now()]);
      ran.push(version);
    }
    await client.query('COMMIT');
    return ran;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

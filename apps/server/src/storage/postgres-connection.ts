import pg from 'pg';
import { CorruptMapError, UnknownMapError } from './map-store.js';
import { migratePostgres, type PostgresMigration } from './postgres-schema.js';

export interface PostgresConnectionOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** Connections this node keeps open at most. */
  poolSize?: number;
  /** A statement running (or waiting for a lock) longer than this is cancelled and its call rejects. */
  statementTimeoutMs?: number;
  /** Told of a connection lost while idle in the pool; the pool replaces it by itself. */
  onConnectionError?: (error: Error) => void;
  /** The schema steps to run at start; the tests add steps to show later versions migrate. */
  migrations?: readonly PostgresMigration[];
}

/** A call to the store that PostgreSQL refused or could not serve, with what was being done. */
export class PostgresStoreError extends Error {
  /** PostgreSQL's SQLSTATE, or the driver's code for a connection failure. */
  readonly code: string | undefined;
  /** The database could not be reached or went away mid-call (isStoreUnreachable). */
  readonly storeUnreachable: boolean;
  constructor(operation: string, cause: unknown) {
    super(`PostgreSQL storage: ${operation} failed: ${cause instanceof Error ? cause.message || cause.name : String(cause)}`, { cause });
    this.name = 'PostgresStoreError';
    this.code = codeOf(cause);
    this.storeUnreachable = isConnectionFailure(cause);
  }
}

/** Socket errors: the server is down, out of reach, or the connection broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** SQLSTATEs of a server going away or not taking connections: class 08, and the 57P0x shutdowns. */
const SERVER_GONE = /^(08...|57P0[123])$/;

/**
 * Whether an error from the driver means PostgreSQL cannot be reached, rather than that it refused
 * the statement. node-postgres gives its own connection failures (a connection that ended, a
 * connect that timed out) no code, only these messages.
 */
function isConnectionFailure(error: unknown): boolean {
  if (error instanceof PostgresStoreError) return error.storeUnreachable;
  const code = codeOf(error);
  if (code !== undefined) return SOCKET_CODES.has(code) || SERVER_GONE.test(code);
  const message = error instanceof Error ? error.message : '';
  return /^Connection terminated|timeout exceeded when trying to connect|not queryable/.test(message);
}

export const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};
export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

/** bigint columns (times in ms, sequence numbers, checksums) all fit a double exactly. */
const bigintAsNumber = (value: string) => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? bigintAsNumber
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * One node's pool of connections to the database, usable once the schema is in place: every call
 * waits for it, and fails with PostgresStoreError, naming what it was doing, when PostgreSQL refuses.
 */
export class PostgresConnection {
  readonly #pool: pg.Pool;
  readonly #ready: Promise<void>;
  #probe: Promise<boolean> | null = null;

  constructor(readonly options: PostgresConnectionOptions) {
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: 60_000,
      application_name: 'waymark',
      types,
    });
    this.#pool.on('error', (error) => options.onConnectionError?.(error));
    this.#ready = this.#migrate();
    // Whoever calls (or awaits `ready`) hears of a failed start; nothing else should.
    this.#ready.catch(() => {});
  }

  /** Resolves once the schema is created or migrated; rejects, with why, when the database cannot be reached or is newer. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  async #migrate(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw new PostgresStoreError(`connecting to ${describeTarget(this.options.connectionString)}`, error);
    }
    // A checked-out connection has no listener of the pool's: one lost now must not take the process down.
    let broken: Error | undefined;
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    try {
      await migratePostgres(client, this.options.migrations);
    } catch (error) {
      throw new PostgresStoreError('creating or migrating the schema', error);
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  /**
   * Whether the database answers now (`SELECT 1`, given two seconds at most). Calls made while one
   * is under way share its answer, so a busy health check costs one round trip at a time.
   */
  probe(): Promise<boolean> {
    this.#probe ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 2_000)));
      try {
        return await Promise.race([this.query('checking the database', 'SELECT 1').then(() => true), late]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
        this.#probe = null;
      }
    })();
    return this.#probe;
  }

  async query<R extends pg.QueryResultRow>(operation: string, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    await this.#ready;
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      throw new PostgresStoreError(operation, error);
    }
  }

  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  async transaction<T>(operation: string, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    await this.#ready;
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw new PostgresStoreError(operation, error);
    }
    let broken: Error | undefined;
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      if (error instanceof UnknownMapError || error instanceof CorruptMapError) throw error;
      throw error instanceof PostgresStoreError ? error : new PostgresStoreError(operation, error);
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  /** Closes every connection, once the schema step (if it is still running) has ended. */
  async end(): Promise<void> {
    await this.#ready.catch(() => {});
    await this.#pool.end();
  }
}

/** The server and database of a connection string, without its password, for messages. */
function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `PostgreSQL at ${url.host}${url.pathname}`;
  } catch {
    return 'PostgreSQL (the connection string is not a URL)';
  }
}

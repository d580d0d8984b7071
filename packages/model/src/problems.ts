import type { RecordCollection } from './doc-keys.js';

/**
 * Something a reader found in the document that does not fit the schema. Readers never
 * throw on bad data: they skip the record (`action: 'skipped'`) or, for a decorative field
 * such as a colour or one metric, fall back to a default and keep the record
 * (`action: 'repaired'`). The document itself is not changed by reading.
 */
export interface Problem {
  readonly collection: RecordCollection;
  readonly id: string;
  readonly reason: string;
  readonly action: 'skipped' | 'repaired';
}

/** Thrown inside a record parser to skip that record; never escapes a reader. */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
}

export function invalid(reason: string): never {
  throw new InvalidRecordError(reason);
}

/**
 * Runs `parse` for one record and turns an InvalidRecordError into a skipped problem.
 * Other errors are bugs in the model and are rethrown.
 */
export function parseOrReport<T>(collection: RecordCollection, id: string, problems: Problem[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InvalidRecordError)) throw error;
    problems.push({ collection, id, reason: error.message, action: 'skipped' });
    return undefined;
  }
}

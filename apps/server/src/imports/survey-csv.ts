import { CsvError, parse, type Options } from 'csv-parse';

/**
 * Reading a survey or analytics export: UTF-8 text only, split by a comma, semicolon or tab.
 * Everything here works on a stream of bytes, so a 50 MB file never sits in memory whole.
 */

export const DELIMITERS = { comma: ',', semicolon: ';', tab: '\t' } as const;
export type DelimiterName = keyof typeof DELIMITERS;
export const DELIMITER_NAMES = Object.keys(DELIMITERS) as DelimiterName[];
const DELIMITER_WORDS: Record<DelimiterName, string> = { comma: "','", semicolon: "';'", tab: 'a tab' };

/** The longest row a file may hold; past it, a quote was almost surely left open. */
export const MAX_ROW_BYTES = 1024 * 1024;

/** Why a file cannot be imported: where (row and column when known), and what was expected. */
export class SurveyImportError extends Error {
  constructor(
    message: string,
    readonly row: number | null = null,
    readonly column: string | null = null,
    /** 413 when the file is too large; 400 for everything else wrong with it. */
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
    this.name = 'SurveyImportError';
  }
}

export const megabytes = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export function tooLarge(limitBytes: number): SurveyImportError {
  return new SurveyImportError(
    `the file is larger than ${megabytes(limitBytes)}, the most one import takes; split it by date`,
    null,
    null,
    413,
  );
}

const notUtf8 = (row: number) =>
  new SurveyImportError(`the file is not UTF-8 text (first bad byte at row ${row}); save it as "CSV UTF-8" and import it again`, row);

/** 1 + the line breaks in `bytes[0, end)`. */
function countLines(bytes: Uint8Array, end: number): number {
  let lines = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) lines++;
  return lines;
}

/** Where the first byte that is not UTF-8 sits in `bytes` (used only to say where, once decoding failed). */
function firstBadByte(bytes: Uint8Array): number {
  // Halving the prefix finds the first failing byte in log(n) decodes.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const middle = (good + bad) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
      good = middle;
    } catch {
      bad = middle;
    }
  }
  return good;
}

/**
 * Turns a stream of bytes into text: counts them against `limitBytes` (a file that says it is
 * smaller than it is stops there), refuses UTF-16 and bytes that are not UTF-8 with the row of
 * the first bad one, and drops a UTF-8 byte-order mark.
 */
export async function* decodeUtf8(source: AsyncIterable<Uint8Array>, limitBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let received = 0;
  let linesBefore = 1;
  let first = true;
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of source) {
    received += chunk.byteLength;
    if (received > limitBytes) throw tooLarge(limitBytes);
    if (first && chunk.byteLength > 0) {
      first = false;
      const utf16Bom = (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff);
      // Text has no NUL characters; UTF-16 without its mark has one beside every ASCII letter.
      if (utf16Bom || chunk.subarray(0, 1024).includes(0)) {
        throw new SurveyImportError('the file is UTF-16 text, not UTF-8; save it as "CSV UTF-8" and import it again', 1);
      }
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      // The bytes held over from the last chunk (an unfinished character) come first.
      const joined = new Uint8Array(carry.byteLength + chunk.byteLength);
      joined.set(carry);
      joined.set(chunk, carry.byteLength);
      const bad = firstBadByte(joined) - carry.byteLength;
      throw notUtf8(linesBefore + countLines(chunk, Math.max(0, bad)));
    }
    linesBefore += countLines(chunk, chunk.byteLength);
    carry = chunk.subarray(Math.max(0, chunk.byteLength - 3));
    if (text !== '') yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } catch {
    throw notUtf8(linesBefore);
  }
}

/** How often `delimiter` appears outside quotes in `line`. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === delimiter) count++;
  }
  return count;
}

/** The delimiter that splits the header line most; a comma when none does. */
export function detectDelimiter(headerLine: string): DelimiterName {
  let best: DelimiterName = 'comma';
  let bestCount = 0;
  for (const name of DELIMITER_NAMES) {
    const count = countOutsideQuotes(headerLine, DELIMITERS[name]);
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}

/** The header as read with `delimiter`, refused when it is empty, has one column another delimiter would split, or repeats a name. */
export function checkHeader(header: readonly string[], delimiter: DelimiterName): string[] {
  const names = header.map((name) => name.trim());
  if (names.length === 1 && names[0] === '') throw new SurveyImportError('the file is empty');
  if (names.every((name) => name === '')) throw new SurveyImportError('the first row has no column names: it should be the header', 1);
  if (names.length === 1) {
    const better = detectDelimiter(names[0]!);
    if (better !== delimiter && countOutsideQuotes(names[0]!, DELIMITERS[better]) > 0) {
      throw new SurveyImportError(`only one column found: is the delimiter ${DELIMITER_WORDS[better]}?`, 1);
    }
  }
  return names;
}

/** csv-parse's options for a survey file: records as string arrays, column counts checked by the caller. */
export function csvOptions(delimiter: DelimiterName): Options {
  return {
    delimiter: DELIMITERS[delimiter],
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_ROW_BYTES,
  };
}

export function csvParser(delimiter: DelimiterName) {
  return parse(csvOptions(delimiter));
}

/** A csv-parse error said in the user's terms, with the spreadsheet row (the header is row 1). */
export function fromCsvError(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const context = error as CsvError & { records?: number; lines?: number };
  const row = (context.records ?? 0) + 1;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new SurveyImportError(`row ${row}: a quote opens a value and is never closed`, row);
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new SurveyImportError(
        `row ${row}: a quote sits inside a value; a value with quotes must be wrapped in quotes and each quote doubled ("")`,
        row,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new SurveyImportError(`row ${row} is longer than ${megabytes(MAX_ROW_BYTES)}: is a quote left open above it?`, row);
    default:
      return new SurveyImportError(`row ${row}: ${error.message.replace(/^[A-Za-z ]+:\s*/, '')}`, row);
  }
}

/** A row whose length differs from the header's. */
export function raggedRow(row: number, expected: number, found: number): SurveyImportError {
  return new SurveyImportError(`row ${row}: expected ${expected} columns, found ${found}`, row);
}

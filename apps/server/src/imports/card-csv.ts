import type { MapSnapshot } from '@waymark/model';
import { CsvError, parse } from 'csv-parse/sync';

/** Which column holds what: stage, lane and text are needed; personas and tags may be left out. */
export interface CardColumns {
  stage: string;
  lane: string;
  text: string;
  personas?: string | undefined;
  tags?: string | undefined;
}

/** A row read as a card for this map: where it goes and what it says. */
export interface ImportedCard {
  /** The row's number in the file, counting the header as row 1 (as a spreadsheet shows it). */
  row: number;
  stageId: string;
  laneId: string;
  text: string;
  personaIds: string[];
  tags: string[];
}

/** Why a file cannot be imported: where (row and column when known), and what was expected. */
export class CardImportError extends Error {
  constructor(
    message: string,
    readonly row: number | null = null,
    readonly column: string | null = null,
  ) {
    super(message);
    this.name = 'CardImportError';
  }
}

/** Rows one import takes at most. */
export const MAX_IMPORTED_CARDS = 5000;
const MAX_TEXT = 5000;

/** The file's rows as text, the header first. Fails on a malformed file with the row it stopped at. */
export function readCsv(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') throw new CardImportError('the file is empty');
  let rows: string[][];
  try {
    rows = parse(source, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      delimiter: [',', ';', '\t'],
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new CardImportError(
        `the file is not valid CSV${line ? ` at row ${line}` : ''}: ${error.message.replace(/^[A-Z_]+:\s*/, '')}`,
        line ?? null,
      );
    }
    throw error;
  }
  if (rows.length < 2) throw new CardImportError('the file has a header but no rows');
  if (rows.length - 1 > MAX_IMPORTED_CARDS)
    throw new CardImportError(`the file has ${rows.length - 1} rows; one import takes at most ${MAX_IMPORTED_CARDS}`);
  return rows;
}

const norm = (value: string) => value.trim().toLowerCase();

/** Guesses which column is which from the header's words (Stage, Lane, Text or Card, Personas, Tags). */
export function suggestColumns(header: readonly string[]): Partial<CardColumns> {
  const find = (...words: string[]) => header.find((name) => words.some((word) => norm(name) === word || norm(name).startsWith(word)));
  return {
    stage: find('stage', 'phase', 'step'),
    lane: find('lane', 'row', 'swimlane', 'type'),
    text: find('text', 'card', 'note', 'content', 'description'),
    personas: find('persona'),
    tags: find('tag', 'label'),
  };
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[;,|]/)
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * Reads every row as a card of `map`: its stage and lane by name (or number), personas by name,
 * tags as a list. Nothing is taken unless every row is right; the first wrong one is named with
 * its row and column and what the map has instead.
 */
export function cardsFromRows(rows: readonly string[][], columns: CardColumns, map: MapSnapshot): ImportedCard[] {
  const header = rows[0]!;
  const indexOf = (name: string | undefined, what: string, required: boolean): number | null => {
    if (name === undefined || name === '') {
      if (required) throw new CardImportError(`choose the column that holds the ${what}`);
      return null;
    }
    const index = header.findIndex((column) => column === name);
    if (index < 0)
      throw new CardImportError(`there is no column "${name}" for the ${what} (the columns are: ${header.join(', ')})`, 1, name);
    return index;
  };
  const stageAt = indexOf(columns.stage, 'stage', true)!;
  const laneAt = indexOf(columns.lane, 'lane', true)!;
  const textAt = indexOf(columns.text, 'card text', true)!;
  const personasAt = indexOf(columns.personas, 'personas', false);
  const tagsAt = indexOf(columns.tags, 'tags', false);

  const byName = <T extends { id: string }>(records: readonly T[], name: (record: T) => string) => {
    const found = new Map<string, T>();
    records.forEach((record, index) => {
      found.set(norm(name(record)), record);
      found.set(String(index + 1), record);
    });
    return found;
  };
  const stages = byName(map.stages, (stage) => stage.name);
  const lanes = byName(map.lanes, (lane) => lane.title);
  const personas = byName(map.personas, (persona) => persona.name);
  const names = (records: readonly { name?: string; title?: string }[]) =>
    records.map((record) => `"${record.name ?? record.title}"`).join(', ') || 'none yet';

  return rows.slice(1).map((cells, index) => {
    const row = index + 2;
    const cell = (at: number) => cells[at] ?? '';
    const stage = stages.get(norm(cell(stageAt)));
    if (!stage)
      throw new CardImportError(
        `row ${row}, column "${header[stageAt]}": no stage "${cell(stageAt)}" in this map (it has ${names(map.stages)})`,
        row,
        header[stageAt]!,
      );
    const lane = lanes.get(norm(cell(laneAt)));
    if (!lane)
      throw new CardImportError(
        `row ${row}, column "${header[laneAt]}": no lane "${cell(laneAt)}" in this map (it has ${names(map.lanes)})`,
        row,
        header[laneAt]!,
      );
    const text = cell(textAt);
    if (text === '') throw new CardImportError(`row ${row}, column "${header[textAt]}": the card text is empty`, row, header[textAt]!);
    if (text.length > MAX_TEXT)
      throw new CardImportError(
        `row ${row}, column "${header[textAt]}": the text is ${text.length} characters; a card holds at most ${MAX_TEXT}`,
        row,
        header[textAt]!,
      );
    const personaIds = (personasAt === null ? [] : list(cell(personasAt))).map((name) => {
      const persona = personas.get(norm(name));
      if (!persona)
        throw new CardImportError(
          `row ${row}, column "${header[personasAt!]}": no persona "${name}" in this map (it has ${names(map.personas)})`,
          row,
          header[personasAt!]!,
        );
      return persona.id;
    });
    const tags = tagsAt === null ? [] : list(cell(tagsAt)).map((tag) => tag.slice(0, 40));
    return { row, stageId: stage.id, laneId: lane.id, text, personaIds: [...new Set(personaIds)], tags: [...new Set(tags)] };
  });
}

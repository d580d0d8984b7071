import { compareByOrder, type MapSnapshot } from '@waymark/model';
import { stringify } from 'csv-stringify/sync';

/**
 * The map as a spreadsheet and as a document: what reaches people who never open Waymark.
 */

export const CSV_COLUMNS = ['Stage', 'Lane', 'Text', 'Personas', 'Evidence', 'Tags', 'Colour', 'Author'] as const;

/**
 * A spreadsheet program runs a cell that starts with = + - @ (or a tab or return) as a formula;
 * such a cell is written with a leading apostrophe, which shows the text as typed (OWASP, "CSV
 * injection").
 */
export function csvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Cards in reading order: stage by stage, lane by lane, top to bottom in each cell. */
function cardsInOrder(map: MapSnapshot) {
  const stageIndex = new Map(map.stages.map((stage, index) => [stage.id, index]));
  const laneIndex = new Map(map.lanes.map((lane, index) => [lane.id, index]));
  return [...map.cards].sort(
    (a, b) =>
      (stageIndex.get(a.stageId) ?? 0) - (stageIndex.get(b.stageId) ?? 0) ||
      (laneIndex.get(a.laneId) ?? 0) - (laneIndex.get(b.laneId) ?? 0) ||
      compareByOrder(a, b),
  );
}

/** One row per card: stage, lane, text, personas, evidence, tags, colour and author (UTF-8 with a byte-order mark, for Excel). */
export function mapToCsv(map: MapSnapshot): string {
  const stages = new Map(map.stages.map((stage) => [stage.id, stage.name]));
  const lanes = new Map(map.lanes.map((lane) => [lane.id, lane.title]));
  const personas = new Map(map.personas.map((persona) => [persona.id, persona.name]));
  const rows = cardsInOrder(map).map((card) =>
    [
      stages.get(card.stageId) ?? '',
      lanes.get(card.laneId) ?? '',
      card.text,
      card.personaIds
        .map((id) => personas.get(id) ?? '')
        .filter(Boolean)
        .join('; '),
      card.evidence,
      card.tags.join('; '),
      card.colour,
      card.author,
    ].map(csvCell),
  );
  return `\uFEFF${stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: 'windows' })}`;
}

/** Text as one Markdown line: no line breaks, and characters Markdown would read as markup escaped. */
export function markdownInline(text: string): string {
  const line = text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*_[\]<>|])/g, '\\$1')
    .trim();
  // A line (or list item) that starts with # would be read as a heading.
  return line.startsWith('#') ? `\\${line}` : line;
}

function signed(score: number | null): string {
  if (score === null) return '–';
  return score > 0 ? `+${score}` : String(score);
}

/** Goal, scope, personas, then each stage with its cards by lane, and the emotion curve as numbers. */
export function mapToMarkdown(map: MapSnapshot): string {
  const lines: string[] = [`# ${markdownInline(map.meta.title)}`, ''];
  if (map.meta.goal.trim()) lines.push(`**Why we map this:** ${markdownInline(map.meta.goal)}`, '');
  if (map.meta.scope.trim()) lines.push(`**Scope:** ${markdownInline(map.meta.scope)}`, '');
  if (map.personas.length > 0) {
    lines.push('## Personas', '');
    for (const persona of map.personas) {
      const about = [
        persona.description,
        persona.goals && `Goals: ${persona.goals}`,
        persona.frustrations && `Frustrations: ${persona.frustrations}`,
      ]
        .filter(Boolean)
        .map(markdownInline);
      lines.push(`- **${markdownInline(persona.name)}**${about.length > 0 ? `: ${about.join(' ')}` : ''}`);
    }
    lines.push('');
  }
  const personaNames = new Map(map.personas.map((persona) => [persona.id, persona.name]));
  const cards = cardsInOrder(map);
  map.stages.forEach((stage, index) => {
    lines.push(`## ${index + 1}. ${markdownInline(stage.name)}`, '');
    for (const lane of map.lanes) {
      const inCell = cards.filter((card) => card.stageId === stage.id && card.laneId === lane.id);
      if (inCell.length === 0) continue;
      lines.push(`### ${markdownInline(lane.title)}`, '');
      for (const card of inCell) {
        const extra = [
          card.evidence !== 'assumed' ? card.evidence : '',
          card.personaIds
            .map((id) => personaNames.get(id))
            .filter(Boolean)
            .join(', '),
          card.tags.map((tag) => `#${tag}`).join(' '),
        ].filter(Boolean);
        lines.push(`- ${markdownInline(card.text) || '(empty card)'}${extra.length > 0 ? ` _(${markdownInline(extra.join('; '))})_` : ''}`);
      }
      lines.push('');
    }
  });
  if (map.emotions.length > 0 && map.stages.length > 0) {
    lines.push(
      '## Emotion curve',
      '',
      `| Persona | ${map.stages.map((stage) => markdownInline(stage.name)).join(' | ')} |`,
      `|---|${map.stages.map(() => '---').join('|')}|`,
    );
    const rows = new Map<string, Map<string, string>>();
    for (const point of map.emotions) {
      const value = point.score ?? (point.mean === null ? null : Math.round(point.mean * 10) / 10);
      if (!rows.has(point.personaId)) rows.set(point.personaId, new Map());
      rows.get(point.personaId)!.set(point.stageId, signed(value));
    }
    for (const [personaId, scores] of rows) {
      lines.push(
        `| ${markdownInline(personaNames.get(personaId) ?? 'Persona')} | ${map.stages.map((stage) => scores.get(stage.id) ?? '–').join(' | ')} |`,
      );
    }
    lines.push('', 'Scores run from −3 (very low) to +3 (very high).', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

import { TEMPLATES, templateIds } from '@waymark/model';

/**
 * The starting points "Start a map" offers: the built-in templates, and with a workspace link
 * the workspace's own (maps saved as templates), from `GET /api/templates`.
 */

export interface TemplateChoice {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly suggestedGoal: string;
  readonly stages: readonly string[];
  readonly source: 'built-in' | 'workspace';
}

/** What the page knows without asking: the templates built into Waymark. */
export const BUILT_IN_CHOICES: readonly TemplateChoice[] = templateIds.flatMap((id) => {
  const template = TEMPLATES[id];
  return template
    ? [
        {
          id,
          name: template.name,
          description: template.description,
          suggestedGoal: template.suggestedGoal,
          stages: template.stages,
          source: 'built-in' as const,
        },
      ]
    : [];
});

export function decodeTemplateChoice(value: unknown): TemplateChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, name, description, suggestedGoal, stages, source } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof name !== 'string') return null;
  if (source !== 'built-in' && source !== 'workspace') return null;
  return {
    id,
    name: name.trim() || 'Untitled template',
    description: typeof description === 'string' ? description : '',
    suggestedGoal: typeof suggestedGoal === 'string' ? suggestedGoal : '',
    stages: Array.isArray(stages) ? stages.filter((stage): stage is string => typeof stage === 'string') : [],
    source,
  };
}

/**
 * The workspace's templates first, then the built-ins. Falls back to the built-ins alone when
 * the server cannot be asked or its answer cannot be read: starting a map should not depend on it.
 */
export async function loadTemplateChoices(token: string | null, send: typeof fetch = fetch): Promise<readonly TemplateChoice[]> {
  try {
    const response = await send('/api/templates', token ? { headers: { authorization: `Bearer ${token}` } } : {});
    if (!response.ok) return BUILT_IN_CHOICES;
    const body: unknown = await response.json();
    if (!Array.isArray(body)) return BUILT_IN_CHOICES;
    const choices = body.map(decodeTemplateChoice).filter((choice): choice is TemplateChoice => choice !== null);
    return choices.some((choice) => choice.source === 'built-in') ? choices : [...choices, ...BUILT_IN_CHOICES];
  } catch {
    return BUILT_IN_CHOICES;
  }
}

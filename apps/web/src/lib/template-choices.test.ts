import { templateIds } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CHOICES, decodeTemplateChoice, loadTemplateChoices } from './template-choices';

const answer = (status: number, body: unknown): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;

describe('template choices', () => {
  it('knows every built-in template without asking', () => {
    expect(BUILT_IN_CHOICES.map((choice) => choice.id)).toEqual([...templateIds]);
    expect(BUILT_IN_CHOICES.find((choice) => choice.id === 'lead-nurturing')?.name).toBe('Lead nurturing');
  });

  it('reads the workspace’s templates and leaves out what it cannot read', async () => {
    const saved = {
      id: 'workspace:abc',
      name: 'Support (ours)',
      description: 'Goal',
      suggestedGoal: 'Goal',
      stages: ['A', 7, 'B'],
      source: 'workspace',
    };
    const choices = await loadTemplateChoices('a-workspace-token-123', answer(200, [saved, { id: 3 }, null, ...BUILT_IN_CHOICES]));
    expect(choices[0]).toEqual({ ...saved, stages: ['A', 'B'] });
    expect(choices.slice(1).map((choice) => choice.id)).toEqual([...templateIds]);
    expect(decodeTemplateChoice({ id: 'x', name: '  ', source: 'workspace' })?.name).toBe('Untitled template');
    expect(decodeTemplateChoice({ id: 'x', name: 'X', source: 'elsewhere' })).toBeNull();
  });

  it('falls back to the built-ins when the server refuses, fails or says nonsense', async () => {
    expect(await loadTemplateChoices('revoked-token-12345', answer(401, { error: 'revoked' }))).toBe(BUILT_IN_CHOICES);
    expect(await loadTemplateChoices(null, answer(200, { not: 'a list' }))).toBe(BUILT_IN_CHOICES);
    const unreachable = (async () => {
      throw new TypeError('failed to fetch');
    }) as typeof fetch;
    expect(await loadTemplateChoices(null, unreachable)).toBe(BUILT_IN_CHOICES);
  });
});

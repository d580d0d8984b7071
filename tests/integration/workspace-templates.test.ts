import { addStage, readStages, templateIds } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { connect, synced, tokenOf, waitFor, type CreatedMap } from '../support/clients.js';
import type { RunningServer } from '../support/server.js';
import { useServerTestBed } from '../support/test-bed.js';

const ADMIN = 'workspace-admin-token-for-tests';

interface Choice {
  id: string;
  name: string;
  description: string;
  stages: string[];
  source: 'built-in' | 'workspace';
}

/**
 * A map saved as a template of the workspace is offered in "Start a map" beside the built-in
 * templates, to workspace links only, and new maps start as copies of it.
 */
describe('workspace templates', () => {
  const bed = useServerTestBed();

  const call = (running: RunningServer, path: string, init: { token?: string; workspace?: string; body?: unknown; method?: string } = {}) =>
    fetch(`${running.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.workspace ? { 'x-waymark-workspace': init.workspace } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const choices = async (running: RunningServer, token?: string) =>
    (await (await call(running, '/api/templates', { token })).json()) as Choice[];

  async function memberLink(running: RunningServer): Promise<string> {
    const made = await call(running, '/api/workspace/links', { token: ADMIN, body: { role: 'member', label: 'Support team' } });
    expect(made.status).toBe(201);
    return ((await made.json()) as { token: string }).token;
  }

  it('saves a map as a template, offers it to workspace links only, and starts new maps from it', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN, MAP_CREATION: 'workspace' });
    const member = await memberLink(running);
    const made = await call(running, '/api/maps', {
      token: member,
      body: { title: 'Our support journey', template: 'service-support', goal: 'How support feels to a customer' },
    });
    const source = (await made.json()) as CreatedMap;
    const editor = connect(running.url, source.id, tokenOf(source.links.editor));
    bed.clients.push(editor);
    await synced(editor);
    addStage(editor.doc, { name: 'Escalation' });
    await waitFor(async () => (await running.server.store.load(source.id)).updates.length > 0, 'the stage stored');

    // Built-ins for everyone; the lead-nurturing journey among them.
    const open = await choices(running);
    expect(open.map((c) => c.id)).toEqual([...templateIds]);
    expect(open.find((c) => c.id === 'lead-nurturing')?.stages.length).toBeGreaterThanOrEqual(4);

    // The map's owner saves a copy as a template, showing the workspace link beside the owner link.
    const owner = tokenOf(source.links.owner);
    const asTemplate = { title: 'Support journey (template)', asTemplate: true };
    expect((await call(running, `/api/maps/${source.id}/duplicate`, { token: owner, body: asTemplate })).status).toBe(401);
    expect((await call(running, `/api/maps/${source.id}/duplicate`, { token: member, body: asTemplate })).status).toBe(403);
    const saved = await call(running, `/api/maps/${source.id}/duplicate`, { token: owner, workspace: member, body: asTemplate });
    expect(saved.status).toBe(201);
    const template = (await saved.json()) as CreatedMap & { isTemplate: boolean };
    expect(template.isTemplate).toBe(true);
    expect((await call(running, `/api/maps/${source.id}/duplicate`, { token: owner, body: { asTemplate: 'yes' } })).status).toBe(400);

    // Offered to workspace links, first, with its stages; never to anyone without one.
    const offered = await choices(running, member);
    expect(offered[0]).toMatchObject({
      id: `workspace:${template.id}`,
      name: 'Support journey (template)',
      description: 'How support feels to a customer',
      source: 'workspace',
    });
    expect(offered[0]!.stages).toContain('Escalation');
    expect(offered.slice(1).map((c) => c.id)).toEqual([...templateIds]);
    expect((await choices(running)).some((c) => c.source === 'workspace')).toBe(false);
    expect((await choices(running, 'not-a-workspace-link')).map((c) => c.id)).toEqual([...templateIds]);
    // The library marks it.
    const library = (await (await call(running, '/api/maps', { token: member })).json()) as { id: string; isTemplate: boolean }[];
    expect(library.find((m) => m.id === template.id)?.isTemplate).toBe(true);
    expect(library.find((m) => m.id === source.id)?.isTemplate).toBe(false);

    // A new map from it is a copy under its own title and goal, with links of its own.
    const started = await call(running, '/api/maps', {
      token: member,
      body: { title: 'Support, EMEA', template: `workspace:${template.id}`, goal: 'EMEA support' },
    });
    expect(started.status).toBe(201);
    const copy = (await started.json()) as CreatedMap;
    const reader = connect(running.url, copy.id, tokenOf(copy.links.viewer!));
    bed.clients.push(reader);
    await synced(reader);
    expect(readStages(reader.doc).map((s) => s.name)).toContain('Escalation');
    const meta = reader.doc.getMap('meta');
    expect([meta.get('title'), meta.get('goal'), meta.get('template')]).toEqual(['Support, EMEA', 'EMEA support', 'service-support']);
    const startedList = (await (await call(running, '/api/maps', { token: member })).json()) as { id: string; isTemplate: boolean }[];
    expect(startedList.find((m) => m.id === copy.id)?.isTemplate).toBe(false);

    // Only with a workspace link, only from a template: an ordinary map or a made-up id is no template.
    const from = (templateId: string, token?: string) => call(running, '/api/maps', { token, body: { title: 'X', template: templateId } });
    expect((await from(`workspace:${template.id}`)).status).toBe(401);
    expect((await from(`workspace:${source.id}`, member)).status).toBe(404);
    expect((await from('workspace:nothing-here', member)).status).toBe(404);
    expect((await from('workspace:../../etc', member)).status).toBe(400);

    // Deleted, it is no longer offered nor started from; restored, it is back.
    expect((await call(running, `/api/maps/${template.id}`, { token: ADMIN, method: 'DELETE' })).status).toBe(204);
    expect((await choices(running, member)).some((c) => c.source === 'workspace')).toBe(false);
    expect((await from(`workspace:${template.id}`, member)).status).toBe(404);
    expect((await call(running, `/api/maps/${template.id}/restore`, { token: ADMIN, method: 'POST' })).status).toBe(204);
    expect((await choices(running, member))[0]?.id).toBe(`workspace:${template.id}`);
  });

  it('needs a workspace link for templates even when anyone may create maps', async () => {
    const running = await bed.start({ WORKSPACE_TOKEN: ADMIN, MAP_CREATION: 'anyone' });
    const made = (await (await call(running, '/api/maps', { body: { title: 'Open map', template: 'blank' } })).json()) as CreatedMap;
    const owner = tokenOf(made.links.owner);
    // A plain duplicate is fine; a template is not, without the workspace link.
    expect((await call(running, `/api/maps/${made.id}/duplicate`, { token: owner, body: {} })).status).toBe(201);
    const refused = await call(running, `/api/maps/${made.id}/duplicate`, { token: owner, body: { asTemplate: true } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/workspace templates need a workspace link/);
    expect(
      (await call(running, `/api/maps/${made.id}/duplicate`, { token: owner, workspace: ADMIN, body: { asTemplate: true } })).status,
    ).toBe(201);
  });
});

/**
 * Map text is data, never markup: markup and script in every text field of the document (and
 * in a person's presence name) must show as text in Chromium, with nothing run or injected.
 */
import { addCard, addLane, addPersona, addStage, setMeta, updateCard } from '@waymark/model';
import { expect } from 'vitest';
import { connect, synced, tokenOf } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { openMapAs } from '../support/map-pages.js';

const IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
const SCRIPT = '<script>window.__xss=99</script>';
const hostile = (field: string) => `${field} ${IMG} ${SCRIPT}`;

test('markup in every text field is shown as text and never runs', async ({ server, browser, map }) => {
  const writer = connect(server.url, map.id, tokenOf(map.links.editor));
  await synced(writer);
  const doc = writer.doc;
  setMeta(doc, { title: hostile('Title'), goal: hostile('Goal'), scope: hostile('Scope') });
  const stageId = addStage(doc, { name: hostile('Stage') });
  const laneId = addLane(doc, { title: hostile('Lane'), kind: 'thoughts' });
  const personaId = addPersona(doc, {
    name: hostile('Persona'),
    description: hostile('Description'),
    goals: hostile('Goals'),
    frustrations: hostile('Frustrations'),
  });
  const cardId = addCard(doc, { stageId, laneId, text: hostile('Card') });
  updateCard(doc, cardId, { tags: [hostile('tag')], personaIds: [personaId], links: ['javascript:window.__xss=7'] });
  writer.provider.awareness.setLocalStateField('user', { name: hostile('Person'), colour: '#123456' });

  const viewer = await openMapAs(browser, map.links.owner, 'Alice');
  const page = viewer.page;
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.evaluate(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { __violations: string[] }).__violations.push(event.violatedDirective),
    );
  });
  await expect.poll(() => page.getByRole('textbox', { name: 'Map title' }).inputValue()).toBe(hostile('Title'));
  await expect.poll(async () => (await page.locator('body').innerText()).includes(hostile('Stage'))).toBe(true);
  await expect.poll(() => page.getByRole('textbox', { name: 'Card text' }).first().inputValue()).toBe(hostile('Card'));
  // Open every panel that shows more of the text.
  await page
    .getByRole('button', { name: /^Personas/ })
    .first()
    .click();
  await expect.poll(async () => (await page.locator('body').innerText()).includes('Persona <img')).toBe(true);
  await page.keyboard.press('Escape');

  const state = await page.evaluate(() => ({
    xss: (window as unknown as { __xss?: number }).__xss,
    violations: (window as unknown as { __violations: string[] }).__violations,
    injectedImages: document.querySelectorAll('img[src="x"]').length,
    injectedScripts: Array.from(document.scripts).filter((s) => s.textContent?.includes('__xss')).length,
    javascriptLinks: document.querySelectorAll('a[href^="javascript:"]').length,
  }));
  expect(state).toEqual({ xss: undefined, violations: [], injectedImages: 0, injectedScripts: 0, javascriptLinks: 0 });
  expect(dialogs).toEqual([]);
  writer.destroy();
});

import { addCard, addLane, addPersona, addStage, setEmotion } from '@waymark/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connect, createMap, synced, tokenOf, type CreatedMap } from '../support/clients.js';
import { addCardButton, cardTexts, cardValues, cell, openMapAs, status } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * Each role's link shows exactly the controls the server's role table lets it use: owners and
 * editors shape the map, participants only work on cards, commenters and viewers read.
 */

const DEADLINE = { timeout: 8_000 };
type Role = keyof CreatedMap['links'];

/** Two stages, a card lane and an emotion lane, a persona with an agreed score, and one card the editor wrote. */
async function seededMap(url: string): Promise<CreatedMap> {
  const map = await createMap(url, { title: 'Checkout journey', template: 'blank' });
  const seeder = connect(url, map.id, tokenOf(map.links.editor));
  await synced(seeder);
  const discover = addStage(seeder.doc, { name: 'Discover' });
  addStage(seeder.doc, { name: 'Buy' });
  const actions = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
  addLane(seeder.doc, { title: 'Feeling', kind: 'emotions' });
  const dana = addPersona(seeder.doc, { name: 'Dana' });
  setEmotion(seeder.doc, { personaId: dana, stageId: discover, score: 1 });
  addCard(seeder.doc, { stageId: discover, laneId: actions, text: 'Reads reviews' });
  // The server has everything once a second client sees it.
  const check = connect(url, map.id, tokenOf(map.links.viewer));
  await synced(check);
  await expect.poll(() => check.doc.getMap('cards').size, DEADLINE).toBe(1);
  check.destroy();
  seeder.destroy();
  return map;
}

/** How many of each control (by role and accessible name) the page offers. */
async function controlsOn(page: Page) {
  const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' }).count();
  const textbox = (name: string) => page.getByRole('textbox', { name, exact: true }).count();
  return {
    'Map title textbox': await textbox('Map title'),
    'goal textbox': await textbox('Why we map this'),
    'scope textbox': await textbox('Scope'),
    'Add stage': await button('Add stage'),
    'Stage options': await button(/^Stage options: /),
    'Add lane': await button('Add lane'),
    'Lane options': await button(/^Lane options: /),
    'header drag grips': await page.locator('.header-grip[draggable="true"]').count(),
    'emotion sliders': await page.getByRole('slider').count(),
    'Add card to …': await button(/^Add card to /),
    'Card text textboxes': await cardTexts(page).count(),
    'Move card': await button('Move card'),
    'Card details': await button('Card details'),
    Undo: await button('Undo'),
    Redo: await button('Redo'),
    'Work offline': await button('Work offline'),
  };
}

/** The personas panel's controls, with Dana's entry opened. */
async function personaControlsOn(page: Page) {
  await page.getByRole('button', { name: 'Personas', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Personas' });
  await panel.getByRole('button', { name: 'Dana', exact: true }).click();
  const counts = {
    'Add persona': await panel.getByRole('button', { name: 'Add persona' }).count(),
    'Name textbox': await panel.getByRole('textbox', { name: 'Name' }).count(),
    'Description textbox': await panel.getByRole('textbox', { name: 'Description' }).count(),
    'colour choices': (await panel.getByRole('radio').count()) > 0,
    'Delete persona': await panel.getByRole('button', { name: 'Delete persona' }).count(),
    'Show only Dana': await panel.getByRole('button', { name: 'Show only Dana' }).count(),
  };
  await panel.getByRole('button', { name: 'Close personas' }).click();
  return counts;
}

const SHAPES_MAP = {
  'Map title textbox': 1,
  'goal textbox': 1,
  'scope textbox': 1,
  'Add stage': 1,
  'Stage options': 2,
  'Add lane': 1,
  'Lane options': 2,
  'header drag grips': 4,
  // Dana at Discover (scored) and at Buy (not scored yet).
  'emotion sliders': 2,
};
const NO_SHAPING = Object.fromEntries(Object.keys(SHAPES_MAP).map((name) => [name, 0]));
const EDITS_CARDS = {
  'Add card to …': 2,
  'Card text textboxes': 1,
  'Move card': 1,
  'Card details': 1,
  Undo: 1,
  Redo: 1,
  'Work offline': 1,
};
const NO_CARD_EDITING = Object.fromEntries(Object.keys(EDITS_CARDS).map((name) => [name, 0]));

const EDITS_PERSONAS = {
  'Add persona': 1,
  'Name textbox': 1,
  'Description textbox': 1,
  'colour choices': true,
  'Delete persona': 1,
  'Show only Dana': 1,
};
const READS_PERSONAS = {
  'Add persona': 0,
  'Name textbox': 0,
  'Description textbox': 0,
  'colour choices': false,
  'Delete persona': 0,
  'Show only Dana': 1,
};

const EXPECTED: Record<Role, { status: string; shapesMap: boolean; editsCards: boolean }> = {
  owner: { status: 'Connected', shapesMap: true, editsCards: true },
  editor: { status: 'Connected', shapesMap: true, editsCards: true },
  participant: { status: 'Connected', shapesMap: false, editsCards: true },
  commenter: { status: 'Read-only', shapesMap: false, editsCards: false },
  viewer: { status: 'Read-only', shapesMap: false, editsCards: false },
};

describe('what each role’s link shows', () => {
  const bed = useBrowserBed();

  it('offers each role exactly the controls it may use', async () => {
    const map = await seededMap(bed.running.url);
    for (const role of Object.keys(EXPECTED) as Role[]) {
      const user = await openMapAs(bed.browser, map.links[role], `Person-${role}`);
      try {
        const page = user.page;
        const { status: expectedStatus, shapesMap, editsCards } = EXPECTED[role];
        await expect.poll(() => page.locator('[data-card-id]').count(), DEADLINE).toBe(1);
        expect(await status(page).textContent(), role).toBe(expectedStatus);
        expect({ role, ...(await controlsOn(page)) }).toEqual({
          role,
          ...(shapesMap ? SHAPES_MAP : NO_SHAPING),
          ...(editsCards ? EDITS_CARDS : NO_CARD_EDITING),
        });
        expect({ role, ...(await personaControlsOn(page)) }).toEqual({ role, ...(shapesMap ? EDITS_PERSONAS : READS_PERSONAS) });
        // The map's title is a heading for everyone who may not rename the map.
        expect(await page.getByRole('heading', { level: 1, name: 'Checkout journey' }).count(), role).toBe(shapesMap ? 0 : 1);
        if (editsCards) expect(await cardTexts(page).first().isEditable(), role).toBe(true);
        else expect(await page.locator('[data-card-id] .card-text').textContent(), role).toBe('Reads reviews');
        // The agreed curve is drawn for everyone; those who may not change it get plain points.
        expect(await page.locator('.persona-curve .point').count(), role).toBe(shapesMap ? 0 : 1);
      } finally {
        await user.context.close();
      }
    }
  }, 90_000);

  it('lets a participant add and type cards an editor sees, and delete only its own', async () => {
    const map = await seededMap(bed.running.url);
    const editor = await openMapAs(bed.browser, map.links.editor, 'Alice');
    const participant = await openMapAs(bed.browser, map.links.participant, 'Pat');
    try {
      const page = participant.page;
      await addCardButton(page, 'Buy', 'Actions').click();
      await page.keyboard.type('Asks about delivery');
      await expect.poll(() => cardValues(cell(editor.page, 'Buy', 'Actions')), DEADLINE).toEqual(['Asks about delivery']);

      const details = page.getByRole('complementary', { name: 'Card details' });
      // The editor's card: colour and tags, but no way to delete it (not even the Delete key).
      await cell(page, 'Discover', 'Actions').getByRole('button', { name: 'Card details' }).click();
      expect(await details.getByRole('radio', { name: 'Yellow' }).count()).toBe(1);
      expect(await details.getByRole('textbox', { name: 'Add tag' }).count()).toBe(1);
      expect(await details.getByRole('button', { name: 'Delete card' }).count()).toBe(0);
      await cell(page, 'Discover', 'Actions').getByRole('button', { name: 'Move card' }).press('Delete');
      await expect
        .poll(() => page.locator('.notice').allTextContents(), DEADLINE)
        .toEqual([expect.stringContaining('deletes only the cards you added')]);
      expect(await cardValues(cell(page, 'Discover', 'Actions'))).toEqual(['Reads reviews']);

      // A tag the participant adds to the editor's card reaches the editor.
      await details.getByRole('textbox', { name: 'Add tag' }).fill('research');
      await details.getByRole('textbox', { name: 'Add tag' }).press('Enter');
      await expect.poll(() => cell(editor.page, 'Discover', 'Actions').locator('.tag').allTextContents(), DEADLINE).toEqual(['#research']);
      await page.screenshot({ path: '/tmp/waymark-participant.png' });

      // Its own card can go, and come back with Undo.
      await cell(page, 'Buy', 'Actions').getByRole('button', { name: 'Card details' }).click();
      await details.getByRole('button', { name: 'Delete card' }).click();
      await expect.poll(() => cardValues(cell(editor.page, 'Buy', 'Actions')), DEADLINE).toEqual([]);
      await page.keyboard.press('Control+z');
      await expect.poll(() => cardValues(cell(editor.page, 'Buy', 'Actions')), DEADLINE).toEqual(['Asks about delivery']);
      await expect.poll(() => cardValues(cell(page, 'Buy', 'Actions')), DEADLINE).toEqual(['Asks about delivery']);

      // The server refused nothing the participant's page offered.
      expect(await page.locator('body').innerText()).not.toContain('Not saved');
      expect(await page.locator('body').innerText()).not.toContain('Could not');
    } finally {
      await participant.context.close();
      await editor.context.close();
    }
  }, 60_000);

  it('lists all five links, each with what it allows, after a map is created', async () => {
    const page = await bed.browser.newPage({ viewport: { width: 1280, height: 1100 } });
    try {
      await page.goto(bed.running.url);
      await page.getByLabel('Map title').fill('Workshop map');
      await page.getByRole('button', { name: 'Create map' }).click();
      const created = page.getByRole('region', { name: 'Links to the new map' });
      await expect.poll(() => created.getByRole('group').count(), DEADLINE).toBe(5);
      const links = await created.getByRole('group').evaluateAll((groups) =>
        groups.map((group) => ({
          name: group.querySelector('label')?.textContent,
          link: new URL((group.querySelector('input') as HTMLInputElement).value).pathname.startsWith('/maps/'),
          hint: group.querySelector('p')?.textContent?.length ?? 0,
        })),
      );
      expect(links.map((link) => link.name)).toEqual(['Owner link', 'Editor link', 'Participant link', 'Commenter link', 'Viewer link']);
      expect(links.every((link) => link.link && link.hint > 0)).toBe(true);
      await page.screenshot({ path: '/tmp/waymark-home-links.png', fullPage: true });

      // The participant link opens the map as a participant, and the Share menu offers the same five.
      const participantLink = await created.getByRole('textbox', { name: 'Participant link' }).inputValue();
      await page.getByRole('link', { name: 'Open as owner' }).click();
      await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Connected');
      await page.getByRole('button', { name: 'Share' }).click();
      const share = page.getByRole('dialog', { name: 'Share this map' });
      // An owner sees the map's links as the server lists them, one group per role.
      await expect.poll(() => share.getByRole('region').count(), DEADLINE).toBe(5);
      expect(await share.getByRole('textbox', { name: 'Participant link address' }).inputValue()).toBe(participantLink);
    } finally {
      await page.close();
    }
  }, 60_000);
});

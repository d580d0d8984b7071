import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { pageProblems } from './browser.js';
import { waitFor } from './clients.js';

export { expectPageProblems, pageProblems } from './browser.js';

/** Opening a map in Chromium as a named person, and the locators tests and benchmarks share. */

export interface MapUser {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /**
   * Console errors and uncaught exceptions on the page so far (see `pageProblems`); the test
   * fails on any it did not declare with `expectPageProblems`.
   */
  readonly problems: string[];
}

const PERSON_COLOURS: Record<string, string> = { Alice: '#e11d48', Bob: '#2563eb', Viewer: '#16a34a' };

/** A person in a browser profile of their own, with a page open (not yet anywhere). */
export interface FreshProfile extends MapUser {
  close(): Promise<void>;
}

/**
 * A new browser context (its own storage, like another person's laptop) with a name already
 * chosen, and a page in it whose problems are watched.
 */
export async function freshProfile(browser: Browser, name: string): Promise<FreshProfile> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const profile = {
    id: `user-${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`,
    name,
    colour: PERSON_COLOURS[name] ?? '#7c3aed',
  };
  await context.addInitScript((stored) => {
    // Init scripts run in about:blank too, whose opaque origin has no localStorage to read.
    if (location.origin === 'null') return;
    if (!localStorage.getItem('waymark.profile')) localStorage.setItem('waymark.profile', stored);
  }, JSON.stringify(profile));
  // A locator that never matches should fail the test with its name, not hang it.
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  return { name, context, page, problems: pageProblems(page), close: () => context.close() };
}

/** Opens `link` as `name` in a profile of their own (see freshProfile), and waits until the map is live. */
export async function openMapAs(browser: Browser, link: string, name: string): Promise<MapUser> {
  const user = await freshProfile(browser, name);
  await user.page.goto(link);
  await waitFor(async () => /^(Connected|Read-only)$/.test((await status(user.page).textContent()) ?? ''), `${name}'s page to connect`);
  return user;
}

export const status = (page: Page): Locator => page.getByRole('status');
export const cardTexts = (scope: Page | Locator): Locator => scope.getByRole('textbox', { name: 'Card text' });
export const cell = (page: Page, stage: string, lane: string): Locator =>
  page.getByRole('cell', { name: `${stage} / ${lane}`, exact: true });
export const addCardButton = (page: Page, stage: string, lane: string): Locator =>
  page.getByRole('button', { name: `Add card to ${stage} / ${lane}`, exact: true });

/** The values of every card textarea on the page (or in one cell), in document order. */
export async function cardValues(scope: Page | Locator): Promise<string[]> {
  return cardTexts(scope).evaluateAll((areas) => areas.map((area) => (area as HTMLTextAreaElement).value));
}

const CONTROL_ROLES = new Set([
  'button',
  'textbox',
  'combobox',
  'slider',
  'checkbox',
  'radio',
  'menuitem',
  'link',
  'searchbox',
  'spinbutton',
  'switch',
  'tab',
]);

/** Controls the accessibility tree exposes without a name, as "role (html tag)". */
export async function namelessControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored: boolean; role?: { value?: unknown }; name?: { value?: unknown }; backendDOMNodeId?: number }[];
    };
    const nameless: string[] = [];
    for (const node of nodes) {
      const role = typeof node.role?.value === 'string' ? node.role.value : '';
      const name = typeof node.name?.value === 'string' ? node.name.value.trim() : '';
      if (!node.ignored && CONTROL_ROLES.has(role) && name === '') nameless.push(`${role} #${node.backendDOMNodeId ?? '?'}`);
    }
    return nameless;
  } finally {
    await cdp.detach();
  }
}

import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { test as base } from 'vitest';
import { launchChromium } from './browser.js';
import { createMap, type CreatedMap } from './clients.js';
import { openMapAs, type MapUser } from './map-pages.js';
import { repoRoot, startServer, tempDataDir, type RunningServer } from './server.js';

/**
 * Browser test fixtures in the style of SvelteKit's test utils: one server and one
 * Chromium per file, and per test a fresh map with two people already on it.
 */

export const artifactsDir = join(repoRoot, 'tests/artifacts');

interface FileFixtures {
  server: RunningServer;
  browser: Browser;
}

interface TestFixtures {
  /** Template for the test's map; override with `test.scoped({ template: ... })`. */
  template: string;
  map: CreatedMap;
  alice: MapUser;
  bob: MapUser;
}

export const test = base.extend<FileFixtures & TestFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const data = tempDataDir();
      const running = await startServer(data.dir, { WEB_DIR: join(repoRoot, 'apps/web/dist') });
      await use(running);
      await running.close();
      data.remove();
    },
    { scope: 'file' },
  ],
  browser: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const browser = await launchChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'file' },
  ],
  template: 'blank',
  map: async ({ server, template }, use) => {
    await use(await createMap(server.url, { title: 'Checkout journey', template }));
  },
  alice: async ({ browser, map }, use) => {
    const user = await openMapAs(browser, map.links.editor, 'Alice');
    await use(user);
    await user.context.close();
  },
  bob: async ({ browser, map }, use) => {
    const user = await openMapAs(browser, map.links.editor, 'Bob');
    await use(user);
    await user.context.close();
  },
});

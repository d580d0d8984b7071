import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { repoRoot, startServer, tempDataDir, type RunningServer } from './server.js';

/** What a browser test file shares: the real server serving the built web app, and one Chromium. */
export interface BrowserBed {
  readonly browser: Browser;
  readonly running: RunningServer;
}

/**
 * Registers the hooks of a browser test file: before its tests, a fresh data folder, the server on
 * it (with `env`) serving apps/web/dist, and Chromium; after them, all three gone.
 */
export function useBrowserBed(env: Record<string, string> = {}): BrowserBed {
  let browser: Browser | undefined;
  let running: RunningServer | undefined;
  let data: ReturnType<typeof tempDataDir> | undefined;
  beforeAll(async () => {
    data = tempDataDir();
    running = await startServer(data.dir, { WEB_DIR: join(repoRoot, 'apps/web/dist'), ...env });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    data?.remove();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser bed is only there inside a test');
      return browser;
    },
    get running() {
      if (!running) throw new Error('the browser bed is only there inside a test');
      return running;
    },
  };
}

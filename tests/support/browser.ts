import { chromium, type Browser, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { findChromium } from './chromium-path.js';

/**
 * Chromium (see findChromium), headless, with nothing that reaches past this machine. Every page
 * opened in it, whichever way a test opens it, is watched: a console error or an uncaught
 * exception the test did not declare with `expectPageProblems` fails the test that opened the page.
 */
export async function launchChromium(): Promise<Browser> {
  const found = await findChromium();
  const browser = await chromium.launch({
    executablePath: found.path,
    env: { ...process.env, ...found.env },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  browser.on('context', (context) => context.on('page', watchPage));
  return browser;
}

interface ExpectedProblem {
  readonly why: string;
  readonly matches: (problem: string) => boolean;
}

interface PageWatch {
  readonly problems: string[];
  readonly expected: ExpectedProblem[];
}

const watches = new WeakMap<Page, PageWatch>();

function watchPage(page: Page): PageWatch {
  const known = watches.get(page);
  if (known) return known;
  const watch: PageWatch = { problems: [], expected: [] };
  watches.set(page, watch);
  page.on('console', (message) => {
    if (message.type() === 'error') watch.problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  try {
    onTestFinished(() => {
      const unexpected = watch.problems.filter((problem) => !watch.expected.some((expected) => expected.matches(problem)));
      if (unexpected.length > 0) {
        const declared = watch.expected.map((expected) => expected.why).join('; ') || 'none';
        throw new Error(
          `the page at ${page.url()} logged ${unexpected.length} problem(s) the test did not expect ` +
            `(declared: ${declared}; declare others with expectPageProblems):\n  ${unexpected.join('\n  ')}`,
        );
      }
    });
  } catch {
    // Opened outside a running test (the editor benchmark, a beforeAll): there is no test to fail.
  }
  return watch;
}

/**
 * Console errors (with the address they name) and uncaught exceptions on `page` so far, expected
 * or not: the live list, which keeps growing while the page is open.
 */
export function pageProblems(page: Page): string[] {
  return watchPage(page).problems;
}

/**
 * Says that `page` may log problems that `matches` accepts, and why (a refused 403 look-up, a
 * socket failing while the browser is offline). Any other problem still fails the test.
 */
export function expectPageProblems(page: Page, why: string, matches: (problem: string) => boolean): void {
  watchPage(page).expected.push({ why, matches });
}

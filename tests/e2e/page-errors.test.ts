import { addCard, addLane, addStage, updateCard } from '@waymark/model';
import * as encoding from 'lib0/encoding';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { describe, expect } from 'vitest';
import { connect, synced, tokenOf } from '../support/clients.js';
import { test } from '../support/editor-fixtures.js';
import { cardTexts, openMapAs, status } from '../support/map-pages.js';

/**
 * No page logs an error in normal use: viewer and embed pages reloaded on a map this browser
 * already holds offline show the live map and never send the server an edit, and a write the
 * server refuses is said in words, not in a loop of errors.
 */

const DEADLINE = { timeout: 8_000 };
/**
 * A busy laptop and a slow link: this browser's IndexedDB opens SLOW_DISK_MS late and the
 * server's first answers arrive SLOW_ANSWER_MS after the socket opens, so the offline copy is
 * read while the socket is open and before the server has sent the map. On a fast machine that
 * order is a matter of luck; here it is certain.
 */
const SLOW_DISK_MS = 1_000;
const SLOW_ANSWER_MS = 2_000;

/** Makes every `indexedDB.open` in `context` answer `delayMs` late. */
async function slowIndexedDb(context: BrowserContext, delayMs: number): Promise<void> {
  await context.addInitScript((delay) => {
    const open = IDBFactory.prototype.open;
    const onsuccess = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'onsuccess')!;
    IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
      const request = open.apply(this, args);
      let handler: ((event: Event) => void) | null = null;
      onsuccess.set!.call(request, (event: Event) => setTimeout(() => handler?.call(request, event), delay));
      Object.defineProperty(request, 'onsuccess', { get: () => handler, set: (next: typeof handler) => (handler = next) });
      return request;
    };
  }, delayMs);
}

interface RoutedSync {
  /** Sizes of the document updates (sync message 2, that is edits) the pages sent. */
  readonly edits: number[];
  /** Sends `frame` to every routed page socket still open, as if the server had. */
  toPages(frame: Uint8Array): void;
}

/**
 * Routes the context's sync sockets to the server, watching what the pages send, and holding
 * the server's messages back until `holdServerMs` after each socket opened.
 */
async function routeSync(context: BrowserContext, holdServerMs = 0): Promise<RoutedSync> {
  const edits: number[] = [];
  const sockets = new Set<WebSocketRoute>();
  await context.routeWebSocket(/\/sync\//, (page) => {
    const server = page.connectToServer();
    sockets.add(page);
    page.onClose(() => {
      sockets.delete(page);
      server.close();
    });
    const held: (string | Buffer)[] = [];
    let released = holdServerMs === 0;
    setTimeout(() => {
      released = true;
      for (const message of held.splice(0)) page.send(message);
    }, holdServerMs);
    page.onMessage((message) => {
      const bytes = typeof message === 'string' ? Buffer.from(message) : message;
      if (bytes[0] === 0 && bytes[1] === 2) edits.push(bytes.byteLength);
      server.send(message);
    });
    server.onMessage((message) => (released ? page.send(message) : held.push(message)));
  });
  return { edits, toPages: (frame) => sockets.forEach((socket) => socket.send(Buffer.from(frame))) };
}

/** y-protocols' "permission denied" auth message: how the server says it refused a write, and why. */
function permissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

const shownCards = (page: Page) => page.locator('[data-card-id] .card-text').allTextContents();

describe('read-only pages after a reload', () => {
  for (const kind of ['viewer', 'embed'] as const) {
    test(`${kind === 'viewer' ? 'a viewer' : 'an embed'} link reloads cleanly and follows live edits without an error`, async ({
      server,
      map,
      browser,
      alice,
    }) => {
      const seeder = connect(server.url, map.id, tokenOf(map.links.editor));
      await synced(seeder);
      const stageId = addStage(seeder.doc, { name: 'Research' });
      const laneId = addLane(seeder.doc, { title: 'Actions', kind: 'actions' });
      const first = addCard(seeder.doc, { stageId, laneId, text: 'Reads reviews' });
      updateCard(seeder.doc, first, { tags: ['research'] });

      const link = kind === 'viewer' ? map.links.viewer : map.links.viewer.replace('/maps/', '/embed/');
      const reader = await openMapAs(browser, link, 'Viewer');
      const { page, problems } = reader;
      try {
        await expect.poll(() => shownCards(page), DEADLINE).toEqual(['Reads reviews']);
        await slowIndexedDb(reader.context, SLOW_DISK_MS);
        const { edits } = await routeSync(reader.context, SLOW_ANSWER_MS);

        // The reload reads the map from this browser's offline copy, then from the server.
        await page.reload();
        await expect.poll(() => status(page).textContent(), DEADLINE).toBe('Read-only');
        await expect.poll(() => shownCards(page), DEADLINE).toEqual(['Reads reviews']);

        // Remote edits (they reach the page after anything the server said to it before), from a script and from an editor's page.
        addCard(seeder.doc, { stageId, laneId, text: 'Asks a peer' });
        await expect.poll(() => shownCards(page), DEADLINE).toEqual(['Reads reviews', 'Asks a peer']);
        await cardTexts(alice.page).first().fill('Reads reviews on G2');
        await expect.poll(() => shownCards(page), DEADLINE).toEqual(['Reads reviews on G2', 'Asks a peer']);
        updateCard(seeder.doc, first, { colour: '#bbf7d0' });
        await alice.page.getByRole('textbox', { name: 'Map title' }).fill('Checkout journey, v2');
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), DEADLINE).toBe('Checkout journey, v2');

        expect(problems).toEqual([]);
        expect(await page.locator('.notices .notice').allTextContents()).toEqual([]);
        expect(edits).toEqual([]);
      } finally {
        seeder.destroy();
        await reader.context.close();
      }
    });
  }
});

describe('a refused write', () => {
  test('is said once in the page, in words, and logs no error', async ({ alice, bob }) => {
    const routed = await routeSync(alice.context);
    await alice.page.reload();
    await expect.poll(() => status(alice.page).textContent(), DEADLINE).toBe('Connected');
    const notices = alice.page.locator('.notices .notice > span');

    routed.toPages(permissionDenied('your participant link may not delete a card someone else created'));
    await expect
      .poll(() => notices.allTextContents(), DEADLINE)
      .toEqual(['Not saved: your participant link may not delete a card someone else created']);
    // The page goes on working: an edit after the refusal reaches others.
    await alice.page.getByRole('textbox', { name: 'Map title' }).fill('Checkout journey, after a refusal');
    await expect
      .poll(() => bob.page.getByRole('textbox', { name: 'Map title' }).inputValue(), DEADLINE)
      .toBe('Checkout journey, after a refusal');
    // Each refusal is news: a different one is said beside it; the same one again renews it rather than stacking.
    const rename = 'Not saved: your participant link may not rename this map';
    routed.toPages(permissionDenied('your participant link may not rename this map'));
    await expect.poll(async () => (await notices.allTextContents()).includes(rename), DEADLINE).toBe(true);
    routed.toPages(permissionDenied('your participant link may not rename this map'));
    routed.toPages(permissionDenied('your participant link may not rename this map'));
    await expect.poll(async () => (await notices.allTextContents()).filter((text) => text === rename).length, DEADLINE).toBe(1);
    expect(alice.problems).toEqual([]);
  });
});

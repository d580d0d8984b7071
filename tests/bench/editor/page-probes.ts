/**
 * Code that runs inside the Chromium pages. Kept free of imports: Playwright serialises
 * each function's source into the page, so it may only use what the page has.
 * Times are `performance.timeOrigin + performance.now()`: high resolution, and comparable
 * between two pages of one browser on one machine.
 */

declare global {
  interface Window {
    __bench?: {
      inputs: [string, number][];
      shown: [string, number, number][];
      keystrokes: { handled: number; painted: number }[];
      moves: { handled: number; painted: number }[];
      longTasks: number;
    };
  }
}

import type { Page } from 'playwright-core';

/**
 * Runs a probe in the page. tsx compiles with esbuild's keepNames, which wraps named
 * functions in a `__name(...)` helper the page does not have; an identity stands in.
 */
export async function probe<A extends string | number, R>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  return page.evaluate(fn as (arg: string | number) => R | Promise<R>, arg);
}

/** Resolves once `count` cards are on the page and a frame with them has been produced. */
export function cardsPainted(count: number): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (document.querySelectorAll('[data-card-id]').length >= count) {
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
      } else requestAnimationFrame(check);
    };
    check();
  });
}

/** Resolves, in ms since navigation, once `name` has been marked and the next frame drawn. */
export function markPainted(name: string): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (performance.getEntriesByName(name, 'mark').length > 0) {
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
      } else requestAnimationFrame(check);
    };
    check();
  });
}

/** Writer side: stamps every input event on the card textarea with the value it produced. */
export function stampInputs(selector: string): void {
  const target = document.querySelector<HTMLTextAreaElement>(selector);
  if (!target) throw new Error(`no ${selector}`);
  const bench = (window.__bench ??= { inputs: [], shown: [], keystrokes: [], moves: [], longTasks: 0 });
  target.addEventListener('input', () => bench.inputs.push([target.value, performance.timeOrigin + performance.now()]), {
    capture: true,
  });
}

/**
 * Reader side: the editor applies remote text by assigning `value`, so wrapping that
 * element's setter sees the moment the new text reaches the DOM, and the following
 * animation frame is when it is on screen.
 */
export function stampShownValues(selector: string): void {
  const target = document.querySelector<HTMLTextAreaElement>(selector);
  if (!target) throw new Error(`no ${selector}`);
  const bench = (window.__bench ??= { inputs: [], shown: [], keystrokes: [], moves: [], longTasks: 0 });
  const descriptor = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!;
  Object.defineProperty(target, 'value', {
    configurable: true,
    get() {
      return descriptor.get!.call(this);
    },
    set(value: string) {
      descriptor.set!.call(this, value);
      const set = performance.timeOrigin + performance.now();
      requestAnimationFrame(() => bench.shown.push([value, set, performance.timeOrigin + performance.now()]));
    },
  });
}

/**
 * Writer side, per keystroke: "handled" runs from keydown until the editor is done with it
 * (the browser's text insertion, the binding's splice, the Yjs transaction, the offline
 * copy and the view update, all of which run in the textarea's own listeners and the
 * microtasks they queue, before this bubbling listener on window); "on screen" runs until
 * the next frame with the new letter has been produced.
 */
export function timeKeystrokes(selector: string): void {
  const target = document.querySelector<HTMLTextAreaElement>(selector);
  if (!target) throw new Error(`no ${selector}`);
  const bench = (window.__bench ??= { inputs: [], shown: [], keystrokes: [], moves: [], longTasks: 0 });
  new PerformanceObserver((list) => (bench.longTasks += list.getEntries().length)).observe({ type: 'longtask' });
  let started = 0;
  window.addEventListener('keydown', () => (started = performance.now()), { capture: true });
  window.addEventListener('input', () => {
    const start = started;
    queueMicrotask(() => {
      const handled = performance.now() - start;
      requestAnimationFrame(() => {
        // A message task after the frame callbacks runs once that frame is rendered.
        const channel = new MessageChannel();
        channel.port1.onmessage = () => bench.keystrokes.push({ handled, painted: performance.now() - start });
        channel.port2.postMessage(null);
      });
    });
  });
}

/**
 * Per card move by keyboard (an arrow key on a card's grip): "handled" runs from keydown until
 * the move is written and the map's picture updated (the grip's own listener, then the
 * microtasks it queued); "on screen" until the next frame with the card in its new cell.
 */
export function timeMoves(): void {
  const bench = (window.__bench ??= { inputs: [], shown: [], keystrokes: [], moves: [], longTasks: 0 });
  let started = 0;
  window.addEventListener('keydown', () => (started = performance.now()), { capture: true });
  window.addEventListener('keydown', (event) => {
    if (!(event.target instanceof HTMLElement) || !event.target.classList.contains('grip')) return;
    const start = started;
    queueMicrotask(() =>
      queueMicrotask(() => {
        const handled = performance.now() - start;
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => bench.moves.push({ handled, painted: performance.now() - start });
          channel.port2.postMessage(null);
        });
      }),
    );
  });
}

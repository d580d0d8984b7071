import { addLane, addPersona, addStage, readEmotions, setEmotion } from '@waymark/model';
import { describe, expect, it, onTestFinished } from 'vitest';
import { connect, createMap, synced, tokenOf } from '../support/clients.js';
import { openMapAs } from '../support/map-pages.js';
import { useBrowserBed } from '../support/browser-bed.js';

/**
 * Five personas scored alike at the same stages: every "High"/"Low" label stays clear of
 * every other label and every point, and each persona's point stays its own to grab.
 */

const DEADLINE = { timeout: 8_000 };
const NAMES = ['Ana', 'Ben', 'Cleo', 'Dev', 'Eve'];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function boxesOf(locators: { boundingBox(): Promise<Box | null> }[]): Promise<Box[]> {
  const boxes: Box[] = [];
  for (const locator of locators) {
    const box = await locator.boundingBox();
    if (!box) throw new Error('an element of the curve is not on screen');
    boxes.push(box);
  }
  return boxes;
}

describe('the emotion curve with several personas', () => {
  const bed = useBrowserBed();

  it('keeps labels apart and every persona’s point at a crowded stage separately reachable', async () => {
    const map = await createMap(bed.running.url, { template: 'blank' });
    const seeder = connect(bed.running.url, map.id, tokenOf(map.links.editor));
    onTestFinished(() => seeder.destroy());
    await synced(seeder);
    const research = addStage(seeder.doc, { name: 'Research' });
    const buy = addStage(seeder.doc, { name: 'Buy' });
    addStage(seeder.doc, { name: 'Use' });
    addLane(seeder.doc, { title: 'Feeling', kind: 'emotions' });
    const ids = NAMES.map((name) => addPersona(seeder.doc, { name }));
    for (const personaId of ids) {
      setEmotion(seeder.doc, { personaId, stageId: research, score: -1 });
      setEmotion(seeder.doc, { personaId, stageId: buy, score: 2 });
    }

    const user = await openMapAs(bed.browser, map.links.editor, 'Alice');
    onTestFinished(() => user.context.close());
    const page = user.page;
    const labels = page.locator('.emotion-curve .extreme');
    await expect.poll(() => labels.count(), DEADLINE).toBe(10);
    expect((await labels.allTextContents()).sort()).toEqual([...Array(5).fill('High +2'), ...Array(5).fill('Low −1')]);

    const labelBoxes = await boxesOf(await labels.all());
    const handleBoxes = await boxesOf(await page.getByRole('slider').all());
    expect(handleBoxes).toHaveLength(15);
    const clashes: string[] = [];
    labelBoxes.forEach((label, i) => {
      labelBoxes.forEach((other, j) => {
        if (j > i && overlaps(label, other)) clashes.push(`label ${i} and label ${j}`);
      });
      handleBoxes.forEach((handle, j) => {
        if (overlaps(label, handle)) clashes.push(`label ${i} and handle ${j}`);
      });
    });
    expect(clashes).toEqual([]);

    // The five points at Buy: five separate boxes, each focusable.
    const atBuy = NAMES.map((name) => page.getByRole('slider', { name: `${name} at Buy`, exact: true }));
    const buyBoxes = await boxesOf(atBuy);
    buyBoxes.forEach((box, i) =>
      buyBoxes.forEach((other, j) => {
        if (j > i) expect(overlaps(box, other), `${NAMES[i]} and ${NAMES[j]} at Buy`).toBe(false);
      }),
    );
    for (const handle of atBuy) {
      await handle.focus();
      expect(await handle.evaluate((element) => element === document.activeElement)).toBe(true);
    }
    // Each point is the topmost thing under its own centre, so a pointer reaches it.
    for (const [i, box] of buyBoxes.entries()) {
      const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('aria-label') ?? null, {
        x: box.x + box.width / 2,
        y: box.y + box.height / 2,
      });
      expect(hit).toBe(`${NAMES[i]} at Buy`);
    }

    // ArrowUp on the third persona's point moves only that persona's score.
    await atBuy[2]!.focus();
    await page.keyboard.press('ArrowUp');
    const buyScores = () =>
      Object.fromEntries(
        readEmotions(seeder.doc)
          .filter((point) => point.stageId === buy)
          .map((point) => [NAMES[ids.indexOf(point.personaId)], point.score]),
      );
    await expect.poll(buyScores, DEADLINE).toEqual({ Ana: 2, Ben: 2, Cleo: 3, Dev: 2, Eve: 2 });
    expect(await atBuy[2]!.getAttribute('aria-valuenow')).toBe('3');
  });
});

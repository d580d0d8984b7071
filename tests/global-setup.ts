import { findChromium } from './support/chromium-path.js';

/**
 * Finds the Chromium for the browser tests once, before any test process starts, and hands its
 * path to all of them in `CHROMIUM_PATH`.
 */
export default async function setup(): Promise<void> {
  const found = await findChromium();
  process.env.CHROMIUM_PATH = found.path;
  console.log(`browser tests use Chromium at ${found.path} (${found.source})`);
}

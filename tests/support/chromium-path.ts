import { accessSync, constants, existsSync } from 'node:fs';

/** Where Linux distributions and Chrome's own packages put the browser. */
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export interface FoundChromium {
  path: string;
  /** `CHROMIUM_PATH`, the system's, or the one shipped in the `@sparticuz/chromium` package. */
  source: 'CHROMIUM_PATH' | 'system' | 'npm package';
}

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set (`bundled` picks the npm
 * package's), else the system's, else the build shipped inside the `@sparticuz/chromium` npm
 * package, unpacked on first use (a few seconds), so a machine with only Node needs no browser
 * installed by hand. Call it once per run (the test run's global setup does): two processes
 * unpacking at once would race.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium> {
  const chosen = env.CHROMIUM_PATH?.trim();
  if (chosen && chosen !== 'bundled') {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH is ${chosen}, but there is no file there`);
    return { path: chosen, source: 'CHROMIUM_PATH' };
  }
  const system = chosen === 'bundled' ? undefined : SYSTEM_CHROMIUMS.find(executable);
  if (system) return { path: system, source: 'system' };
  const { default: bundled } = await import('@sparticuz/chromium');
  return { path: await bundled.executablePath(), source: 'npm package' };
}

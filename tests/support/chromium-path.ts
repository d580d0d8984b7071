import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

/** Where Linux distributions and Chrome's own packages put the browser. */
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The shared libraries the npm package's Chromium needs beyond glibc (NSS, NSPR, expat), unpacked. */
const BUNDLED_LIBRARIES = join(tmpdir(), 'waymark-chromium-libraries');

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
  /** Extra environment for the browser process: where its libraries are, when the system lacks them. */
  env: Record<string, string>;
}

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set (`bundled` picks the npm
 * package's), else the system's, else the build shipped inside the `@sparticuz/chromium` npm
 * package, unpacked on first use (a few seconds), so a machine with only Node needs no browser
 * installed by hand. Call it once per run before the tests start (the run's global setup does):
 * two processes unpacking at once would race.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium> {
  const chosen = env.CHROMIUM_PATH?.trim();
  if (chosen && chosen !== 'bundled') {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH is ${chosen}, but there is no file there`);
    return { path: chosen, source: 'CHROMIUM_PATH', env: await librariesFor(chosen) };
  }
  const system = chosen === 'bundled' ? undefined : SYSTEM_CHROMIUMS.find(executable);
  if (system) return { path: system, source: 'system', env: {} };
  const { default: bundled } = await import('@sparticuz/chromium');
  const path = await bundled.executablePath();
  return { path, source: 'npm package', env: await librariesFor(path) };
}

/**
 * Nothing when the system has every library `path` needs. Otherwise, for the npm package's
 * Chromium, the libraries the package ships for machines without them (its `al2023` set),
 * unpacked once, on the browser's library path.
 */
async function librariesFor(path: string): Promise<Record<string, string>> {
  let linked: string;
  try {
    linked = execFileSync('ldd', [path], { encoding: 'utf8' });
  } catch {
    return {};
  }
  if (!linked.includes('not found')) return {};
  const libraries = join(BUNDLED_LIBRARIES, 'lib');
  if (!existsSync(join(libraries, 'libnss3.so'))) {
    const packageBin = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', 'bin');
    const unpacking = `${BUNDLED_LIBRARIES}.${process.pid}`;
    rmSync(unpacking, { recursive: true, force: true });
    mkdirSync(unpacking, { recursive: true });
    execFileSync('tar', ['-x', '-C', unpacking], { input: brotliDecompressSync(readFileSync(join(packageBin, 'al2023.tar.br'))) });
    rmSync(BUNDLED_LIBRARIES, { recursive: true, force: true });
    renameSync(unpacking, BUNDLED_LIBRARIES);
  }
  const current = process.env.LD_LIBRARY_PATH;
  return { LD_LIBRARY_PATH: current ? `${libraries}:${current}` : libraries };
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverMain = fileURLToPath(new URL('../../../apps/server/dist/main.js', import.meta.url));

/** A pino level at or above which a node's log line is kept for the report (40: warn). */
const NOTABLE_LEVEL = 40;
/** Notable lines kept per node, the first ones (a flood of the same warning says enough by then). */
const NOTABLE_KEPT = 50;

export interface NodeProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** Warnings and errors the node logged (the first NOTABLE_KEPT), as `level msg`. */
  notable: string[];
  /** How many warnings and errors it logged in all. */
  notableCount(): number;
  running(): boolean;
  signal(signal: NodeJS.Signals): void;
  exited: Promise<void>;
}

/**
 * Runs `node apps/server/dist/main.js` on a free port (PORT=0) and resolves once it logs that it
 * listens. A node that does not start in `timeoutMs` is killed before the promise rejects.
 */
export async function spawnNode(env: Record<string, string>, timeoutMs = 60_000): Promise<NodeProcess> {
  const child = spawn(process.execPath, [serverMain], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WEB_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const notable: string[] = [];
  let notableCount = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let buffered = '';
  let listening: (port: number) => void = () => {};
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let entry: { level?: number; msg?: string; port?: number; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (entry.msg === 'Waymark is listening' && typeof entry.port === 'number') listening(entry.port);
      if ((entry.level ?? 0) >= NOTABLE_LEVEL) {
        notableCount++;
        if (notable.length < NOTABLE_KEPT)
          notable.push(`${entry.level} ${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`);
      }
    }
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a node did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      listening = (port) => {
        clearTimeout(timer);
        resolve(port);
      };
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`a node exited (${child.exitCode ?? child.signalCode}) before listening: ${stderr}`));
      });
    });
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid ?? -1,
      notable,
      notableCount: () => notableCount,
      running,
      signal: (signal) => {
        if (running()) child.kill(signal);
      },
      exited,
    };
  } catch (error) {
    if (running()) child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

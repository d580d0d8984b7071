/**
 * `pnpm bench:import`: a survey import of a file just under the 50 MB limit, against a real server
 * process over loopback. Writes the file into a temporary folder (about 400,000 responses over the
 * buyer-journey template's stages and personas and twelve months, each with a comment), then
 * sends it RUNS times through `POST /api/maps/:id/imports` (deleting the import between runs) and
 * reports per run the time to the server's answer, MB/s, and the server's heap and resident
 * memory: before, at their highest while the file streamed (sampled from its /metrics every
 * 100 ms), and its peak resident set over its life (VmHWM). Writes tests/bench/results/import.json.
 * Stops by itself: each import has a deadline. Not part of `pnpm test`.
 */
import { mkdirSync, readFileSync, statSync, createReadStream, createWriteStream } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createMap, tokenOf } from '../../support/clients.js';
import { repoRoot, spawnServer, tempDataDir } from '../../support/server.js';
import { machine } from '../measured.js';

const RUNS = 3;
const FILE_BYTES = 50 * 1024 * 1024 - 64 * 1024;
const IMPORT_DEADLINE_MS = 180_000;
const METRICS_TOKEN = 'bench-import-metrics';
const STAGES = ['Awareness', 'Consideration', 'Decision', 'Purchase', 'Onboarding', 'Use & retention', 'Advocacy'];
const PERSONAS = ['Evaluating buyer', 'Returning customer', ''];
const CHANNELS = ['web', 'app', 'store', 'phone'];
const WORDS = 'the checkout asked for my card twice and the delivery date was never clear so I called support who were kind'.split(' ');

const log = (line: string) => console.log(`[bench:import] ${line}`);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Writes the survey file, row by row, with back-pressure; returns its row count. */
async function writeSurvey(path: string): Promise<number> {
  const out = createWriteStream(path);
  out.write('Stage,Satisfaction,Comment,Persona,Channel,Answered on\n');
  let written = 0;
  let rows = 0;
  let seed = 7;
  // The high bits of the generator: its low bits repeat with a short period.
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 12;
  while (written < FILE_BYTES - 200) {
    rows++;
    const words = Array.from({ length: 6 + (next() % 10) }, () => WORDS[next() % WORDS.length]).join(' ');
    const line = `${STAGES[next() % STAGES.length]},${1 + (next() % 5)},"${words}, row ${rows}",${PERSONAS[next() % PERSONAS.length]},${CHANNELS[next() % CHANNELS.length]},2025-${String(1 + (next() % 12)).padStart(2, '0')}-${String(1 + (next() % 28)).padStart(2, '0')}\n`;
    written += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** The server's heap in use and resident set, from its Prometheus metrics. */
async function serverMemory(url: string): Promise<{ heap: number; rss: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { heap: value('nodejs_heap_size_used_bytes'), rss: value('process_resident_memory_bytes') };
}

/** The process's peak resident set so far (Linux), or NaN elsewhere. */
function peakRss(pid: number): number {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? Number.NaN : Number(kib) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** Streams the file to the import route; resolves with the status and body once the server answers. */
function sendFile(url: string, path: string, mapId: string, token: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const query = new URLSearchParams({
    file: 'bench-survey.csv',
    delimiter: 'comma',
    stage: 'Stage',
    score: 'Satisfaction',
    metric: 'CSAT',
    verbatim: 'Comment',
    persona: 'Persona',
    channel: 'Channel',
    date: 'Answered on',
    dateFormat: 'ymd',
  });
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      method: 'POST',
      path: `/api/maps/${mapId}/imports?${query}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': statSync(path).size },
    });
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${IMPORT_DEADLINE_MS / 1000} s`)), IMPORT_DEADLINE_MS);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode!, body });
      });
    });
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    createReadStream(path).pipe(req);
  });
}

const data = tempDataDir();
const server = await spawnServer(data.dir, { METRICS_TOKEN, LOG_LEVEL: 'info' });
try {
  const load = loadavg()[0]!;
  const file = join(data.dir, 'bench-survey.csv');
  const rows = await writeSurvey(file);
  const bytes = statSync(file).size;
  log(`wrote ${mb(bytes)} MB, ${rows.toLocaleString('en')} rows`);
  const map = await createMap(server.url, { title: 'Import bench', template: 'buyer-journey' });
  const editor = tokenOf(map.links.editor);

  const runs: Record<string, number>[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const before = await serverMemory(server.url);
    let highest = { ...before };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = await serverMemory(server.url).catch(() => before);
        highest = { heap: Math.max(highest.heap, now.heap), rss: Math.max(highest.rss, now.rss) };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const started = performance.now();
    const answer = await sendFile(server.url, file, map.id, editor);
    const ms = performance.now() - started;
    sampling = false;
    await sampler;
    if (answer.status !== 201) throw new Error(`import answered ${answer.status}: ${answer.body}`);
    const result = JSON.parse(answer.body) as { import: { id: string }; summary: { rows: number; metrics: number; verbatims: number } };
    const figures = {
      run,
      seconds: Math.round(ms / 100) / 10,
      mbPerSecond: Math.round((mb(bytes) / (ms / 1000)) * 10) / 10,
      rows: result.summary.rows,
      metrics: result.summary.metrics,
      verbatims: result.summary.verbatims,
      heapBeforeMB: mb(before.heap),
      heapHighestMB: mb(highest.heap),
      rssBeforeMB: mb(before.rss),
      rssHighestMB: mb(highest.rss),
      rssPeakOverLifeMB: mb(peakRss(server.child.pid!)),
    };
    runs.push(figures);
    log(JSON.stringify(figures));
    const removed = await fetch(`${server.url}/api/maps/${map.id}/imports/${result.import.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${editor}` },
    });
    if (removed.status !== 200) throw new Error(`delete answered ${removed.status}: ${await removed.text()}`);
  }

  const report = {
    date: new Date().toISOString(),
    machine: {
      ...machine(),
      loadAverage1mBefore: Math.round(load * 100) / 100,
    },
    file: { megabytes: mb(bytes), rows },
    medianSeconds: median(runs.map((r) => r.seconds!)),
    medianMbPerSecond: median(runs.map((r) => r.mbPerSecond!)),
    highestHeapMB: Math.max(...runs.map((r) => r.heapHighestMB!)),
    highestRssMB: Math.max(...runs.map((r) => r.rssHighestMB!)),
    runs,
  };
  const outDir = join(repoRoot, 'tests/bench/results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'import.json'), `${JSON.stringify(report, null, 2)}\n`);
  log('wrote tests/bench/results/import.json');
} finally {
  server.child.kill('SIGTERM');
  await server.exited;
  data.remove();
}

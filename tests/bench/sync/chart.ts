import type { ServerKind } from './protocol.js';
import type { ScenarioResult } from './scenarios/result.js';

const COLOURS: Record<ServerKind, string> = {
  waymark: '#d9480f',
  ywebsocket: '#1c7ed6',
  hocuspocus: '#2b8a3e',
  relay: '#868e96',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A line chart of workshop p99 fan-out against updates/s, one line per server; plain SVG. */
export function p99Chart(results: ScenarioResult[]): string {
  const series = results
    .filter((r) => r.scenario === 'workshop' && r.steps && r.steps.length > 0)
    .map((r) => ({
      server: r.server,
      points: r.steps!.map((s) => ({ x: s.updatesPerSecond, y: s.fanout.p99 })).filter((p) => Number.isFinite(p.y)),
    }));
  const width = 720;
  const height = 420;
  const pad = { left: 64, right: 180, top: 40, bottom: 56 };
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const xMax = Math.max(10, ...xs);
  const yMax = niceCeiling(Math.max(1, ...ys));
  const px = (x: number) => pad.left + (x / xMax) * (width - pad.left - pad.right);
  const py = (y: number) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${pad.left}" y="22" font-size="14" font-weight="bold">Workshop room (50 clients): p99 fan-out against load</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const y = (yMax / 5) * i;
    out.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${py(y)}" y2="${py(y)}" stroke="#e9ecef"/>`);
    out.push(`<text x="${pad.left - 8}" y="${py(y) + 4}" text-anchor="end">${formatTick(y)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${height - pad.bottom}" y2="${height - pad.bottom + 5}" stroke="#495057"/>`);
    out.push(`<text x="${px(x)}" y="${height - pad.bottom + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#495057"/>`);
  out.push(`<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#495057"/>`);
  out.push(
    `<text x="${(pad.left + width - pad.right) / 2}" y="${height - 14}" text-anchor="middle">document updates per second into the room (each fanned out to 49 clients)</text>`,
  );
  out.push(
    `<text transform="translate(18 ${(pad.top + height - pad.bottom) / 2}) rotate(-90)" text-anchor="middle">p99 fan-out (ms)</text>`,
  );
  series.forEach((s, i) => {
    const colour = COLOURS[s.server];
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${sorted.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of sorted) out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3.5" fill="${colour}"/>`);
    const ly = pad.top + 10 + i * 22;
    out.push(
      `<line x1="${width - pad.right + 16}" x2="${width - pad.right + 40}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2.5"/>`,
    );
    out.push(`<text x="${width - pad.right + 46}" y="${ly + 4}">${escape(s.server)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

const formatTick = (value: number) => (value === 0 || value >= 10 ? value.toFixed(0) : value.toFixed(1));

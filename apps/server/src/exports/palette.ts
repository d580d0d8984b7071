import type { LaneKind } from '@waymark/model';

/** The editor's colours (apps/web/src/app.css, grid.css, emotion-curve.css), for the exports. */
export const COLOURS = Object.freeze({
  page: '#ffffff',
  cell: '#f3f4f8',
  surface: '#ffffff',
  line: '#e2e5ee',
  lineStrong: '#cdd2df',
  text: '#1b2130',
  muted: '#5d6477',
  accent: '#2f5bea',
  accentSoft: '#e8eeff',
  stageNumber: '#24409f',
  level: '#e6e8ef',
  levelZero: '#c4c9d6',
  emotionHigh: '#f4fbf6',
  emotionLow: '#fdf5f5',
  observed: '#166534',
  proposed: '#1e40af',
});

/** The lane-kind colours of grid.css (`.lane-header[data-kind=…]`). */
export const LANE_KIND_COLOURS: Readonly<Record<LaneKind, string>> = Object.freeze({
  actions: '#3b82f6',
  goals: '#10b981',
  touchpoints: '#8b5cf6',
  channels: '#06b6d4',
  thoughts: '#a855f7',
  emotions: '#f43f5e',
  painPoints: '#ef4444',
  opportunities: '#22c55e',
  kpis: '#f59e0b',
  backstage: '#64748b',
  notes: '#94a3b8',
});

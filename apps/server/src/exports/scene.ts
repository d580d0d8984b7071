import type { Weight } from './export-font.js';

/**
 * A drawing of the map as a flat list of shapes in CSS pixels, made once and then written out as
 * SVG (for the PNG) or drawn into a PDF, so both show the same picture. Text is already cleaned
 * and broken into lines; a text shape is one line, placed by its baseline.
 */

export interface RectShape {
  readonly kind: 'rect';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill: string;
  readonly stroke?: string;
  readonly strokeWidth?: number;
  readonly dash?: readonly number[];
  readonly radius?: number;
}

export interface LineShape {
  readonly kind: 'line';
  readonly points: readonly (readonly [number, number])[];
  readonly stroke: string;
  readonly width: number;
  readonly dash?: readonly number[];
}

export interface CircleShape {
  readonly kind: 'circle';
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
  readonly fill: string;
  readonly stroke?: string;
  readonly strokeWidth?: number;
}

export interface TextShape {
  readonly kind: 'text';
  readonly x: number;
  /** The baseline. */
  readonly y: number;
  readonly text: string;
  readonly size: number;
  readonly weight: Weight;
  readonly fill: string;
  readonly anchor: 'start' | 'middle' | 'end';
}

export type Shape = RectShape | LineShape | CircleShape | TextShape;

export interface Scene {
  /** Whole pixels, so a PNG of the scene is exactly `width × zoom` wide. */
  readonly width: number;
  readonly height: number;
  readonly background: string;
  readonly shapes: readonly Shape[];
}

function channels(colour: string): [number, number, number] {
  const value = Number.parseInt(colour.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** `colour` moved `amount` (0..1) of the way to `other`, both #rrggbb: opaque, so PDF and SVG agree. */
export function mix(colour: string, other: string, amount: number): string {
  const a = channels(colour);
  const b = channels(other);
  return `#${a
    .map((channel, index) =>
      Math.round(channel + (b[index]! - channel) * amount)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** WCAG relative luminance of a #rrggbb colour, 0 (black) to 1 (white). */
export function luminance(colour: string): number {
  const [r, g, b] = channels(colour).map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

import { describe, expect, it } from 'vitest';
import { measureText } from './export-font.js';
import { cleanText, wrapText } from './text-lines.js';

const style = { size: 13, weight: 'regular' } as const;

describe('cleanText', () => {
  it('drops control characters, lone surrogates and noncharacters, keeps line breaks and every script', () => {
    expect(cleanText('a\u0000b\u0001c\u001b\u007f\u0085d\r\ne\tf\uFFFEg\uD800h')).toBe('abcd\ne fgh');
    expect(cleanText('Grüße — Ωμέγα Привет 😀')).toBe('Grüße — Ωμέγα Привет 😀');
  });
});

describe('wrapText', () => {
  it('breaks at spaces so every line fits, and keeps the words in order', () => {
    const text = 'Pricing page does not show the team plan clearly, so buyers leave for a competitor';
    const lines = wrapText(text, 150, style);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(measureText(line, 13)).toBeLessThanOrEqual(150);
    expect(lines.join(' ')).toBe(text);
  });

  it('breaks a word wider than the line inside the word, and keeps line breaks', () => {
    const url = 'https://example.com/a/very/long/path/that/does/not/fit';
    const lines = wrapText(`see\n${url}`, 120, style);
    expect(lines[0]).toBe('see');
    expect(lines.slice(1).join('')).toBe(url);
    for (const line of lines) expect(measureText(line, 13)).toBeLessThanOrEqual(120);
  });

  it('ends a text longer than maxLines with an ellipsis, without reading the rest', () => {
    const lines = wrapText('word '.repeat(200_000), 100, style, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/…$/);
    expect(measureText(lines[2]!, 13)).toBeLessThanOrEqual(100);
  });

  it('gives one empty line for an empty text', () => {
    expect(wrapText('', 100, style)).toEqual(['']);
  });
});

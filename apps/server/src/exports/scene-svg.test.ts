import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { Scene } from './scene.js';
import { escapeXml, sceneToSvg } from './scene-svg.js';

const HOSTILE = `</text><script>alert(1)</script> & 'q' "q" \u0001\u0007 ]]> <!-- x`;

function scene(text: string, fill = '#1b2130'): Scene {
  return {
    width: 300,
    height: 80,
    background: '#ffffff',
    shapes: [
      { kind: 'rect', x: 10, y: 10, width: 280, height: 60, fill: '#fde68a', stroke: '#000000', dash: [4, 3], radius: 8 },
      { kind: 'text', x: 20, y: 40, text, size: 13, weight: 'regular', fill, anchor: 'start' },
    ],
  };
}

describe('escapeXml', () => {
  it('leaves no markup characters and no control characters', () => {
    const escaped = escapeXml(HOSTILE);
    expect(escaped).not.toMatch(/[<>"'\u0000-\u001f]/);
    expect(escaped).not.toMatch(/&(?!#\d+;)/);
    expect(escaped).toBe('&#60;/text&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#39;q&#39; &#34;q&#34;  ]]&#62; &#60;!-- x');
  });
});

describe('sceneToSvg', () => {
  it('keeps hostile text as text: the SVG parses, and holds no element the text tried to open', () => {
    const svg = sceneToSvg(scene(HOSTILE));
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<!--');
    expect(svg).toContain('aria-label="&#60;/text&#62;&#60;script&#62;alert(1)');
    const rendered = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
    expect([rendered.width, rendered.height]).toEqual([300, 80]);
  });

  it('draws text as outlines, each glyph defined once however often it is used', () => {
    const svg = sceneToSvg(scene('aaaa bbbb aaaa'));
    expect(svg).not.toContain('<text');
    expect(svg.match(/<path id="/g)).toHaveLength(2);
    expect(svg.match(/<use href="#r\d+"/g)).toHaveLength(12);
  });

  it('writes only #rrggbb colours into paint attributes', () => {
    const svg = sceneToSvg(scene('x', 'red" onload="alert(1)'));
    expect(svg).not.toContain('onload');
    expect(svg).toContain('fill="#000000"');
  });

  it('is as large as the scene', () => {
    expect(sceneToSvg(scene('x'))).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="300" height="80" viewBox="0 0 300 80">/);
  });
});

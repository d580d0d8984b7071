import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * axe-core run inside a page: the WCAG 2 A and AA rules, with every violation spelled out
 * (rule, element, and for contrast the colours and ratio) so a failing test says what to fix.
 */

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');

export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

interface AxeNode {
  target: unknown[];
  any: { id: string; data?: unknown; message?: string }[];
}
interface AxeRule {
  id: string;
  help: string;
  nodes: AxeNode[];
}
export interface AxeReport {
  /** One line per failing element: rule, selector, and the figures axe measured. */
  readonly violations: string[];
  /** Selectors of the elements whose text contrast axe measured and passed. */
  readonly contrastPasses: string[];
  /** Elements whose contrast axe could not measure (a background image, an overlap), and why. */
  readonly contrastUnsure: string[];
}

export interface AxeOptions {
  /** Rules to leave out, each with the reason; color-contrast is never one of them. */
  readonly skip?: Readonly<Record<string, string>>;
}

export async function runAxe(page: Page, options: AxeOptions = {}): Promise<AxeReport> {
  const skip = Object.keys(options.skip ?? {});
  if (skip.includes('color-contrast')) throw new Error('color-contrast is the point of this check; it is never skipped');
  // The app's Content-Security-Policy refuses inline <script>s (addScriptTag), as it should; an
  // evaluated script comes in through the DevTools protocol, which the policy does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    async ({ tags, skip }) => {
      const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<unknown> } }).axe;
      return (await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        rules: Object.fromEntries(skip.map((id) => [id, { enabled: false }])),
        resultTypes: ['violations', 'passes', 'incomplete'],
      })) as { violations: AxeRule[]; passes: AxeRule[]; incomplete: AxeRule[] };
    },
    { tags: [...WCAG_AA_TAGS], skip },
  );
  const violations = result.violations.flatMap((rule) =>
    rule.nodes.map((node) => `${rule.id} at ${node.target.join(' ')}: ${contrastFigures(node) ?? rule.help}`),
  );
  const contrastPasses = result.passes
    .filter((rule) => rule.id === 'color-contrast')
    .flatMap((rule) => rule.nodes.map((node) => node.target.join(' ')));
  const contrastUnsure = result.incomplete
    .filter((rule) => rule.id === 'color-contrast')
    .flatMap((rule) => rule.nodes.map((node) => `${node.target.join(' ')}: ${node.any[0]?.message ?? 'unsure'}`));
  return { violations, contrastPasses, contrastUnsure };
}

function contrastFigures(node: AxeNode): string | undefined {
  const data = node.any.find((check) => check.id === 'color-contrast')?.data as
    | { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string; fontSize?: string; fontWeight?: string }
    | undefined;
  if (!data?.contrastRatio) return undefined;
  return (
    `${data.fgColor} on ${data.bgColor} is ${data.contrastRatio}:1, needs ${data.expectedContrastRatio} ` +
    `(${data.fontSize}, weight ${data.fontWeight})`
  );
}

/**
 * WCAG 1.4.11 for what axe does not measure: the border that shows where a text field or a
 * select is must have 3:1 against what is behind it. Fields drawn without a border (inline
 * titles, a card's own text) are left out: nothing but their text marks them. One line per
 * field that fails, with its colours and ratio.
 */
export async function controlBorderProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const parse = (colour: string): [number, number, number, number] | null => {
      const parts = colour.match(/[\d.]+/g)?.map(Number);
      return parts && parts.length >= 3 ? [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1] : null;
    };
    const luminance = ([r, g, b]: number[]) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
    };
    const behind = (element: Element): [number, number, number, number] => {
      for (let node = element.parentElement; node; node = node.parentElement) {
        const colour = parse(getComputedStyle(node).backgroundColor);
        if (colour && colour[3] > 0.5) return colour;
      }
      return [255, 255, 255, 1];
    };
    const problems: string[] = [];
    const fields = document.querySelectorAll<HTMLElement>(
      'input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=range]):not([type=color]), select, textarea',
    );
    for (const field of Array.from(fields)) {
      const rect = field.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(field);
      const border = parse(style.borderTopColor);
      if (!border || border[3] < 0.1 || parseFloat(style.borderTopWidth) === 0 || style.borderTopStyle === 'none') continue;
      const back = behind(field);
      const [light, dark] = [luminance(border), luminance(back)].sort((a, b) => b - a);
      const ratio = (light! + 0.05) / (dark! + 0.05);
      if (ratio < 3) {
        const name = field.getAttribute('aria-label') ?? field.id ?? field.className;
        problems.push(
          `${field.tagName.toLowerCase()} "${name}": border ${style.borderTopColor} on ${`rgb(${back.slice(0, 3).join(', ')})`} is ${ratio.toFixed(2)}:1, needs 3:1`,
        );
      }
    }
    return problems;
  });
}

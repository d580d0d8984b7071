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

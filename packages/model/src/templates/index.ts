import { blankTemplate } from './blank.js';
import { buyerJourneyTemplate } from './buyer-journey.js';
import { leadNurturingTemplate } from './lead-nurturing.js';
import { onboardingTemplate } from './onboarding.js';
import { retentionChurnTemplate } from './retention-churn.js';
import { serviceSupportTemplate } from './service-support.js';
import type { MapTemplate } from './template.js';

export type { MapTemplate } from './template.js';

/** Picker order: the common starting points first, blank last. */
const TEMPLATE_IDS = ['buyer-journey', 'lead-nurturing', 'onboarding', 'retention-churn', 'service-support', 'blank'] as const;

export type TemplateId = (typeof TEMPLATE_IDS)[number];

// Typed by TemplateId so the compiler insists every id has a template.
const TEMPLATES_BY_ID: Readonly<Record<TemplateId, MapTemplate>> = {
  'buyer-journey': buyerJourneyTemplate,
  'lead-nurturing': leadNurturingTemplate,
  onboarding: onboardingTemplate,
  'retention-churn': retentionChurnTemplate,
  'service-support': serviceSupportTemplate,
  blank: blankTemplate,
};

/**
 * Template ids in picker order. Typed as plain strings so callers can test untrusted input
 * with `templateIds.includes(x)`; `isTemplateId` narrows to TemplateId.
 */
export const templateIds: readonly string[] = Object.freeze([...TEMPLATE_IDS]);

/**
 * id → template, string-keyed for the same reason: with noUncheckedIndexedAccess a lookup
 * by an untrusted id is `MapTemplate | undefined`. Use `templateById` with a TemplateId.
 */
export const TEMPLATES: Readonly<Record<string, MapTemplate>> = Object.freeze({ ...TEMPLATES_BY_ID });

export function isTemplateId(value: unknown): value is TemplateId {
  return typeof value === 'string' && templateIds.includes(value);
}

export function templateById(id: TemplateId): MapTemplate {
  return TEMPLATES_BY_ID[id];
}

import type { LaneKind } from '../records/lane.js';
import type { PersonaInput } from '../records/persona.js';

/**
 * A starting point for a new map: the stages and lanes a CX team would otherwise draw by
 * hand, a goal to edit, and optionally a sample persona to rename.
 */
export interface MapTemplate {
  readonly id: string;
  readonly name: string;
  /** One line for the "new map" picker. */
  readonly description: string;
  /** Prefilled as the map's goal when the creator gives none. */
  readonly suggestedGoal: string;
  readonly stages: readonly string[];
  readonly lanes: readonly { readonly title: string; readonly kind: LaneKind }[];
  readonly personas: readonly PersonaInput[];
}

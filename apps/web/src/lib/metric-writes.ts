import {
  addMetric,
  deleteMetric,
  setMeta,
  updateMetric,
  type MetaPatch,
  type MetricInput,
  type MetricPatch,
  type Origin,
} from '@waymark/model';
import type * as Y from 'yjs';
import { readableWriteError } from './stage-figures';

/** What the metric writes need of the page's session. */
export interface MetricWriter {
  readonly doc: Y.Doc;
  readonly origin: Origin;
  readonly canShapeMap: boolean;
  readonly history: { checkpoint(): void };
}

/** null when the write was made; else why not, in words for the form that asked. */
export type WriteError = string | null;

/**
 * Customer data and the business-impact settings, written like every other edit: under the
 * page's one origin, each its own undo step. Unlike the map commands, which report a refusal as
 * a notice, these return it, so a form can show it beside the field that caused it.
 */
export class MetricWrites {
  constructor(private readonly session: MetricWriter) {}

  add(input: MetricInput): WriteError {
    return this.#write(() => addMetric(this.session.doc, input, this.session.origin));
  }

  update(id: string, patch: MetricPatch): WriteError {
    return this.#write(() => updateMetric(this.session.doc, id, patch, this.session.origin));
  }

  remove(id: string): WriteError {
    return this.#write(() => deleteMetric(this.session.doc, id, this.session.origin));
  }

  /** Value per customer, currency, calibration. */
  setImpactSettings(patch: MetaPatch): WriteError {
    return this.#write(() => setMeta(this.session.doc, patch, this.session.origin));
  }

  #write(write: () => unknown): WriteError {
    // Owners and editors only (the server's policy refuses anyone else's write anyway).
    if (!this.session.canShapeMap) return 'Only owners and editors change the customer data.';
    this.session.history.checkpoint();
    try {
      write();
      return null;
    } catch (error) {
      return readableWriteError(error);
    }
  }
}

import { topLevelMap, type Origin } from '@waymark/model';
import * as Y from 'yjs';

/**
 * Undo and redo of this person's own edits. The UndoManager tracks only transactions made
 * with this session's origin, so Ctrl+Z never takes back what a colleague just typed.
 */
export class UndoHistory {
  #canUndo = $state(false);
  #canRedo = $state(false);
  readonly #manager: Y.UndoManager;
  readonly #listeners = new Set<() => void>();

  constructor(doc: Y.Doc, origin: Origin) {
    const scope = (['meta', 'stages', 'lanes', 'cards', 'personas', 'emotions', 'actions', 'metrics'] as const).map((key) =>
      topLevelMap(doc, key),
    );
    this.#manager = new Y.UndoManager(scope, {
      trackedOrigins: new Set([origin]),
      captureTimeout: 600,
    });
    const refresh = () => {
      this.#canUndo = this.#manager.canUndo();
      this.#canRedo = this.#manager.canRedo();
    };
    this.#manager.on('stack-item-added', () => {
      refresh();
      for (const listener of this.#listeners) listener();
    });
    this.#manager.on('stack-item-popped', refresh);
    this.#manager.on('stack-cleared', refresh);
  }

  get canUndo(): boolean {
    return this.#canUndo;
  }
  get canRedo(): boolean {
    return this.#canRedo;
  }

  undo(): void {
    this.#manager.undo();
  }

  redo(): void {
    this.#manager.redo();
  }

  /** Starts a new undo step, so the next edit is not merged into the typing before it. */
  checkpoint(): void {
    this.#manager.stopCapturing();
  }

  /** Called whenever a new step is recorded (an "Undo" offer goes stale then). */
  onNewStep(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    this.#manager.destroy();
  }
}

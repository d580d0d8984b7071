import type { MapSession } from './map-session.svelte';
import type { MapUi } from './map-ui.svelte';

export interface DeletableHeader {
  kind: 'stage' | 'lane';
  /** As the header shows it. */
  name: string;
  /** Cards that go with it. */
  cards: number;
  remove(): void;
}

/** Asks before deleting a stage or lane and its cards; once confirmed, deletes it as one undo step and offers Undo. */
export function askToDeleteHeader(session: MapSession, ui: MapUi, { kind, name, cards, remove }: DeletableHeader): void {
  const label = kind === 'stage' ? 'Stage' : 'Lane';
  ui.ask({
    title: `Delete the ${kind} “${name}”?`,
    message: cards > 0 ? `Its ${cards} ${cards === 1 ? 'card goes' : 'cards go'} with it. You can undo this.` : 'You can undo this.',
    confirmLabel: `Delete ${kind}`,
    onConfirm: () => {
      session.history.checkpoint();
      remove();
      session.history.checkpoint();
      session.notices.show(`${label} “${name}” deleted`, { action: { label: 'Undo', run: () => session.undo() } });
    },
  });
}

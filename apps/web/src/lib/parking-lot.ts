import type { ParkedTopic } from '@waymark/model';
import { whenFrom } from './link-times';

/** The parking lot's words and choices, apart from the dialog that shows them. */

/** The server's limit on a topic, mirrored so the textarea stops there. */
export const TOPIC_MAX = 500;

/** "Pat · 5 minutes ago"; a topic parked without a name is someone's. */
export function topicByline(topic: ParkedTopic, now: number): string {
  return `${topic.by.trim() || 'Someone'} · ${whenFrom(topic.at, now)}`;
}

/** Enter parks the topic; Shift+Enter is a new line, and Enter that ends an IME composition is the IME's. */
export function parksOnKey(event: { readonly key: string; readonly shiftKey: boolean; readonly isComposing: boolean }): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing;
}

/** The cell a new card goes to: the last choice while the map still has it, else the first stage and lane. */
export function cellChoice(
  stages: readonly { readonly id: string }[],
  lanes: readonly { readonly id: string }[],
  previous: { readonly stageId: string; readonly laneId: string } | null,
): { stageId: string; laneId: string } | null {
  if (stages.length === 0 || lanes.length === 0) return null;
  return {
    stageId: stages.some((stage) => stage.id === previous?.stageId) ? previous!.stageId : stages[0]!.id,
    laneId: lanes.some((lane) => lane.id === previous?.laneId) ? previous!.laneId : lanes[0]!.id,
  };
}

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard } from '../writes/cards.js';
import { addLane } from '../writes/lanes.js';
import { addStage } from '../writes/stages.js';
import { mentionsIn, readComments } from './comment.js';

describe('mentionsIn', () => {
  it('finds the known names written as @Name, a longer name over a shorter one, each once, in their own spelling', () => {
    const names = ['Ben', 'Ben Ali', 'Ana', 'Zoë'];
    expect(mentionsIn('@ben and @Ben Ali, ask @zoë; @Ana. @ana again', names)).toEqual(['Ben', 'Ben Ali', 'Zoë', 'Ana']);
    expect(mentionsIn('@Benedict and ana@example.com and Ben', names)).toEqual([]);
    expect(mentionsIn('@Ben', [' ', 'Ben', 'Ben'])).toEqual(['Ben']);
  });
});

describe('readComments', () => {
  it('skips records that do not fit and keeps the rest', () => {
    const doc = new Y.Doc();
    const stageId = addStage(doc, { name: 'Purchase' });
    const laneId = addLane(doc, { title: 'Notes', kind: 'notes' });
    const cardId = addCard(doc, { stageId, laneId, text: 'x' });
    const comments = doc.getMap<unknown>('comments');
    const record = (fields: Record<string, unknown>) =>
      new Y.Map(Object.entries({ targetKind: 'card', targetId: cardId, replyTo: '', text: 'ok', ...fields }));
    comments.set('good', record({}));
    comments.set('blank', record({ text: '  ' }));
    comments.set('long', record({ text: 'x'.repeat(4001) }));
    comments.set('kind', record({ targetKind: 'lane' }));
    comments.set('resolved', record({ resolved: 'yes' }));
    comments.set('plain', 'not a map');
    comments.set('replyToReply', record({ replyTo: 'reply' }));
    comments.set('reply', record({ replyTo: 'good' }));
    comments.set('elsewhere', record({ replyTo: 'good', targetKind: 'stage', targetId: stageId }));
    expect(
      readComments(doc)
        .map((c) => c.id)
        .sort(),
    ).toEqual(['good', 'reply']);
  });
});

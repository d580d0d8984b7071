import { describe, expect, it } from 'vitest';
import { insertMention, mentionPieces, mentionQuery, mentionSuggestions } from './comment-text';

describe('comment text', () => {
  it('marks the names a comment mentions, and nothing else', () => {
    expect(mentionPieces('Ask @ben ali and @Ana, not ana@example.com', ['Ben Ali', 'Ana'])).toEqual([
      { text: 'Ask ', mention: false },
      { text: '@ben ali', mention: true },
      { text: ' and ', mention: false },
      { text: '@Ana', mention: true },
      { text: ', not ana@example.com', mention: false },
    ]);
    expect(mentionPieces('@Bob', [])).toEqual([{ text: '@Bob', mention: false }]);
  });

  it('finds the mention being typed, offers names for it and puts the chosen one in', () => {
    expect(mentionQuery('Hi @Be', 6)).toEqual({ start: 3, query: 'Be' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail ana@ex', 11)).toBeNull();
    expect(mentionQuery('Hi @Ben Ali', 11)).toEqual({ start: 3, query: 'Ben Ali' });
    expect(mentionSuggestions(['Ana', 'Ben Ali', 'Reuben'], 'be')).toEqual(['Ben Ali', 'Reuben']);
    expect(insertMention('Hi @Be there', 3, 6, 'Ben Ali')).toEqual({ text: 'Hi @Ben Ali  there', caret: 12 });
  });
});

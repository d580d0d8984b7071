import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { commonAffixes, replaceText } from './text-diff.js';

function textWith(content: string): Y.Text {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, content);
  return text;
}

describe('commonAffixes', () => {
  it('finds the shared prefix and suffix', () => {
    expect(commonAffixes('hello world', 'hello brave world')).toEqual({ prefix: 6, suffix: 5 });
    expect(commonAffixes('abc', 'abc')).toEqual({ prefix: 3, suffix: 0 });
    expect(commonAffixes('', 'x')).toEqual({ prefix: 0, suffix: 0 });
    // prefix and suffix never overlap on repeated characters
    expect(commonAffixes('aa', 'aaa')).toEqual({ prefix: 2, suffix: 0 });
  });

  it('never cuts a surrogate pair in half', () => {
    // 😀 and 😁 share their high surrogate
    const { prefix, suffix } = commonAffixes('a😀b', 'a😁b');
    expect(prefix).toBe(1);
    expect(suffix).toBe(1);
    const tail = commonAffixes('😀x', '😁😀x');
    expect(tail.prefix).toBe(0);
  });
});

describe('replaceText', () => {
  it('edits only the changed middle', () => {
    const text = textWith('hello world');
    const deltas: unknown[] = [];
    text.observe((event) => deltas.push(event.delta));
    replaceText(text, 'hello brave world');
    expect(text.toString()).toBe('hello brave world');
    expect(deltas).toEqual([[{ retain: 6 }, { insert: 'brave ' }]]);
  });

  it('keeps concurrent typing elsewhere in the text', () => {
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    docA.getText('t').insert(0, 'Slow checkout page');
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA));
    replaceText(docA.getText('t'), 'Slow payment page'); // A rewords the middle
    docB.getText('t').insert(docB.getText('t').length, '!'); // B types at the end
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB));
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA));
    expect(docA.getText('t').toString()).toBe('Slow payment page!');
    expect(docB.getText('t').toString()).toBe('Slow payment page!');
  });

  it('handles emoji edits without replacement characters', () => {
    const text = textWith('mood 😀 ok');
    replaceText(text, 'mood 😁 ok');
    expect(text.toString()).toBe('mood 😁 ok');
    replaceText(text, '');
    expect(text.toString()).toBe('');
    replaceText(text, '🎉');
    expect(text.toString()).toBe('🎉');
  });
});

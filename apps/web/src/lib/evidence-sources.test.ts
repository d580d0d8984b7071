import { describe, expect, it } from 'vitest';
import { draftProblem, emptySourceDraft, sourceCountText, sourceFromDraft, sourceLabel, type SourceDraft } from './evidence-sources';

const draft = (fields: Partial<SourceDraft>): SourceDraft => ({ ...emptySourceDraft('quote'), ...fields });

describe('evidence source drafts', () => {
  it('keeps only the fields a kind uses, trimmed', () => {
    expect(sourceFromDraft(draft({ kind: 'quote', text: '  Too many steps ', url: 'https://x.example', count: 3 }))).toEqual({
      kind: 'quote',
      text: 'Too many steps',
      url: '',
      count: 0,
      origin: '',
    });
    expect(sourceFromDraft(draft({ kind: 'link', text: 'Notes', url: ' https://wiki.example/notes ' }))).toEqual({
      kind: 'link',
      text: 'Notes',
      url: 'https://wiki.example/notes',
      count: 0,
      origin: '',
    });
    expect(sourceFromDraft(draft({ kind: 'count', text: 'tickets', count: 12 })).count).toBe(12);
    expect(sourceFromDraft(draft({ kind: 'verbatim', text: 'Slow', origin: ' Q3 survey ' })).origin).toBe('Q3 survey');
  });

  it('says what to fix, and which field, in the form’s words', () => {
    const check = (fields: Partial<SourceDraft>) => draftProblem(sourceFromDraft(draft(fields)), 0);
    expect(check({ kind: 'quote', text: 'Too many steps' })).toBeNull();
    expect(check({ kind: 'link', url: 'https://wiki.example/notes' })).toBeNull();
    expect(check({ kind: 'count', text: 'tickets', count: 0 })).toBeNull();
    expect(check({ kind: 'quote', text: '   ' })).toEqual({ field: 'text', message: 'Write what the customer said.' });
    expect(check({ kind: 'verbatim' })).toEqual({ field: 'text', message: 'Write the survey comment.' });
    expect(check({ kind: 'link' })).toEqual({ field: 'url', message: 'Give the address of the link.' });
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,hi',
      'wiki.example/notes',
      'https://',
      'https://a b',
    ]) {
      expect(check({ kind: 'link', url })?.field, url).toBe('url');
    }
    expect(check({ kind: 'link', url: 'javascript:alert(1)' })?.message).toBe(
      'The address must be a web address starting with http:// or https://.',
    );
    expect(check({ kind: 'count', text: 'tickets', count: null })?.field).toBe('count');
    expect(check({ kind: 'count', text: 'tickets', count: 2.5 })?.field).toBe('count');
    expect(check({ kind: 'count', text: 'tickets', count: -1 })?.field).toBe('count');
    expect(check({ kind: 'count', count: 4 })?.field).toBe('text');
    expect(check({ kind: 'quote', text: 'x'.repeat(2001) })).toEqual({
      field: 'text',
      message: "A source's text must be at most 2000 characters.",
    });
  });

  it('refuses a source beyond the most a card holds', () => {
    const source = sourceFromDraft(draft({ text: 'One more' }));
    expect(draftProblem(source, 49)).toBeNull();
    expect(draftProblem(source, 50)?.message).toMatch(/at most 50 sources/);
  });

  it('names sources for their buttons and counts them for the card note', () => {
    expect(sourceLabel({ kind: 'quote', text: 'Too many steps', url: '', count: 0, origin: '' })).toBe('Quote “Too many steps”');
    expect(sourceLabel({ kind: 'link', text: '', url: 'https://wiki.example', count: 0, origin: '' })).toBe('Link https://wiki.example');
    expect(sourceLabel({ kind: 'count', text: 'tickets', url: '', count: 12, origin: '' })).toBe('Count 12 tickets');
    expect(sourceLabel({ kind: 'quote', text: 'y'.repeat(100), url: '', count: 0, origin: '' })).toHaveLength('Quote '.length + 60);
    expect([0, 1, 3].map(sourceCountText)).toEqual(['', '1 source', '3 sources']);
  });
});

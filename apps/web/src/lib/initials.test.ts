import { describe, expect, it } from 'vitest';
import { initials } from './initials';

describe('initials', () => {
  it('takes the first and last capitalised words, skipping small words between them', () => {
    expect(initials('Sam from Support')).toBe('SS');
    expect(initials('Ana María López')).toBe('AL');
    expect(initials('Bob Smith')).toBe('BS');
  });

  it('leaves out asides in brackets', () => {
    expect(initials('Cleo (CX lead)')).toBe('C');
    expect(initials('Sam [Support] Jones')).toBe('SJ');
    expect(initials('(CX lead)')).toBe('CL');
  });

  it('draws one letter for one word', () => {
    expect(initials('Alice')).toBe('A');
    expect(initials('Guest 2')).toBe('G');
  });

  it('uses every word that starts with a letter when fewer than two are capitalised', () => {
    expect(initials('priya patel')).toBe('PP');
    expect(initials('Sam from support')).toBe('SS');
  });

  it('skips leading quotes and keeps letters outside ASCII whole', () => {
    expect(initials('"Jo" Bloggs')).toBe('JB');
    expect(initials('Émile Zola')).toBe('ÉZ');
    expect(initials('𝒜da Lovelace')).toBe('𝒜L');
  });

  it('falls back to the first character, or a question mark for no name', () => {
    expect(initials('42')).toBe('4');
    expect(initials('   ')).toBe('?');
    expect(initials('')).toBe('?');
  });
});

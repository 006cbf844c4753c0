import { describe, expect, it } from 'vitest';
import { expandScope } from './programs.js';

describe('expandScope', () => {
  it.each([
    [['security-assistance'], ['FMF', 'IMET', 'INCLE', 'NADR', 'PKO']],
    [
      ['IMET', 'dod'],
      ['CTFP', 'IMET', 'SEC333'],
    ],
    [
      ['IMET', 'IMET', 'security-assistance'],
      ['FMF', 'IMET', 'INCLE', 'NADR', 'PKO'],
    ],
    [['sales'], ['DCS', 'FMS']],
  ])('%j → %j', (terms, programs) => {
    expect(expandScope(terms)).toEqual({ ok: true, programs });
  });

  it('names the first unknown term', () => {
    expect(expandScope(['IMET', 'E-IMET', 'bogus'])).toEqual({ ok: false, unknown: 'E-IMET' });
  });
});

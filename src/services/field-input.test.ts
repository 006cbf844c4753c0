import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkTextField,
  checkTextTree,
  parseDateField,
  parseInstant,
  parseKnownOn,
  parseOptionalDateField,
  parseWholeNumberField,
  TEXT_LIMIT,
  textLimitOf,
} from './field-input.js';

describe('parseDateField', () => {
  it.each([
    ['1950-01-01', { ok: true, value: '1950-01-01' }],
    ['2100-12-31', { ok: true, value: '2100-12-31' }],
    ['2020-02-29', { ok: true, value: '2020-02-29' }],
  ])('accepts %s', (text, expected) => {
    expect(parseDateField('on', text)).toEqual(expected);
  });

  it.each([
    ['1949-12-31', /^1949-12-31 is outside 1950–2100$/],
    ['2101-01-01', /^2101-01-01 is outside 1950–2100$/],
    ['2019-13-01', /^not a calendar date YYYY-MM-DD \(1950–2100\): 2019-13-01$/],
    ['2019-02-29', /^not a calendar date/],
    ['yesterday', /^not a calendar date/],
    ['2019-1-1', /^not a calendar date/],
    [' 2019-01-01', /^not a calendar date/],
    ['', /^not a calendar date/],
  ])('refuses %j, naming the field and the range', (text, message) => {
    const result = parseDateField('from', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'INPUT.INVALID', field: 'from' });
    expect(result.error.message).toMatch(message);
  });

  it('leaves an optional date out when absent or empty, and checks it otherwise', () => {
    expect(parseOptionalDateField('until', undefined)).toEqual({ ok: true, value: null });
    expect(parseOptionalDateField('until', '')).toEqual({ ok: true, value: null });
    expect(parseOptionalDateField('until', '2101-01-01').ok).toBe(false);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2019-02-28T00:00:00Z', '2019-02-28T00:00:00.000Z'],
    ['2019-02-28', '2019-02-28T00:00:00.000Z'],
    ['2019-02-28T10:00+05:30', '2019-02-28T04:30:00.000Z'],
    ['2019-02-28T10:00:00.5-0500', '2019-02-28T15:00:00.500Z'],
    ['2020-02-29T23:59:59Z', '2020-02-29T23:59:59.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it.each([
    '2019-02-30T00:00:00Z', // Date.parse reads this as 2019-03-02
    '2019-02-29T00:00:00Z',
    '2019-13-01T00:00:00Z',
    '2019-02-28T25:00:00Z',
    '2019-02-28T23:60:00Z',
    '2019-02-30',
    '2019-02-28T10:00:00', // no offset: which zone?
    'yesterday',
    '',
  ])('refuses %j instead of rolling it over', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('refuses a known-on instant that is impossible or still to come, naming the field', () => {
    const clock = () => '2026-01-01T00:00:00.000Z';
    expect(parseKnownOn('knownOn', '2019-02-30T00:00:00Z', clock)).toMatchObject({
      ok: false,
      error: { field: 'knownOn' },
    });
    expect(parseKnownOn('knownOn', '2027-01-01', clock)).toMatchObject({
      ok: false,
      error: { field: 'knownOn', message: expect.stringMatching(/in the future/) as unknown },
    });
    expect(parseKnownOn('knownOn', undefined, clock)).toEqual({ ok: true, value: null });
  });
});

describe('parseWholeNumberField', () => {
  it.each([
    ['5', {}, 5],
    [' 7 ', {}, 7],
    ['0', { min: 0 }, 0],
    ['100', { min: 0, max: 100 }, 100],
  ])('%j within %j is %i', (text, bounds, expected) => {
    expect(parseWholeNumberField('limit', text, bounds)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['-5', {}],
    ['0', {}],
    ['2.5', {}],
    ['abc', {}],
    ['5x', {}],
    ['1e3', {}],
    ['0x10', {}],
    ['', {}],
    ['101', { min: 0, max: 100 }],
    ['-1', { min: 0 }],
    ['99999999999999999999', {}],
  ])('refuses %j within %j, naming the field', (text, bounds) => {
    const result = parseWholeNumberField('limit', text, bounds);
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID', field: 'limit' } });
  });
});

describe('checkTextField', () => {
  it.each([
    ['ascii', 'Khan'],
    ['astral-plane emoji (a valid surrogate pair)', 'flag 🇵🇰 and 😀'],
    ['combining marks', 'e\u0301 a\u0308 n\u0303'],
    ['right-to-left text', 'محمد علی خان'],
    ['ß and ligatures', 'Straße ﬁ'],
    ['other control characters', 'tab\there\nnew line'],
    ['empty', ''],
  ])('keeps %s exactly as given', (_what, text) => {
    expect(checkTextField('name', text)).toEqual({ ok: true, value: text });
  });

  it.each([
    ['a NUL', 'a\u0000b', /NUL character \(U\+0000\) at 1/],
    ['a lone high surrogate', 'a\uD800b', /lone UTF-16 surrogate \(U\+D800\) at 1/],
    ['a lone low surrogate', '\uDC00', /lone UTF-16 surrogate \(U\+DC00\) at 0/],
    ['a high surrogate at the end', 'ok\uDBFF', /U\+DBFF\) at 2/],
    ['two high surrogates', '\uD83D\uD83D\uDE00', /U\+D83D\) at 0/],
  ])('refuses %s, naming the field', (_what, text, message) => {
    const result = checkTextField('scope.0', text);
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID', field: 'scope.0' } });
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(checkTextField('note', '😀'.repeat(10), 10).ok).toBe(true);
    expect(checkTextField('note', 'x'.repeat(11), 10)).toMatchObject({
      ok: false,
      error: { field: 'note', message: 'at most 10 characters (got 11)' },
    });
    expect(checkTextField('basis', 'x'.repeat(TEXT_LIMIT)).ok).toBe(true);
    expect(checkTextField('basis', 'x'.repeat(TEXT_LIMIT + 1)).ok).toBe(false);
  });

  it('gives ids, codes and names tighter limits than free text, by the last name of the path', () => {
    expect(textLimitOf('basis')).toBe(TEXT_LIMIT);
    expect(textLimitOf('id')).toBeLessThan(TEXT_LIMIT);
    expect(textLimitOf('queries.3.country')).toBe(textLimitOf('country'));
    expect(textLimitOf('scope.0')).toBe(textLimitOf('scope'));
    expect(textLimitOf('familyName')).toBeLessThan(TEXT_LIMIT);
    expect(checkTextField('id', 'x'.repeat(textLimitOf('id') + 1)).ok).toBe(false);
  });

  it('accepts every well-formed string and refuses every one with a NUL or a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(checkTextField('f', text).ok).toBe(!text.includes('\0'));
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\0'),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        (before, bad, after) => {
          // A low surrogate after a high one would pair: keep it apart with a space.
          expect(checkTextField('f', `${before} ${bad} ${after}`).ok).toBe(false);
        },
      ),
    );
  });
});

describe('checkTextTree', () => {
  it('names the JSON path of the first bad string in document order', () => {
    expect(checkTextTree({ name: 'ok', scope: ['IMET', 'F\u0000MF', '\uD800'] })).toMatchObject({
      ok: false,
      error: { field: 'scope.1', message: expect.stringMatching(/NUL/) as unknown },
    });
    expect(
      checkTextTree({ queries: [{ country: 'PAK' }, { country: 'JOR', on: '\uDFFF' }] }),
    ).toMatchObject({ ok: false, error: { field: 'queries.1.on' } });
    expect(checkTextTree('\u0000')).toMatchObject({ ok: false, error: { field: 'value' } });
  });

  it('checks field names too, and leaves numbers, booleans and null alone', () => {
    expect(checkTextTree({ a: { 'b\u0000': 1 } })).toMatchObject({
      ok: false,
      error: {
        field: 'a',
        message: expect.stringMatching(/^a field name contains a NUL/) as unknown,
      },
    });
    expect(checkTextTree({ n: 1, b: true, z: null, s: ['ß', { t: '😀' }] })).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('refuses what checking each string at its spelled-out path refuses, naming the same field', () => {
    // The plain way: every string checked at its path spelled out, its limit read off that path.
    const byPaths = (value: unknown, path = ''): { field: string; message: string } | undefined => {
      const field = path === '' ? 'value' : path;
      const under = (key: string) => (path === '' ? key : `${path}.${key}`);
      if (typeof value === 'string') {
        const checked = checkTextField(field, value);
        return checked.ok ? undefined : { field, message: checked.error.message };
      }
      const entries = Array.isArray(value)
        ? value.map((v, i) => [String(i), v] as const)
        : typeof value === 'object' && value !== null
          ? Object.entries(value)
          : [];
      // An object's field names first (the last first), then what they hold, in order.
      if (!Array.isArray(value))
        for (const [key] of [...entries].reverse()) {
          const checked = checkTextField(field, key, TEXT_LIMIT);
          if (!checked.ok) return { field, message: `a field name ${checked.error.message}` };
        }
      for (const [key, child] of entries) {
        const found = byPaths(child, under(key));
        if (found !== undefined) return found;
      }
      return undefined;
    };
    const name = fc.constantFrom('country', 'on', 'id', 'basis', 'scope', '7', 'a\u0000', 'x.id');
    const text = fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.constantFrom('\u0000', '\uD800', 'x'.repeat(201), 'x'.repeat(1_001)),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(name, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const checked = checkTextTree(value);
        const expected = byPaths(value);
        if (expected === undefined) expect(checked.ok).toBe(true);
        else expect(checked).toMatchObject({ ok: false, error: expected });
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives a field named like a property of every object (constructor) the default limit', () => {
    expect(textLimitOf('constructor')).toBe(TEXT_LIMIT);
    expect(checkTextTree({ constructor: 'x'.repeat(TEXT_LIMIT + 1) }).ok).toBe(false);
  });

  it('walks a deeply nested value without exhausting the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const result = checkTextTree(deep);
    expect(result.ok).toBe(false);
  });
});

// Name matching: the examples that must and must not match, and the invariants of the matcher.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  indexNames,
  matchesName,
  nameScore,
  nameTokens,
  searchByName,
  searchIndexedNames,
} from './names.js';
import type { PersonName } from './types.js';

function person(familyName: string, givenNames: string, nameVariants: string[] = []): PersonName {
  return { familyName, givenNames, nameVariants };
}

/** No variants, so every match below comes from the matcher, not from a stored spelling. */
const KHAN = person('KHAN', 'Mohammad Ali');

describe('nameTokens', () => {
  it.each([
    ['José Pérez', ['jose', 'perez']],
    ['KHAN, Mohammad Ali', ['khan', 'mohammad', 'ali']],
    ['Al-Hassan', ['alhassan']],
    ['Al Hassan', ['alhassan']],
    ['ALHASSAN', ['alhassan']],
    ['el‑Hassan', ['elhassan']],
    ["O'Brien", ['obrien']],
    ['O’Brien', ['obrien']],
    ['Abd al-Rahman', ['abdalrahman']],
    ['Abdul Rahman', ['abdulrahman']],
    ['Zia-ul-Haq', ['ziaulhaq']],
    ['Zia ul Haq', ['ziaulhaq']],
    ['Mary-Jane Smith', ['mary', 'jane', 'smith']],
    ['Ærø Łukasz Straße', ['aero', 'lukasz', 'strasse']],
    ['Mohammad Al', ['mohammad', 'al']],
    [' ,. - ', []],
  ])('%s → %j', (text, tokens) => {
    expect(nameTokens(text)).toEqual(tokens);
  });
});

describe('matchesName', () => {
  it.each([
    ['Muhammad Ali Khan', KHAN],
    ['Khan, Muhammad Ali', KHAN],
    ['mohamed ali khan', KHAN],
    ['Mohammed Khan', KHAN],
    ['Muhammed Aly Khan', KHAN],
    ['Ali Khan', KHAN],
    ['Khan', KHAN],
    ['Mohammad Ali', KHAN],
    ['José Pérez', person('PEREZ', 'JOSE')],
    ['Perez, Jose', person('PÉREZ', 'José')],
    ['Omar Al-Hassan', person('AL HASSAN', 'Omar')],
    ['Omar Al Hassan', person('ALHASSAN', 'Omar')],
    ['Umar Alhassan', person('AL-HASSAN', 'Omar')],
    ['Omar Hassan', person('AL-HASSAN', 'Omar')],
    ['Harun Rashid', person('AR-RASHID', 'Harun')],
    ['Yousef Husain', person('HUSSEIN', 'Yusuf')],
    ['Youssef Hussain', person('HUSSEIN', 'Yusuf')],
    ['Yusuf Abd al-Rahman Hussein', person('HUSSEIN', 'Yousef Abdel Rahman')],
    ['Abdul Rahman', person('HUSSEIN', 'Yusuf Abdelrahman')],
    ['Ahmed Raza', person('RAZA', 'Ahmad')],
    ['Ahmad Reza', person('RAZA', 'Ahmed')],
    ['Khaled Tarek', person('TARIQ', 'Khalid')],
    ['Kwame Mensak', person('MENSAH', 'Kwame')],
    ['Mohd Nasiruddin', person('NASIR-UD-DIN', 'Muhammad')],
    ['Mohammad Ali Khan', person('DURRANI', 'Ali', ['Mohammad Ali Khan'])],
  ])('"%s" finds %o', (query, someone) => {
    expect(matchesName(query, someone)).toBe(true);
  });

  it.each([
    ['Imran Malik', person('KHAN', 'Ali')],
    ['Ali Malik', KHAN],
    ['Muhammad Ali Khan Durrani', KHAN],
    ['Ali Ali', KHAN],
    ['Muhammad Ali Cohen', KHAN],
    ['Muhammad Ali Kane', KHAN],
    ['Ahmed Rashid', person('RAZA', 'Ahmed')],
    ['Ahmed Raza', person('RASHID', 'Ahmed')],
    ['Ahmed Rafa', person('RAZA', 'Ahmed')],
    ['Imam Khan', person('KHAN', 'Imran')],
    ['Omar Hassan', person('HUSSEIN', 'Omar')],
    ['Amir Hussein', person('HUSSEIN', 'Omar')],
    ['Jose Lopez', person('PEREZ', 'José')],
    ['', KHAN],
    ['  - ', KHAN],
  ])('"%s" does not find %o', (query, someone) => {
    expect(matchesName(query, someone)).toBe(false);
  });
});

describe('nameScore', () => {
  it('is 1 for a name as recorded, in either order', () => {
    expect(nameScore('Mohammad Ali Khan', KHAN)).toBe(1);
    expect(nameScore('KHAN, Mohammad Ali', KHAN)).toBe(1);
  });

  it('ranks exact over transliterated, whole names over parts, and non-matches at 0', () => {
    const scores = [
      'Mohammad Ali Khan',
      'Muhammad Ali Khan',
      'Muhammad Khan',
      'Khan',
      'Imran Malik',
    ].map((query) => nameScore(query, KHAN));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(scores).size).toBe(scores.length);
    expect(scores.at(-1)).toBe(0);
  });

  it('takes the best of the recorded names', () => {
    const withVariant = person('DURRANI', 'Ali', ['Mohammad Ali Khan']);
    expect(nameScore('Mohammad Ali Khan', withVariant)).toBe(1);
    expect(nameScore('Ali Durrani', withVariant)).toBe(1);
  });
});

describe('searchByName', () => {
  const people = [
    { id: 'malik', ...person('MALIK', 'Imran') },
    { id: 'part', ...person('KHAN', 'Mohammad Ali Aziz') },
    { id: 'spelt', ...person('KHAN', 'Muhammed Ali') },
    { id: 'exact', ...person('KHAN', 'Mohammad Ali') },
    { id: 'rashid', ...person('RASHID', 'Ahmed') },
    { id: 'twin', ...person('KHAN', 'Mohammad Ali') },
  ];
  const ids = (query: string): string[] => searchByName(query, people).map(({ id }) => id);

  it('returns the matches best first, ties in input order', () => {
    expect(ids('Mohammad Ali Khan')).toEqual(['exact', 'twin', 'spelt', 'part']);
  });

  it('finds nobody for a name nobody has, or an empty query', () => {
    expect(ids('Ahmed Raza')).toEqual([]);
    expect(ids('')).toEqual([]);
  });

  it('finds among 10,000 people exactly those matchesName accepts', () => {
    // Speed is not asserted here (timed unit tests are flaky on shared machines).
    const many = syntheticPeople(10_000);
    const found = searchByName('Muhammad Ali Khan', many);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(
      new Set(many.filter((p) => matchesName('Muhammad Ali Khan', p))),
    );
  });
});

describe('searchIndexedNames', () => {
  it('finds the same people in the same order as searchByName, for any people and query', () => {
    let found = 0;
    const arb = fc.array(personArb, { minLength: 1, maxLength: 30 }).chain((people) =>
      fc.tuple(
        fc.constant(people),
        fc.oneof(
          queryArb,
          fc.constantFrom(...people).chain((p) => partOf(p)),
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ([people, query]) => {
        const expected = searchByName(query, people);
        found += expected.length;
        expect(searchIndexedNames(query, indexNames(people))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    expect(found).toBeGreaterThan(100);
  });

  it('finds among 10,000 people what searchByName finds, best first, ties in input order', () => {
    const many = syntheticPeople(10_000);
    const index = indexNames(many);
    for (const query of ['Muhammad Ali Khan', 'Khan', 'Hassan', 'Ali Raza', 'nobody at all', ''])
      expect(searchIndexedNames(query, index)).toEqual(searchByName(query, many));
  });
});

describe('properties', () => {
  it('a person matches their own names exactly', () => {
    fc.assert(
      fc.property(personArb, (someone) => {
        const { givenNames, familyName } = someone;
        expect(nameScore(`${givenNames} ${familyName}`, someone)).toBe(1);
        expect(nameScore(`${familyName}, ${givenNames}`, someone)).toBe(1);
        for (const variant of someone.nameVariants) expect(nameScore(variant, someone)).toBe(1);
      }),
    );
  });

  it('any part of a name finds the person, and a token the name lacks does not', () => {
    const arb = personArb.chain((someone) =>
      fc.tuple(
        fc.constant(someone),
        fc.shuffledSubarray(nameTokens(`${someone.givenNames} ${someone.familyName}`), {
          minLength: 1,
        }),
      ),
    );
    fc.assert(
      fc.property(arb, ([someone, part]) => {
        // A part read back as the same tokens: a particle left alone at a name's end ("…-àR") put
        // before another word joins it ("ar aa" is "araa"), as the order test also excludes.
        fc.pre(sameTokens(nameTokens(part.join(' ')), part));
        expect(matchesName(part.join(' '), someone)).toBe(true);
        expect(matchesName(`${part.join(' ')} 4711`, someone)).toBe(false);
      }),
    );
  });

  it('the order of the query tokens does not matter', () => {
    let matched = 0;
    const arb = personArb
      .chain((someone) => fc.tuple(fc.constant(someone), fc.oneof(queryArb, partOf(someone))))
      .chain(([someone, query]) =>
        fc.tuple(
          fc.constant(someone),
          fc.constant(query),
          fc.shuffledSubarray(nameTokens(query), { minLength: nameTokens(query).length }),
        ),
      );
    fc.assert(
      fc.property(arb, ([someone, query, shuffled]) => {
        fc.pre(sameTokens(nameTokens(shuffled.join(' ')), shuffled));
        const expected = matchesName(query, someone);
        if (expected) matched++;
        expect(matchesName(shuffled.join(' '), someone)).toBe(expected);
        expect(nameScore(shuffled.join(' '), someone)).toBeCloseTo(nameScore(query, someone), 12);
      }),
      { numRuns: 300 },
    );
    expect(matched).toBeGreaterThan(20);
  });

  it('case and diacritics do not matter', () => {
    fc.assert(
      fc.property(personArb, queryArb, (someone, query) => {
        const score = nameScore(query, someone);
        expect(nameScore(query.toUpperCase(), someone)).toBe(score);
        expect(nameScore(query.toLowerCase(), someone)).toBe(score);
        expect(nameScore(withDiacritics(query), someone)).toBe(score);
        expect(nameScore(query, withDiacriticsOn(someone))).toBe(score);
      }),
      { numRuns: 300 },
    );
  });

  it('scores 0 for no match, else between 0.6 and 1, as matchesName says', () => {
    fc.assert(
      fc.property(personArb, queryArb, (someone, query) => {
        const score = nameScore(query, someone);
        expect(score === 0 || (score >= 0.6 && score <= 1)).toBe(true);
        expect(matchesName(query, someone)).toBe(score > 0);
      }),
    );
  });
});

const POOL = [
  'Mohammad',
  'Muhammad',
  'Mohamed',
  'Ali',
  'Aly',
  'Khan',
  'Malik',
  'Imran',
  'Hassan',
  'Al-Hassan',
  'Hussein',
  'Husain',
  'José',
  'Pérez',
  'Yusuf',
  'Youssef',
  'Ahmed',
  'Ahmad',
  'Raza',
  'Rashid',
  'Omar',
  'Umar',
  'Nguyen',
  "O'Brien",
];
const wordArb = fc.oneof(
  fc.constantFrom(...POOL),
  fc.stringMatching(/^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'-]{0,9}$/),
);
const wordsArb = (max: number): fc.Arbitrary<string> =>
  fc.array(wordArb, { minLength: 1, maxLength: max }).map((words) => words.join(' '));
const personArb: fc.Arbitrary<PersonName> = fc.record({
  familyName: wordsArb(2),
  givenNames: wordsArb(3),
  nameVariants: fc.array(wordsArb(4), { maxLength: 2 }),
});
const queryArb = wordsArb(4);

/** Some of the person's words, in any order, some respelt: a query that often matches. */
function partOf(someone: PersonName): fc.Arbitrary<string> {
  const words = `${someone.givenNames} ${someone.familyName}`.split(' ');
  const respell = (word: string): string => RESPELLINGS[word] ?? word.toUpperCase();
  return fc
    .shuffledSubarray(words, { minLength: 1 })
    .chain((part) => fc.constantFrom(part, part.map(respell)))
    .map((part) => part.join(' '));
}

const RESPELLINGS: Readonly<Record<string, string>> = {
  Mohammad: 'Mohammed',
  Muhammad: 'Mohamad',
  Hussein: 'Husayn',
  Yusuf: 'Yousef',
  Ahmed: 'Ahmad',
  Omar: 'Umar',
  Raza: 'Reza',
  'Al-Hassan': 'Al Hassan',
  José: 'Jose',
};

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return [...a].sort().join(' ') === [...b].sort().join(' ');
}

/** Puts an acute accent (a combining mark) after every vowel: "Ali" → "Áli". */
function withDiacritics(text: string): string {
  return text.replace(/[aeiouAEIOU]/g, (vowel) => `${vowel}\u0301`).normalize('NFC');
}

function withDiacriticsOn(someone: PersonName): PersonName {
  return {
    familyName: withDiacritics(someone.familyName),
    givenNames: withDiacritics(someone.givenNames),
    nameVariants: someone.nameVariants.map(withDiacritics),
  };
}

/** Deterministic people with names drawn from a few hundred spellings. */
function syntheticPeople(count: number): PersonName[] {
  const given = ['Mohammad', 'Muhammad', 'Ali', 'Omar', 'Ahmed', 'Yusuf', 'José', 'Kwame', 'Tran'];
  const family = ['KHAN', 'MALIK', 'AL-HASSAN', 'PÉREZ', 'RASHID', 'OKAFOR', 'NGUYEN', "O'BRIEN"];
  let seed = 20_240_101;
  const pick = <T>(list: readonly T[]): T => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return list[seed % list.length]!;
  };
  return Array.from({ length: count }, (_, i) => {
    const givenNames = `${pick(given)} ${pick(given)}`;
    const familyName = `${pick(family)}${i % 3 === 0 ? '' : ` ${pick(family)}${i % 97}`}`;
    return person(familyName, givenNames, i % 2 === 0 ? [`${givenNames} ${familyName}`] : []);
  });
}

// Finding students by name, tolerant of transliteration, word order, diacritics and punctuation.
import { doubleMetaphone } from 'double-metaphone';
import type { PersonName } from './types.js';

/*
 * How a query matches a name
 *
 * Both are cut into tokens (see nameTokens). The query matches one of the person's names
 * ("given family", "family given", each variant) when every query token pairs with a
 * different token of that name at a similarity of at least TOKEN_THRESHOLD (0.8). So a
 * query may leave name tokens out ("Mohammed Khan" finds KHAN, Mohammad Ali) but may not
 * bring a token the name lacks ("Ahmed Raza" does not find Ahmed Rashid), and every token
 * counts the same, family or given.
 *
 * Token similarity: 1 when equal; 0.95 for two spellings of one name in TRANSLITERATIONS,
 * and 0 for spellings of two different names there (Hasan is not Husain, Amir is not Omar);
 * at least 0.9 when the Double Metaphone codes agree and the spellings share at least 55%
 * of their letters (Levenshtein), which keeps Khan apart from Kane (50%) and Cohen (40%);
 * otherwise the Levenshtein similarity if at least 0.8 (one slip in five letters), else 0.
 * Raza and Rashid share 33% of their letters and sound RS against RXT: they never pair.
 * A leading Arabic article counts for little: "Hassan" pairs with "alhassan" at 0.9.
 *
 * The score of a name is the mean similarity of the pairs, less up to COVERAGE_WEIGHT for
 * the name tokens the query left out; the person's score is that of their best name. So
 * every match scores between MATCH_THRESHOLD (0.8 × 0.75 = 0.6) and 1, every non-match 0.
 */

const TOKEN_THRESHOLD = 0.8;
const COVERAGE_WEIGHT = 0.25;
const MATCH_THRESHOLD = TOKEN_THRESHOLD * (1 - COVERAGE_WEIGHT);
const PHONETIC_MIN_SPELLING = 0.55;
const SAME_NAME = 0.95;
const SOUND_ALIKE = 0.9;
const ARTICLE_DROPPED = 0.9;
/** Name tokens past this are ignored, and longer queries match nothing: pairing uses bit masks. */
const MAX_TOKENS = 30;

/** Spellings of one name. Spellings of two different names here never pair, however alike. */
const TRANSLITERATIONS: readonly (readonly string[])[] = [
  ['muhammad', 'mohammad', 'mohamed', 'mohammed', 'muhammed', 'mohamad', 'muhamad', 'mohd'],
  ['hussein', 'husain', 'hussain', 'husein', 'husayn', 'hossein', 'hosein', 'houssein'],
  ['hasan', 'hassan', 'hasen', 'hassen'],
  ['abdul', 'abdel', 'abdal', 'abdol', 'abdu', 'abd'],
  ['yusuf', 'yousef', 'youssef', 'yousuf', 'yusef', 'yousif', 'yusif', 'youssouf'],
  ['ahmad', 'ahmed', 'ahmet'],
  ['mahmud', 'mahmoud', 'mahmood', 'mehmood', 'mahmut'],
  ['mustafa', 'mostafa', 'moustafa', 'mustapha'],
  ['omar', 'umar', 'omer'],
  ['amir', 'ameer', 'emir'],
  ['usman', 'osman', 'uthman', 'othman'],
  ['ibrahim', 'ebrahim', 'ibraheem'],
  ['ali', 'aly'],
  ['hamid', 'hameed', 'hamed'],
  ['karim', 'kareem'],
  ['rashid', 'rasheed', 'rachid'],
  ['raza', 'reza'],
];
const NAME_OF_SPELLING: ReadonlyMap<string, string> = new Map(
  TRANSLITERATIONS.flatMap((spellings) => spellings.map((s) => [s, spellings[0] ?? s] as const)),
);

/** Words written apart or joined to the next one: "Al Hassan", "Abd al Rahman", "Abu Bakr". */
const JOINS_NEXT: ReadonlySet<string> = new Set(
  'al el ad ar as ash at az abu abd abdu abdul abdel abdal abdol abdur abdus'.split(' '),
);
/** Words that bind both neighbours into one name: "Zia ul Haq", "Nasir ud Din". */
const JOINS_BOTH: ReadonlySet<string> = new Set(['ul', 'ud', 'ur', 'us']);
/** A leading article, or its assimilated form before a doubled letter ("ar-Rashid"). */
const ARTICLE = /^(?:[ae]l|[ae]([dnrstz])(?=\1))/;
const LETTERS_NOT_DECOMPOSED: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Tokens of a name for matching: lower case, no diacritics, apostrophes dropped inside words,
 * other punctuation (hyphens included) separating words, and the Arabic particles above joined
 * to their neighbours, so "Al-Hassan", "Al Hassan" and "Alhassan" all give `["alhassan"]`.
 * @example nameTokens("KHAN, José-Mohammad O'Neil") // ["khan", "jose", "mohammad", "oneil"]
 */
export function nameTokens(text: string): string[] {
  return [...joinParticles(wordsOf(text))];
}

/**
 * How well `query` matches `person` (any of their names: "given family", "family given",
 * each variant): 0 (no match) to 1 (exact); a match scores at least 0.6.
 */
export function nameScore(query: string, person: PersonName): number {
  return personScore(namesOf(person, wordsOf), similarityTable(nameTokens(query)));
}

/** Whether `query` matches `person` (score at or above the threshold, 0.6: see the module notes). */
export function matchesName(query: string, person: PersonName): boolean {
  return nameScore(query, person) >= MATCH_THRESHOLD;
}

/** The persons matching `query`, best first (ties keep input order); none for an empty query. */
export function searchByName<T extends PersonName>(query: string, people: readonly T[]): T[] {
  const table = similarityTable(nameTokens(query));
  const words = memoise(wordsOf);
  const found: { readonly person: T; readonly score: number }[] = [];
  for (const person of people) {
    const score = personScore(namesOf(person, words), table);
    if (score >= MATCH_THRESHOLD) found.push({ person, score });
  }
  return found.sort((a, b) => b.score - a.score).map(({ person }) => person);
}

/**
 * People's names cut into tokens once, with each distinct token's people: a search then compares
 * the query with each distinct token (a few thousand) instead of every person's names, and scores
 * only the people who have a token pairing with every query token (the others score 0).
 */
export interface NameIndex<T extends PersonName> {
  readonly people: readonly T[];
  readonly names: readonly (readonly (readonly string[])[])[];
  /** Each distinct token and the people (positions in `people`) whose names hold it. */
  readonly holders: ReadonlyMap<string, readonly number[]>;
}

export function indexNames<T extends PersonName>(people: readonly T[]): NameIndex<T> {
  const words = memoise(wordsOf);
  const holders = new Map<string, number[]>();
  const names = people.map((person, i) => {
    const tokens = namesOf(person, words);
    for (const token of new Set(tokens.flat())) {
      const list = holders.get(token);
      if (list === undefined) holders.set(token, [i]);
      else list.push(i);
    }
    return tokens;
  });
  return { people, names, holders };
}

/** searchByName over an index: the same people in the same order, without a pass over every name. */
export function searchIndexedNames<T extends PersonName>(query: string, index: NameIndex<T>): T[] {
  const table = similarityTable(nameTokens(query));
  const everyToken = 2 ** table.queryLength - 1;
  if (table.queryLength === 0 || table.queryLength > MAX_TOKENS) return [];
  // Which query tokens each person has a pairing token for.
  const paired = new Map<number, number>();
  for (const [token, people] of index.holders) {
    const pairs = table.row(token).pairs;
    if (pairs === 0) continue;
    for (const i of people) paired.set(i, (paired.get(i) ?? 0) | pairs);
  }
  const found: { readonly i: number; readonly score: number }[] = [];
  for (const [i, pairs] of paired) {
    if (pairs !== everyToken) continue;
    const score = personScore(index.names[i]!, table);
    if (score >= MATCH_THRESHOLD) found.push({ i, score });
  }
  return found.sort((a, b) => b.score - a.score || a.i - b.i).map(({ i }) => index.people[i]!);
}

/** Words of a name before particles are joined: folded to plain lower case, split at punctuation. */
function wordsOf(text: string): readonly string[] {
  const lower = text.toLowerCase();
  const words = isAscii(lower)
    ? lower.replace(/['`]/g, '').split(/[^a-z0-9]+/)
    : foldUnicode(lower)
        .replace(/['’ʼ‘`´]/g, '')
        .split(/[^\p{L}\p{N}]+/u);
  return words.filter((word) => word !== '');
}

function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- the common case, which needs no folding
  return /^[\x00-\x7f]*$/.test(text);
}

function foldUnicode(lower: string): string {
  return lower
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđðþı]/g, (letter) => LETTERS_NOT_DECOMPOSED[letter] ?? letter);
}

function joinParticles(words: readonly string[]): readonly string[] {
  if (!hasParticle(words)) return words;
  const tokens: string[] = [];
  let pending = '';
  for (const word of words) {
    if (JOINS_BOTH.has(word) && pending === '' && tokens.length > 0) {
      pending = (tokens.pop() ?? '') + word;
    } else if (JOINS_NEXT.has(word) || JOINS_BOTH.has(word)) {
      pending += word;
    } else {
      tokens.push(pending + word);
      pending = '';
    }
  }
  if (pending !== '') tokens.push(pending);
  return tokens;
}

/** A token with what comparing it needs, worked out once. */
interface TokenKey {
  readonly text: string;
  readonly name: string | undefined;
  /** Double Metaphone codes, worked out only when the spellings are close enough to need them. */
  readonly sounds: () => readonly string[];
  readonly withoutArticle: TokenKey | undefined;
}

function tokenKey(text: string, article = true): TokenKey {
  const bare = article ? text.replace(ARTICLE, '') : text;
  return {
    text,
    name: NAME_OF_SPELLING.get(text),
    sounds: once(() => doubleMetaphone(text).filter((code) => code !== '')),
    withoutArticle: bare !== text && bare.length >= 4 ? tokenKey(bare, false) : undefined,
  };
}

function tokenSimilarity(a: TokenKey, b: TokenKey): number {
  const direct = spellingSimilarity(a, b);
  if (direct === 1 || (!a.withoutArticle && !b.withoutArticle)) return direct;
  const bare = spellingSimilarity(a.withoutArticle ?? a, b.withoutArticle ?? b);
  return Math.max(direct, bare * ARTICLE_DROPPED >= TOKEN_THRESHOLD ? bare * ARTICLE_DROPPED : 0);
}

function spellingSimilarity(a: TokenKey, b: TokenKey): number {
  if (a.text === b.text) return 1;
  if (a.name !== undefined && b.name !== undefined) return a.name === b.name ? SAME_NAME : 0;
  const longer = Math.max(a.text.length, b.text.length);
  if (Math.abs(a.text.length - b.text.length) > longer * (1 - PHONETIC_MIN_SPELLING)) return 0;
  const spelling = editSimilarity(a.text, b.text);
  if (spelling < PHONETIC_MIN_SPELLING) return 0;
  if (soundAlike(a, b)) return Math.max(SOUND_ALIKE, spelling);
  return spelling >= TOKEN_THRESHOLD ? spelling : 0;
}

function soundAlike(a: TokenKey, b: TokenKey): boolean {
  const sounds = b.sounds();
  return a.sounds().some((code) => sounds.includes(code));
}

function once<R>(compute: () => R): () => R {
  let result: { readonly value: R } | undefined;
  return () => (result ??= { value: compute() }).value;
}

/** 1 − Levenshtein distance / length of the longer word. */
function editSimilarity(a: string, b: string): number {
  const previous = new Int32Array(b.length + 1).map((_, j) => j);
  const current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous.set(current);
  }
  return 1 - (previous[b.length] ?? 0) / Math.max(a.length, b.length, 1);
}

/** How a name token compares with each query token, memoised: names share many tokens. */
interface TokenRow {
  readonly similarities: readonly number[];
  /** Bit q is set when the token pairs with query token q. */
  readonly pairs: number;
}

interface SimilarityTable {
  readonly queryLength: number;
  readonly row: (nameToken: string) => TokenRow;
}

function similarityTable(query: readonly string[]): SimilarityTable {
  const queryKeys = query.slice(0, MAX_TOKENS).map((token) => tokenKey(token));
  const row = memoise((nameToken): TokenRow => {
    const key = tokenKey(nameToken);
    const similarities = queryKeys.map((queryKey) => tokenSimilarity(queryKey, key));
    const pairs = similarities.reduce(
      (bits, similarity, q) => (similarity > 0 ? bits | (1 << q) : bits),
      0,
    );
    return { similarities, pairs };
  });
  return { queryLength: query.length, row };
}

/**
 * The person's names as tokens: "given family", "family given", then each variant. The first
 * two hold the same tokens, so count once, unless a particle joins words across the two parts.
 */
function namesOf(
  person: PersonName,
  words: (text: string) => readonly string[],
): (readonly string[])[] {
  const given = words(person.givenNames);
  const family = words(person.familyName);
  const variants = person.nameVariants.map((variant) => joinParticles(words(variant)));
  if (!hasParticle(given) && !hasParticle(family)) return [given.concat(family), ...variants];
  return [joinParticles(given.concat(family)), joinParticles(family.concat(given)), ...variants];
}

function hasParticle(words: readonly string[]): boolean {
  return words.some((word) => JOINS_NEXT.has(word) || JOINS_BOTH.has(word));
}

function memoise<R>(compute: (text: string) => R): (text: string) => R {
  const known = new Map<string, R>();
  return (text) => {
    let result = known.get(text);
    if (result === undefined) {
      result = compute(text);
      known.set(text, result);
    }
    return result;
  };
}

function personScore(names: readonly (readonly string[])[], table: SimilarityTable): number {
  let best = 0;
  for (const name of names) best = Math.max(best, singleNameScore(name, table));
  return best;
}

function singleNameScore(name: readonly string[], table: SimilarityTable): number {
  const queryLength = table.queryLength;
  if (queryLength === 0 || queryLength > Math.min(name.length, MAX_TOKENS)) return 0;
  let paired = 0;
  for (const token of name) paired |= table.row(token).pairs;
  if (paired !== 2 ** queryLength - 1) return 0;
  const rows = name.slice(0, MAX_TOKENS).map((token) => table.row(token).similarities);
  const total = bestPairing(rows, queryLength);
  if (total === undefined) return 0;
  const coverage = queryLength / rows.length;
  return (total / queryLength) * (1 - COVERAGE_WEIGHT * (1 - coverage));
}

/**
 * The largest total similarity pairing each query token with its own name token, if any;
 * `rows[n][q]` is the similarity of name token n to query token q.
 */
function bestPairing(
  rows: readonly (readonly number[])[],
  queryLength: number,
): number | undefined {
  const candidates: number[][] = [];
  for (let q = 0; q < queryLength; q++) {
    const names = rows.flatMap((row, n) => ((row[q] ?? 0) > 0 ? [n] : []));
    if (names.length === 0) return undefined;
    candidates.push(names);
  }
  // The name tokens already taken fix how many query tokens are paired, so they key the memo.
  const memo = new Map<number, number>();
  const best = (q: number, taken: number): number => {
    if (q === queryLength) return 0;
    const known = memo.get(taken);
    if (known !== undefined) return known;
    let result = -Infinity;
    for (const n of candidates[q] ?? []) {
      if ((taken & (1 << n)) !== 0) continue;
      result = Math.max(result, (rows[n]?.[q] ?? 0) + best(q + 1, taken | (1 << n)));
    }
    memo.set(taken, result);
    return result;
  };
  const total = best(0, 0);
  return total === -Infinity ? undefined : total;
}

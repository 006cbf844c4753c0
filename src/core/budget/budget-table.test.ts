import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseBudgetBytes,
  parseBudgetTable,
  type BudgetTable,
  type BudgetTableOptions,
} from './budget-table.js';
import { countryNames, parseCountryAliases } from './country-names.js';
import { accountForProgram, PROGRAM_ACCOUNTS } from './program-accounts.js';
import { findCountry } from '../reference/countries.js';

const ALIASES = parseCountryAliases(
  readFileSync(new URL('../../../resources/budget/country-aliases.csv', import.meta.url), 'utf8'),
  'country-aliases.csv',
);
if (!ALIASES.ok) throw new Error(ALIASES.error.message);
const NAMES = countryNames(ALIASES.value);
const options = (fy?: number, file = 'table.csv'): BudgetTableOptions =>
  fy === undefined ? { names: NAMES, file } : { names: NAMES, file, fy };

const YEARS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017] as const;

function load(fy: number): BudgetTable {
  const url = new URL(`../../../resources/state-budget-by-country/fy${fy}.csv`, import.meta.url);
  const result = parseBudgetBytes(
    new Uint8Array(readFileSync(url)),
    options(undefined, `fy${fy}.csv`),
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const TABLES = new Map(YEARS.map((fy) => [fy, load(fy)]));
const table = (fy: (typeof YEARS)[number]) => TABLES.get(fy)!;

function parsed(text: string, fy = 2017): BudgetTable {
  const result = parseBudgetTable(text, options(fy));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('the State Department tables FY2008–2017', () => {
  it.each([
    [2008, 85_181],
    [2009, 91_000],
    [2010, 108_000],
    [2011, 105_788],
    [2012, 105_788],
    [2013, 100_432],
    [2014, 105_573],
    [2015, 106_074],
    [2016, 111_715],
    [2017, 110_300],
  ] as const)('FY%i IMET TOTAL is %i thousand', (fy, imet) => {
    const total = table(fy).lines.find((l) => l.kind === 'total');
    expect(total?.amountsThousands.IMET).toBe(imet);
  });

  it.each([
    [2008, 2_129],
    [2010, 5_000],
    [2017, 4_800],
  ] as const)('FY%i Pakistan IMET is %i thousand', (fy, imet) => {
    const pakistan = table(fy).countries.find((c) => c.iso3 === 'PAK');
    expect(pakistan).toMatchObject({ sourceName: 'Pakistan', region: 'South and Central Asia' });
    expect(pakistan?.amountsThousands.IMET).toBe(imet);
  });

  it.each(YEARS)('FY%i: every IMET check holds (six regions and TOTAL)', (fy) => {
    const imet = table(fy).checks.filter((c) => c.account === 'IMET');
    expect(imet.map((c) => c.check)).toEqual([
      'region:Africa',
      'region:East Asia and Pacific',
      'region:Europe and Eurasia',
      'region:Near East',
      'region:South and Central Asia',
      'region:Western Hemisphere',
      'total',
    ]);
    expect(imet.filter((c) => !c.ok)).toEqual([]);
  });

  it.each(YEARS)('FY%i: every region reconciles in every account', (fy) => {
    const regional = table(fy).checks.filter((c) => c.check.startsWith('region:'));
    expect(regional).toHaveLength(6 * table(fy).accounts.length);
    expect(regional.filter((c) => !c.ok)).toEqual([]);
  });

  it('TOTAL reconciles in every account of every FY, the source subtotals that add up wrongly reported apart', () => {
    const failing = YEARS.flatMap((fy) =>
      table(fy)
        .checks.filter((c) => !c.ok)
        .map((c) => `${fy} ${c.check} ${c.account}`),
    );
    expect(failing).toEqual([]);
    for (const fy of YEARS)
      expect(table(fy).checks.filter((c) => c.check === 'total')).toHaveLength(
        table(fy).accounts.length,
      );
    // FY2012: 'Independent Agencies' (4,699,384) is not the sum of its 11 lines (429,714) yet TOTAL uses it.
    // FY2017: 'Multilateral Development Banks' (6,855,063) is three times the sum of its lines (2,285,021).
    const discrepancies = YEARS.flatMap((fy) =>
      table(fy).discrepancies.map((d) => [fy, d.line, d.account, d.stated, d.parts, d.partLines]),
    );
    expect(discrepancies).toEqual([
      [2012, 'Independent Agencies', 'Total', 4_699_384, 429_714, 11],
      [2012, 'Independent Agencies', 'Other**', 4_699_384, 429_714, 11],
      [2017, 'Multilateral Development Banks', 'All Accounts', 6_855_063, 2_285_021, 20],
      [2017, 'Multilateral Development Banks', 'Other**', 6_855_063, 2_285_021, 20],
    ]);
    expect(table(2012).notes.some((n) => n.includes('SOURCE DISCREPANCY'))).toBe(true);
  });

  it('a TOTAL altered by any amount fails its check', () => {
    const text = readFileSync(
      new URL('../../../resources/state-budget-by-country/fy2010.csv', import.meta.url),
      'utf8',
    ).replace(/^TOTAL,(.*?),"108,000",/m, 'TOTAL,$1,"108,001",');
    const altered = parsed(text, 2010);
    expect(altered.checks.filter((c) => !c.ok).map((c) => [c.check, c.account])).toEqual([
      ['total', 'IMET'],
    ]);
  });

  it.each(YEARS)(
    'FY%i: countries are distinct known ISO codes, and no line is left unrecognised',
    (fy) => {
      const { countries, lines, notes } = table(fy);
      expect(countries.length).toBeGreaterThan(140);
      expect(new Set(countries.map((c) => c.iso3)).size).toBe(countries.length);
      for (const c of countries) expect(findCountry(c.iso3), c.sourceName).toBeDefined();
      expect(lines.filter((l) => l.kind === 'unrecognised')).toEqual([]);
      expect(notes.filter((n) => n.includes('ERROR'))).toEqual([]);
    },
  );

  it.each(YEARS)('FY%i: has an account for each security-assistance program', (fy) => {
    for (const program of Object.keys(PROGRAM_ACCOUNTS) as (keyof typeof PROGRAM_ACCOUNTS)[]) {
      expect(accountForProgram(table(fy).accounts, program), program).toBe(program);
    }
  });

  it('reads the FY2008 header with its trailing space and older account names', () => {
    expect(table(2008).accounts).toEqual([
      'Total',
      'Total without GHCS-State',
      'GHCS- USAID',
      'GHCS- STATE',
      'DA',
      'ESF',
      'AEECA',
      'INCLE',
      'NADR',
      'PKO',
      'IMET',
      'FMF',
      'MRA',
      'PL 480',
      'Other*',
    ]);
    expect(table(2017).accounts[0]).toBe('All Accounts');
  });

  it('maps names the package does not know through the reviewed alias file', () => {
    const byName = (fy: (typeof YEARS)[number], name: string) =>
      table(fy).countries.find((c) => c.sourceName === name)?.iso3;
    expect(byName(2017, 'Burma')).toBe('MMR');
    expect(byName(2017, 'Kyrgyz Republic')).toBe('KGZ');
    expect(byName(2017, 'West Bank and Gaza')).toBe('PSE');
    expect(byName(2017, 'Cabo Verde')).toBe('CPV');
    expect(byName(2008, 'Cape Verde')).toBe('CPV');
    expect(byName(2017, 'Kosovo')).toBe('XKK');
    expect(byName(2017, "Cote d'Ivoire")).toBe('CIV');
    expect(byName(2008, 'Democratic Republic of the Congo')).toBe('COD');
    expect(table(2017).notes.some((n) => /by the reviewed alias file: .*Burma → MMR/.test(n))).toBe(
      true,
    );
  });

  it('keeps multi-country, regional-program and central lines as lines, not countries', () => {
    const kind = (fy: (typeof YEARS)[number], name: string) =>
      table(fy).lines.find((l) => l.name === name);
    expect(kind(2008, 'Eastern Caribbean')).toMatchObject({
      kind: 'multi-country',
      region: 'Western Hemisphere',
    });
    expect(kind(2017, 'Barbados and Eastern Caribbean')).toMatchObject({ kind: 'multi-country' });
    expect(kind(2017, 'State Africa Regional (AF)')).toMatchObject({
      kind: 'regional-program',
      region: 'Africa',
    });
    expect(kind(2017, 'USAID Asia Regional')).toMatchObject({ kind: 'central' });
    expect(kind(2010, 'Asia Middle East Regional')).toMatchObject({ kind: 'central' });
    expect(kind(2017, 'PM - Political-Military Affairs')?.amountsThousands.IMET).toBe(5_500);
    expect(kind(2013, 'Other Funding')?.amountsThousands.IMET).toBe(1_235);
    expect(kind(2013, 'To Be Programmed')).toMatchObject({
      kind: 'central',
      countedIn: 'Other Funding',
    });
    expect(kind(2016, 'Peace Corps')).toMatchObject({ countedIn: 'Independent Agencies' });
  });

  it('repairs FY2008: wrapped names joined, exact duplicates dropped, spacing normalised', () => {
    const { lines, notes, countries } = table(2008);
    expect(lines.filter((l) => l.name === 'Political-Military Affairs')).toHaveLength(1);
    expect(lines.filter((l) => l.name === 'Asia Middle East Regional')).toHaveLength(1);
    expect(notes).toContain(
      "row 238: dropped 'Political-Military Affairs', an exact duplicate of row 237",
    );
    expect(
      lines.find((l) => l.name === 'USAID Regional Development Mission-Asia (RDM/A)'),
    ).toMatchObject({
      kind: 'regional-program',
      region: 'East Asia and Pacific',
    });
    expect(
      lines.find((l) => l.name === 'State South and Central Asia Regional')?.amountsThousands.NADR,
    ).toBe(1_170);
    expect(countries.find((c) => c.iso3 === 'COD')?.sourceName).toBe(
      'Democratic Republic of the Congo',
    );
    expect(lines.some((l) => l.name.includes('  '))).toBe(false);
  });

  it('says which files had bytes that are not UTF-8 and where the source URL was', () => {
    expect(table(2012).notes[0]).toMatch(/^decoded 1 bytes that are not UTF-8/);
    expect(table(2008).notes.some((n) => n.startsWith('decoded'))).toBe(false);
    expect(table(2015).lines.some((l) => l.name.includes('Women’s Issues'))).toBe(true);
    expect(table(2017).sourceUrl).toBe('http://www.state.gov/documents/organization/252735.pdf');
    expect(table(2008).sourceUrl).toBeNull();
  });
});

const HEADER = 'Country ,Total,IMET,FMF,Fiscal Year';

describe('parseBudgetTable on small tables', () => {
  const base = [
    HEADER,
    'TOTAL,"1,310",310,"1,000",2017',
    'Africa,110,110,-,2017',
    'Kenya,100,100,-,2017',
    'State Africa Regional,10,10,-,2017',
    'Western Hemisphere,"1,100",100,"1,000",2017',
    'Colombia,"1,100",100,"1,000",2017',
    'PM - Political-Military Affairs,100,100,-,2017',
    ',,,,',
    'http://www.example.org/table.pdf,,,,',
  ];

  it('reads amounts: quoted thousands, `-` as 0, empty as null', () => {
    const t = parsed([HEADER, 'TOTAL,"1,234",-,,2017'].join('\n'));
    expect(t.accounts).toEqual(['Total', 'IMET', 'FMF']);
    expect(t.lines[0]).toEqual({
      name: 'TOTAL',
      kind: 'total',
      amountsThousands: { Total: 1234, IMET: 0, FMF: null },
    });
  });

  it('places countries, programs and central lines, and reconciles them', () => {
    const t = parsed(base.join('\n'));
    expect(t.countries.map((c) => [c.iso3, c.region])).toEqual([
      ['KEN', 'Africa'],
      ['COL', 'Western Hemisphere'],
    ]);
    expect(t.lines.map((l) => [l.name, l.kind])).toEqual([
      ['TOTAL', 'total'],
      ['Africa', 'region'],
      ['State Africa Regional', 'regional-program'],
      ['Western Hemisphere', 'region'],
      ['PM - Political-Military Affairs', 'central'],
    ]);
    expect(t.checks.every((c) => c.ok)).toBe(true);
    expect(t.checks.filter((c) => c.account === 'IMET').map((c) => [c.check, c.expected])).toEqual([
      ['region:Africa', 110],
      ['region:Western Hemisphere', 100],
      ['total', 310],
    ]);
    expect(t.sourceUrl).toBe('http://www.example.org/table.pdf');
    expect(t.notes).toContain(
      'no subtotal row for East Asia and Pacific, Europe and Eurasia, Near East, South and Central Asia',
    );
  });

  it('fails a check when lines do not add up', () => {
    const t = parsed(
      base.map((l) => (l.startsWith('Kenya') ? 'Kenya,90,90,-,2017' : l)).join('\n'),
    );
    const failed = t.checks.filter((c) => !c.ok);
    expect(failed.map((c) => [c.check, c.account, c.expected, c.actual])).toEqual([
      ['region:Africa', 'Total', 110, 100],
      ['region:Africa', 'IMET', 110, 100],
    ]);
    expect(t.notes.at(-1)).toMatch(
      /^2 of \d+ checks fail: region:Africa Total \(table 110, lines 100\)/,
    );
  });

  it('drops an exact duplicate row and says so', () => {
    const t = parsed([...base.slice(0, 4), 'Kenya,100,100,-,2017', ...base.slice(4)].join('\n'));
    expect(t.countries.filter((c) => c.iso3 === 'KEN')).toHaveLength(1);
    expect(t.notes).toContain("row 5: dropped 'Kenya', an exact duplicate of row 4");
    expect(t.checks.every((c) => c.ok)).toBe(true);
  });

  it('keeps the first of a country given twice with different amounts, and fails a check', () => {
    const t = parsed([...base.slice(0, 4), 'Kenya,105,105,-,2017', ...base.slice(4)].join('\n'));
    expect(t.countries.find((c) => c.iso3 === 'KEN')?.amountsThousands.IMET).toBe(100);
    expect(
      t.notes.some((n) =>
        n.startsWith("row 5: ERROR KEN ('Kenya') is given again with different amounts"),
      ),
    ).toBe(true);
    expect(t.checks.filter((c) => !c.ok)).toEqual([
      { account: 'Total', check: 'duplicate:KEN', expected: 100, actual: 105, ok: false },
      { account: 'IMET', check: 'duplicate:KEN', expected: 100, actual: 105, ok: false },
    ]);
  });

  it('joins a name wrapped onto the next row, with or without a name part there', () => {
    const t = parsed(
      [
        ...base.slice(0, 4),
        'State Africa,,,,2017',
        ',,,,2017',
        'Regional,10,10,-,2017',
        ...base.slice(5, 7),
        'USAID Latin America and,,,,2017',
        ',0,0,0,2017',
        ...base.slice(7),
      ].join('\n'),
    );
    expect(t.lines.find((l) => l.name === 'State Africa Regional')).toMatchObject({
      kind: 'regional-program',
    });
    expect(t.lines.find((l) => l.name === 'USAID Latin America and')).toMatchObject({
      kind: 'regional-program',
      region: 'Western Hemisphere',
    });
    expect(t.notes).toContain(
      "rows 5+7: joined a name wrapped over several rows: 'State Africa Regional'",
    );
    expect(t.checks.every((c) => c.ok)).toBe(true);
  });

  it('does not glue a stray fragment onto a country name', () => {
    const t = parsed(
      [...base.slice(0, 3), 'Fragment of something,,,,2017', ...base.slice(3)].join('\n'),
    );
    expect(t.countries.map((c) => c.sourceName)).toContain('Kenya');
    expect(t.notes).toContain(
      "row 4: 'Fragment of something' has no amounts; kept as a line with none",
    );
  });

  it('normalises double spaces in names before matching them', () => {
    const t = parsed(base.map((l) => l.replace('Kenya', 'Sierra  Leone')).join('\n'));
    expect(t.countries[0]).toMatchObject({ iso3: 'SLE', sourceName: 'Sierra Leone' });
    expect(t.notes).toContain('normalised the spacing of 1 names (double or stray spaces)');
  });

  it('reports an unknown name inside a region, counting it there', () => {
    const t = parsed(base.map((l) => l.replace('State Africa Regional', 'Atlantis')).join('\n'));
    expect(t.lines.find((l) => l.name === 'Atlantis')).toMatchObject({
      kind: 'unrecognised',
      region: 'Africa',
    });
    expect(t.notes).toContain(
      "row 5: 'Atlantis' in the Africa block is neither a country nor a known program; counted in Africa",
    );
    expect(t.checks.every((c) => c.ok)).toBe(true);
  });

  it('ends the last region at the first line that is not its own, and says so', () => {
    const t = parsed(
      base
        .map((l) => l.replace('PM - Political-Military Affairs', 'USAID Asia Regional'))
        .join('\n'),
    );
    expect(t.lines.find((l) => l.name === 'USAID Asia Regional')?.kind).toBe('central');
    expect(t.notes).toContain(
      "row 8: the Western Hemisphere block ends before 'USAID Asia Regional'; it and every later line are central lines",
    );
  });

  it('counts a central subtotal once, not with its parts', () => {
    const rows = [
      HEADER,
      'TOTAL,"1,030",0,0,2017',
      'Western Hemisphere,0,0,0,2017',
      'PM - Political-Military Affairs,0,0,0,2017',
      'Independent Agencies,30,0,0,2017',
      'Peace Corps,10,0,0,2017',
      'Millennium Challenge Corporation,20,0,0,2017',
      'S/SACSED - Senior Advisor,500,0,0,2017',
      'S/SRMC - Special Representative,500,0,0,2017',
    ];
    const t = parsed(rows.join('\n'));
    expect(
      t.lines.filter((l) => l.countedIn !== undefined).map((l) => [l.name, l.countedIn]),
    ).toEqual([
      ['Peace Corps', 'Independent Agencies'],
      ['Millennium Challenge Corporation', 'Independent Agencies'],
    ]);
    expect(t.checks.find((c) => c.check === 'total' && c.account === 'Total')).toMatchObject({
      actual: 1030,
      ok: true,
    });
  });

  it("refuses a Fiscal Year cell that is not the table's year, naming its row and column", () => {
    const result = parseBudgetTable(
      base.map((l) => (l.startsWith('Kenya') ? 'Kenya,100,100,-,2016' : l)).join('\n'),
      options(undefined, 'fy2017.csv'),
    );
    expect(result.ok ? undefined : result.error).toMatchObject({
      reason: 'IMPORT.ROWS_REFUSED',
      field: 'fy2017.csv row 4 column Fiscal Year',
    });
  });

  it('takes the FY from the Fiscal Year column, else from the file name', () => {
    const noColumn = base.map((l) => l.replace(/,(2017|Fiscal Year)?$/, ''));
    const fromName = parseBudgetTable(noColumn.join('\n'), options(undefined, 'fy2015.csv'));
    expect(fromName.ok && fromName.value.fy).toBe(2015);
    const fromColumn = parseBudgetTable(base.join('\n'), options(undefined, 'table.csv'));
    expect(fromColumn.ok && fromColumn.value.fy).toBe(2017);
    const neither = parseBudgetTable(noColumn.join('\n'), options(undefined, 'table.csv'));
    expect(neither.ok ? undefined : neither.error.field).toBe('fy');
  });

  it.each([
    ['a word', 'Kenya,100,n/a,-,2017', 'column IMET', "'n/a' for 'Kenya' is not an amount"],
    ['a decimal', 'Kenya,100.5,100,-,2017', 'column Total', "'100.5' for 'Kenya'"],
  ])('refuses %s for an amount, naming the row and the column', (_label, row, column, message) => {
    const result = parseBudgetTable(
      base.map((l) => (l.startsWith('Kenya') ? row : l)).join('\n'),
      options(2017, 'fy2017.csv'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe(`fy2017.csv row 4 ${column}`);
    expect(result.error.message).toContain(message);
    expect(result.error.message).toMatch(/nothing was imported$/);
  });

  it.each([
    ['not a CSV', 'TOTAL,"1,2\n', 'BUDGET.NOT_CSV'],
    ['no account columns', 'Country\nTOTAL', 'BUDGET.NO_ACCOUNTS'],
    ['no TOTAL row', `${HEADER}\nAfrica,1,1,1,2017`, 'BUDGET.NO_TOTAL'],
  ])('refuses a file with %s', (_label, text, reason) => {
    const result = parseBudgetTable(text, options(2017));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({ code: 'INPUT.INVALID', reason, field: 'file' });
  });

  it('refuses a year that is not a fiscal year', () => {
    const result = parseBudgetTable(base.join('\n'), options(17.5));
    expect(result.ok ? undefined : result.error.field).toBe('fy');
  });
});

describe('parseBudgetBytes', () => {
  it('decodes a windows-1252 byte and notes it', () => {
    const text = [...base(), 'S/GWI - Women\u0000s Issues,0,0,0,2017'].join('\n');
    const bytes = new TextEncoder().encode(text).map((b) => (b === 0 ? 0x92 : b));
    const result = parseBudgetBytes(bytes, options(2017));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.lines.at(-1)?.name).toBe('S/GWI - Women’s Issues');
    expect(result.value.notes[0]).toBe(
      'decoded 1 bytes that are not UTF-8 as windows-1252 (e.g. 0x92 as ’)',
    );
  });

  it('adds no note for clean UTF-8', () => {
    const result = parseBudgetBytes(new TextEncoder().encode(base().join('\n')), options(2017));
    expect(result.ok && result.value.notes.some((n) => n.startsWith('decoded'))).toBe(false);
  });

  function base(): string[] {
    return [
      HEADER,
      'TOTAL,0,0,0,2017',
      'Western Hemisphere,0,0,0,2017',
      'Côte d’Ivoire,0,0,0,2017',
    ];
  }
});

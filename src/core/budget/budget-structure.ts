// Places each line of a budget table: TOTAL, region subtotals, the countries and programs of each region, then central lines.
import type { CountryNames } from './country-names.js';
import {
  BUDGET_REGIONS,
  isMultiCountryName,
  isRegionalProgramName,
  isTotalName,
  regionOfName,
  type BudgetRegion,
} from './budget-line-names.js';
import type { SourceLine } from './budget-rows.js';
import type { BudgetCheck, BudgetCountry, BudgetLine } from './budget-table.js';

/** The lines placed: countries, every other line in table order, the notes, and checks on countries given twice. */
export interface BudgetStructure {
  readonly countries: readonly BudgetCountry[];
  readonly lines: readonly BudgetLine[];
  readonly notes: readonly string[];
  readonly duplicateChecks: readonly BudgetCheck[];
}

function sameAmounts(
  a: SourceLine['amountsThousands'],
  b: SourceLine['amountsThousands'],
): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Places the lines of a table. After TOTAL, each region row opens a block holding its countries,
 * multi-country lines and regional programs. The last region has no next region row to close
 * its block: it ends at the first line that is none of these for that region, and every line
 * from there on is central. Returns undefined when there is no TOTAL row.
 */
export function classifyLines(
  source: readonly SourceLine[],
  names: CountryNames,
): BudgetStructure | undefined {
  const totalIndex = source.findIndex((l) => isTotalName(l.name));
  if (totalIndex < 0) return undefined;
  const regionIndexes = source.flatMap((l, i) => (regionOfName(l.name) === undefined ? [] : [i]));
  const lastRegionIndex = regionIndexes.at(-1) ?? -1;

  const notes: string[] = [];
  const countries: BudgetCountry[] = [];
  const byIso = new Map<string, { country: BudgetCountry; rows: readonly number[] }>();
  const lines: BudgetLine[] = [];
  const duplicateChecks: BudgetCheck[] = [];
  const aliased: string[] = [];
  let region: BudgetRegion | undefined;
  let inLastRegion = false;
  let central = false;

  source.forEach((line, index) => {
    const { name, amountsThousands } = line;
    const at = `row ${line.rows.join('+')}`;
    if (index === totalIndex) {
      lines.push({ name, kind: 'total', amountsThousands });
      return;
    }
    const regionName = regionOfName(name);
    if (index < totalIndex || (region === undefined && regionName === undefined && !central)) {
      notes.push(
        `${at}: '${name}' comes before ${index < totalIndex ? 'TOTAL' : 'the first region'}; left out of the checks`,
      );
      lines.push({ name, kind: 'unrecognised', amountsThousands });
      return;
    }
    if (regionName !== undefined) {
      if (lines.some((l) => l.kind === 'region' && l.region === regionName)) {
        notes.push(`${at}: region '${name}' appears a second time`);
      }
      region = regionName;
      inLastRegion = index === lastRegionIndex;
      lines.push({ name, kind: 'region', region, amountsThousands });
      return;
    }
    if (central || region === undefined) {
      if (name.startsWith('('))
        notes.push(`${at}: '${name}' looks like the tail of a name whose head is missing`);
      if (names.codeFor(name) !== undefined) {
        notes.push(`${at}: country name '${name}' among the central lines; kept as a central line`);
      }
      lines.push({ name, kind: 'central', amountsThousands });
      return;
    }
    const match = names.codeFor(name);
    if (match !== undefined) {
      const first = byIso.get(match.iso3);
      if (first === undefined) {
        const country: BudgetCountry = {
          iso3: match.iso3,
          sourceName: name,
          region,
          amountsThousands,
        };
        countries.push(country);
        byIso.set(match.iso3, { country, rows: line.rows });
        if (match.via === 'alias') aliased.push(`${name} → ${match.iso3}`);
      } else if (sameAmounts(first.country.amountsThousands, amountsThousands)) {
        notes.push(
          `${at}: dropped '${name}', a repeat of ${match.iso3} (row ${first.rows.join('+')}) with the same amounts`,
        );
      } else {
        notes.push(
          `${at}: ERROR ${match.iso3} ('${name}') is given again with different amounts; kept row ${first.rows.join('+')}, ` +
            'left this one out of every sum',
        );
        for (const [account, expected] of Object.entries(first.country.amountsThousands)) {
          const actual = amountsThousands[account] ?? null;
          if (actual !== expected) {
            duplicateChecks.push({
              account,
              check: `duplicate:${match.iso3}`,
              expected: expected ?? 0,
              actual: actual ?? 0,
              ok: false,
            });
          }
        }
      }
      return;
    }
    if (isMultiCountryName(name)) {
      lines.push({ name, kind: 'multi-country', region, amountsThousands });
      return;
    }
    if (isRegionalProgramName(name, region, !inLastRegion)) {
      lines.push({ name, kind: 'regional-program', region, amountsThousands });
      return;
    }
    if (inLastRegion) {
      notes.push(
        `${at}: the ${region} block ends before '${name}'; it and every later line are central lines`,
      );
      central = true;
      lines.push({ name, kind: 'central', amountsThousands });
      return;
    }
    notes.push(
      `${at}: '${name}' in the ${region} block is neither a country nor a known program; counted in ${region}`,
    );
    lines.push({ name, kind: 'unrecognised', region, amountsThousands });
  });

  notes.push(
    `mapped ${countries.length} country names to ISO codes` +
      (aliased.length === 0
        ? ''
        : `, ${aliased.length} by the reviewed alias file: ${aliased.join(', ')}`),
  );
  const found = new Set(
    lines.flatMap((l) => (l.kind === 'region' && l.region !== undefined ? [l.region] : [])),
  );
  const missing = BUDGET_REGIONS.filter((r) => !found.has(r));
  if (missing.length > 0) notes.push(`no subtotal row for ${missing.join(', ')}`);
  return { countries, lines, notes, duplicateChecks };
}

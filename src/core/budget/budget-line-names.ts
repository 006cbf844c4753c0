// Names of the budget tables' non-country lines: the TOTAL row, the six regions, multi-country lines and regional programs.

/** The six regional subtotals of the State Department tables, in the order the tables give them. */
export const BUDGET_REGIONS = [
  'Africa',
  'East Asia and Pacific',
  'Europe and Eurasia',
  'Near East',
  'South and Central Asia',
  'Western Hemisphere',
] as const;
export type BudgetRegion = (typeof BUDGET_REGIONS)[number];

/** Lines that cover several countries at once, so belong to no one ISO country. */
export const MULTI_COUNTRY_LINES: readonly string[] = Object.freeze([
  'Eastern Caribbean',
  'Barbados and Eastern Caribbean',
]);

/**
 * Words by which a line names a program of one region (USAID and State regional missions,
 * regional organisations, multilateral programs of the region). A line in a region's block
 * that is neither a country nor a multi-country line must match one of these to be recognised.
 */
const REGION_PROGRAM_WORDS: Readonly<Record<BudgetRegion, RegExp>> = {
  Africa: /\bAfrica|\bSahel\b/i,
  'East Asia and Pacific': /\bEast Asia\b|\bPacific\b|Mission-Asia|\bRDM\/A\b/i,
  'Europe and Eurasia': /\bEurope|\bEurasia|\bIreland\b|\bOSCE\b/i,
  'Near East':
    /\bMiddle East\b|\bNear East\b|\bMENA\b|\bForce and Observers\b|\bTrans-Sahara\b|\bEgypt Debt Relief\b/i,
  'South and Central Asia': /\bSouth Asia\b|\bCentral Asia\b|\bSouth and Central Asia\b/i,
  'Western Hemisphere':
    /\bWestern Hemisphere\b|\bCaribbean\b|\bCentral America\b|\bSouth America\b|\bLatin America\b/i,
};

const TOTAL_NAME = /^total$/i;

/** True for the table's grand-total row. */
export function isTotalName(name: string): boolean {
  return TOTAL_NAME.test(name);
}

/** The region a subtotal row names, ignoring case; undefined for any other name. */
export function regionOfName(name: string): BudgetRegion | undefined {
  const lower = name.toLowerCase();
  return BUDGET_REGIONS.find((region) => region.toLowerCase() === lower);
}

/** True when the line covers several countries (e.g. `Eastern Caribbean`). */
export function isMultiCountryName(name: string): boolean {
  const lower = name.toLowerCase();
  return MULTI_COUNTRY_LINES.some((m) => m.toLowerCase() === lower);
}

/**
 * True when the name is a program of the given region. A generic `Regional` line is accepted
 * only when `acceptAnyRegional` is set: the last region's block has no following region row to
 * close it, and `USAID Asia Regional` after it belongs to the central lines, not to it.
 */
export function isRegionalProgramName(
  name: string,
  region: BudgetRegion,
  acceptAnyRegional: boolean,
): boolean {
  if (REGION_PROGRAM_WORDS[region].test(name)) return true;
  return acceptAnyRegional && /\bRegional\b/i.test(name);
}

// Reconciles a budget table: each region against its lines, TOTAL against the regions and the central lines.
import { BUDGET_REGIONS } from './budget-line-names.js';
import type { AmountsThousands } from './budget-rows.js';
import type { BudgetCheck, BudgetCountry, BudgetLine } from './budget-table.js';

/** Amounts by account, null where the table leaves the cell empty. */
function vector(amounts: AmountsThousands, accounts: readonly string[]): (number | null)[] {
  return accounts.map((a) => amounts[a] ?? null);
}

/**
 * Whether `parts` add up to `head`: in every account both state, the sum is equal, or, for two
 * or more parts, off by no more than their rounding to whole thousands ((k + 1) / 2); and at least
 * one compared amount is not zero. Accounts with an empty cell are not compared.
 */
function addsUp(
  head: readonly (number | null)[],
  parts: readonly (readonly (number | null)[])[],
): boolean {
  const tolerance = parts.length < 2 ? 0 : Math.floor((parts.length + 1) / 2);
  let compared = false;
  for (const [k, target] of head.entries()) {
    if (target === null || parts.some((p) => p[k] === null)) continue;
    const sum = parts.reduce((acc, p) => acc + (p[k] ?? 0), 0);
    if (Math.abs(sum - target) > tolerance) return false;
    if (target !== 0) compared = true;
  }
  return compared;
}

const MINOR_WORDS = new Set(['a', 'and', 'for', 'in', 'of', 'on', 'the', 'to', '&', '-']);

function significantWords(name: string): Set<string> {
  const words = name.toLowerCase().replace(/[(),]/g, ' ').split(/\s+/);
  return new Set(words.filter((w) => w !== '' && !MINOR_WORDS.has(w)));
}

/**
 * Whether two names plausibly name the same line: at least half the significant words of the
 * shorter one are in the other (`Office of the Coordinator for Counterterrorism` and `State
 * Coordinator for Counterterrorism (CT)`; not `S/SACSED - …` and `S/SRMC - …`).
 */
function similarNames(a: string, b: string): boolean {
  const wa = significantWords(a);
  const wb = significantWords(b);
  const shared = [...wa].filter((w) => wb.has(w)).length;
  return shared > 0 && shared * 2 >= Math.min(wa.size, wb.size);
}

/**
 * Finds central lines that are subtotals of the lines right after them (`Independent Agencies`
 * over `Peace Corps` … `Trade and Development Agency`; `S/GAC` over its four parts) or that
 * repeat the next line under another name (FY2008 lists most bureaus twice). Working from the
 * last line up, a line is a subtotal when it adds up (see `addsUp`) to the smallest run of
 * following lines, a subtotal found earlier counting as one line; a run of one line must carry
 * exactly the same amounts under a similar name (`similarNames`). The lines of the run
 * get `countedIn` so the TOTAL check counts each amount once.
 */
export function markCentralSubtotals(
  lines: readonly BudgetLine[],
  accounts: readonly string[],
): { lines: readonly BudgetLine[]; notes: readonly string[] } {
  const found: string[] = [];
  const marked = [...lines];
  const central = lines.flatMap((l, i) => (l.kind === 'central' ? [i] : []));
  for (let p = central.length - 1; p >= 0; p--) {
    const head = marked[central[p] ?? -1];
    if (head === undefined) continue;
    const target = vector(head.amountsThousands, accounts);
    const run: number[] = [];
    for (let q = p + 1; q < central.length; q++) {
      const index = central[q] ?? -1;
      const line = marked[index];
      if (line === undefined || line.countedIn !== undefined) continue;
      run.push(index);
      const parts = run.map((i) => vector(marked[i]?.amountsThousands ?? {}, accounts));
      if (!addsUp(target, parts)) continue;
      if (run.length === 1 && !similarNames(head.name, line.name)) continue;
      for (const i of run) {
        const part = marked[i];
        if (part !== undefined) marked[i] = { ...part, countedIn: head.name };
      }
      const names = run.map((i) => `'${marked[i]?.name ?? ''}'`).join(', ');
      found.unshift(
        run.length === 1
          ? `central lines '${head.name}' and ${names} carry the same amounts; counted once`
          : `central line '${head.name}' is the subtotal of the ${run.length} lines after it (${names}); counted once`,
      );
      break;
    }
  }
  return { lines: marked, notes: found };
}

/**
 * For every account: each region's subtotal against the sum of its countries, multi-country
 * lines, regional programs and unrecognised lines; and TOTAL against the sum of the region
 * subtotals and the central lines not already counted in another (`countedIn`).
 */
export function reconcile(
  countries: readonly BudgetCountry[],
  lines: readonly BudgetLine[],
  accounts: readonly string[],
): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  const regions = lines.filter((l) => l.kind === 'region');
  const total = lines.find((l) => l.kind === 'total');
  const sum = (items: readonly { amountsThousands: AmountsThousands }[], account: string) =>
    items.reduce((acc, item) => acc + (item.amountsThousands[account] ?? 0), 0);
  for (const region of BUDGET_REGIONS) {
    const subtotal = regions.find((l) => l.region === region);
    if (subtotal === undefined) continue;
    const members = [
      ...countries.filter((c) => c.region === region),
      ...lines.filter((l) => l.region === region && l.kind !== 'region'),
    ];
    for (const account of accounts) {
      const expected = subtotal.amountsThousands[account] ?? 0;
      const actual = sum(members, account);
      checks.push({
        account,
        check: `region:${region}`,
        expected,
        actual,
        ok: expected === actual,
      });
    }
  }
  if (total !== undefined) {
    const parts = [
      ...regions,
      ...lines.filter((l) => l.kind === 'central' && l.countedIn === undefined),
    ];
    for (const account of accounts) {
      const expected = total.amountsThousands[account] ?? 0;
      const actual = sum(parts, account);
      checks.push({ account, check: 'total', expected, actual, ok: expected === actual });
    }
  }
  return checks;
}

/** A subtotal line whose stated figure is not the sum of its lines: the source's own error, reported, never repaired. */
export interface BudgetDiscrepancy {
  readonly account: string;
  /** The subtotal line, as the table names it. */
  readonly line: string;
  /** What the table states on the subtotal line (what TOTAL adds). */
  readonly stated: number;
  /** What the lines under it add up to. */
  readonly parts: number;
  readonly partLines: number;
}

/**
 * When TOTAL exceeds the regions and central lines by exactly the sum of the lines after one
 * central line, in every account, TOTAL adds that line's stated figure and not its lines: the
 * line is the source's subtotal of them, though its figure is not their sum (FY2012 `Independent
 * Agencies`, FY2017 `Multilateral Development Banks`). Marks those lines `countedIn` the subtotal,
 * so TOTAL is checked against what the source adds, and returns the disagreement of the stated
 * figure with its parts as a discrepancy in each account where they differ. The run of lines is
 * the longest one after the line that matches, never crossing a subtotal found before; a TOTAL
 * off by any other amount stays a failed check.
 */
export function recogniseStatedSubtotals(
  lines: readonly BudgetLine[],
  accounts: readonly string[],
  totalChecks: readonly BudgetCheck[],
): {
  lines: readonly BudgetLine[];
  discrepancies: readonly BudgetDiscrepancy[];
  notes: readonly string[];
} {
  const excess = new Map(totalChecks.map((c) => [c.account, c.actual - c.expected]));
  if ([...excess.values()].every((v) => v === 0)) return { lines, discrepancies: [], notes: [] };
  const marked = [...lines];
  const discrepancies: BudgetDiscrepancy[] = [];
  const notes: string[] = [];
  const heads = new Set(lines.flatMap((l) => (l.countedIn === undefined ? [] : [l.countedIn])));
  const central = marked.flatMap((l, i) => (l.kind === 'central' ? [i] : []));
  for (const [p, headIndex] of central.entries()) {
    const head = marked[headIndex];
    if (head === undefined || head.countedIn !== undefined || heads.has(head.name)) continue;
    const run: number[] = [];
    for (const index of central.slice(p + 1)) {
      const line = marked[index];
      if (line === undefined || heads.has(line.name)) break;
      if (line.countedIn === undefined) run.push(index);
    }
    for (let k = run.length; k >= 2; k--) {
      const parts = run.slice(0, k).map((i) => marked[i]!);
      const sums = accounts.map((a) =>
        parts.reduce((acc, l) => acc + (l.amountsThousands[a] ?? 0), 0),
      );
      const matches = accounts.every((a, i) => sums[i] === (excess.get(a) ?? 0));
      if (!matches || sums.every((s) => s === 0)) continue;
      for (const i of run.slice(0, k)) marked[i] = { ...marked[i]!, countedIn: head.name };
      heads.add(head.name);
      accounts.forEach((account, i) => {
        const stated = head.amountsThousands[account] ?? 0;
        const sum = sums[i] ?? 0;
        excess.set(account, (excess.get(account) ?? 0) - sum);
        if (stated !== sum)
          discrepancies.push({ account, line: head.name, stated, parts: sum, partLines: k });
      });
      notes.push(
        `central line '${head.name}' is the source's subtotal of the ${k} lines after it: TOTAL adds its stated figure, ` +
          `which is not their sum (SOURCE DISCREPANCY in ${discrepancies
            .filter((d) => d.line === head.name)
            .map((d) => `${d.account}: stated ${d.stated}, lines ${d.parts}`)
            .join('; ')})`,
      );
      break;
    }
  }
  return { lines: marked, discrepancies, notes };
}

/** One account's reconciliation: its region checks, its TOTAL check, and the source's discrepancies. */
export interface AccountReconciliation {
  readonly account: string;
  readonly regionsOk: number;
  readonly regions: number;
  /** null when the table has no TOTAL figure to check. */
  readonly totalOk: boolean | null;
  /** Checks that fail (regions, TOTAL, a country given twice): the table does not add up. */
  readonly failed: readonly BudgetCheck[];
  readonly discrepancies: readonly BudgetDiscrepancy[];
}

/** The reconciliation of a table, account by account, in the table's column order. */
export function reconciliationByAccount(
  accounts: readonly string[],
  checks: readonly BudgetCheck[],
  discrepancies: readonly BudgetDiscrepancy[],
): AccountReconciliation[] {
  return accounts.map((account) => {
    const mine = checks.filter((c) => c.account === account);
    const regions = mine.filter((c) => c.check.startsWith('region:'));
    const total = mine.find((c) => c.check === 'total');
    return {
      account,
      regionsOk: regions.filter((c) => c.ok).length,
      regions: regions.length,
      totalOk: total === undefined ? null : total.ok,
      failed: mine.filter((c) => !c.ok),
      discrepancies: discrepancies.filter((d) => d.account === account),
    };
  });
}

// The figures of a parsed budget table, one per line and account, and how they differ from the figures already recorded.
import type { BudgetLineKind, BudgetTable } from './budget-table.js';

/** One figure as a table states it: a line's amount in one account, thousands of dollars. */
export interface BudgetFigure {
  readonly account: string;
  /** The line's name, unique within the table (a repeated name gets ` (2)`, ` (3)`, …). */
  readonly lineName: string;
  readonly countryIso3: string | null;
  readonly kind: BudgetLineKind | 'country';
  readonly region: string | null;
  readonly amountThousands: number;
}

/**
 * Every figure of a table: each country and each other line (TOTAL, regions, regional,
 * multi-country and central lines) in every account where the table states an amount (`-` is 0;
 * an empty cell states nothing, so gives no figure). Returns the names it had to number apart.
 */
export function figuresOfTable(table: BudgetTable): {
  figures: readonly BudgetFigure[];
  renamed: readonly string[];
} {
  const figures: BudgetFigure[] = [];
  const renamed: string[] = [];
  const used = new Map<string, number>();
  const lines = [
    ...table.lines.map((l) => ({
      name: l.name,
      iso3: null,
      kind: l.kind,
      region: l.region ?? null,
      amounts: l.amountsThousands,
    })),
    ...table.countries.map((c) => ({
      name: c.sourceName,
      iso3: c.iso3,
      kind: 'country' as const,
      region: c.region,
      amounts: c.amountsThousands,
    })),
  ];
  for (const line of lines) {
    const seen = (used.get(line.name.toLowerCase()) ?? 0) + 1;
    used.set(line.name.toLowerCase(), seen);
    const lineName = seen === 1 ? line.name : `${line.name} (${seen})`;
    if (seen > 1) renamed.push(`'${line.name}' appears ${seen} times; recorded as '${lineName}'`);
    for (const account of table.accounts) {
      const amount = line.amounts[account];
      if (amount === null || amount === undefined) continue;
      figures.push({
        account,
        lineName,
        countryIso3: line.iso3,
        kind: line.kind,
        region: line.region,
        amountThousands: amount,
      });
    }
  }
  return { figures, renamed };
}

/** The key a figure is compared on: the same account of the same line. */
export function figureKey(f: { readonly account: string; readonly lineName: string }): string {
  return `${f.account}\u0000${f.lineName}`;
}

/** What recording `next` over `current` (same FY and stage) does: figures to add, to replace, to withdraw. */
export interface FigureChanges<C> {
  readonly created: readonly BudgetFigure[];
  /** A changed figure: the current one is superseded by the new one. */
  readonly updated: readonly { readonly current: C; readonly next: BudgetFigure }[];
  readonly unchanged: number;
  /** Current figures the table no longer states: superseded, with nothing in their place. */
  readonly withdrawn: readonly C[];
}

/**
 * Compares a table's figures with those recorded for its FY and stage: the same amount, kind,
 * region and country is unchanged; anything else is an update; a figure no longer stated is withdrawn.
 */
export function diffFigures<C extends BudgetFigure>(
  current: readonly C[],
  next: readonly BudgetFigure[],
): FigureChanges<C> {
  const byKey = new Map(current.map((c) => [figureKey(c), c]));
  const created: BudgetFigure[] = [];
  const updated: { current: C; next: BudgetFigure }[] = [];
  let unchanged = 0;
  for (const figure of next) {
    const key = figureKey(figure);
    const old = byKey.get(key);
    byKey.delete(key);
    if (old === undefined) created.push(figure);
    else if (
      old.amountThousands === figure.amountThousands &&
      old.kind === figure.kind &&
      old.region === figure.region &&
      old.countryIso3 === figure.countryIso3
    )
      unchanged += 1;
    else updated.push({ current: old, next: figure });
  }
  return { created, updated, unchanged, withdrawn: [...byKey.values()] };
}

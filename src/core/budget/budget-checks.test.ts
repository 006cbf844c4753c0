import { describe, expect, it } from 'vitest';
import { markCentralSubtotals } from './budget-checks.js';
import type { BudgetLine } from './budget-table.js';

const ACCOUNTS = ['Total', 'IMET'];
const central = (name: string, total: number | null, imet: number | null = 0): BudgetLine => ({
  name,
  kind: 'central',
  amountsThousands: { Total: total, IMET: imet },
});

function groups(lines: BudgetLine[]): [string, string | undefined][] {
  return markCentralSubtotals(lines, ACCOUNTS).lines.map((l) => [l.name, l.countedIn]);
}

describe('markCentralSubtotals', () => {
  it.each<[string, BudgetLine[], [string, string | undefined][]]>([
    [
      'a subtotal over the lines after it',
      [central('Agencies', 30), central('A', 10), central('B', 20), central('After', 30)],
      [
        ['Agencies', undefined],
        ['A', 'Agencies'],
        ['B', 'Agencies'],
        ['After', undefined],
      ],
    ],
    [
      'within rounding: parts off by one thousand',
      [central('Banks', 1001), central('A', 500), central('B', 500)],
      [
        ['Banks', undefined],
        ['A', 'Banks'],
        ['B', 'Banks'],
      ],
    ],
    [
      'an empty cell in a part leaves that account uncompared',
      [central('Funds', 300, 0), central('A', 100), central('B', null)],
      [
        ['Funds', undefined],
        ['A', undefined],
        ['B', undefined],
      ],
    ],
    [
      'the same line under a similar name',
      [
        central('Political-Military Affairs', 5, 5),
        central('Political-Military Affairs (PM)', 5, 5),
      ],
      [
        ['Political-Military Affairs', undefined],
        ['Political-Military Affairs (PM)', 'Political-Military Affairs'],
      ],
    ],
    [
      'not two different lines that happen to carry the same amounts',
      [central('S/SACSED - Senior Advisor', 482), central('S/SRMC - Special Representative', 482)],
      [
        ['S/SACSED - Senior Advisor', undefined],
        ['S/SRMC - Special Representative', undefined],
      ],
    ],
    [
      'nested: an inner subtotal counts as one line of the outer one',
      [
        central('Outer', 100),
        central('Inner', 60),
        central('A', 25),
        central('B', 35),
        central('C', 40),
      ],
      [
        ['Outer', undefined],
        ['Inner', 'Outer'],
        ['A', 'Inner'],
        ['B', 'Inner'],
        ['C', 'Outer'],
      ],
    ],
    [
      'not a line of zeros',
      [central('Zero', 0), central('Also zero', 0)],
      [
        ['Zero', undefined],
        ['Also zero', undefined],
      ],
    ],
  ])('%s', (_label, lines, expected) => {
    expect(groups(lines)).toEqual(expected);
  });

  it('leaves non-central lines alone and says what it found', () => {
    const region: BudgetLine = {
      name: 'Africa',
      kind: 'region',
      region: 'Africa',
      amountsThousands: { Total: 10 },
    };
    const result = markCentralSubtotals([region, central('X', 10), central('Y', 10)], ACCOUNTS);
    expect(result.lines[0]).toBe(region);
    expect(result.notes).toEqual([]);
    const found = markCentralSubtotals(
      [central('Agencies', 30), central('A', 10), central('B', 20)],
      ACCOUNTS,
    );
    expect(found.notes).toEqual([
      "central line 'Agencies' is the subtotal of the 2 lines after it ('A', 'B'); counted once",
    ]);
  });
});

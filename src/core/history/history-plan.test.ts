import { describe, expect, it } from 'vitest';
import { planHistory } from './history-plan.js';
import { checkHistoryRow, type HistoryRow } from './history-rows.js';

const SRC = 'https://example.org/source';
let line = 1;
function row(cells: Record<string, string>): HistoryRow {
  line += 1;
  const checked = checkHistoryRow(line, {
    country_name: 'X',
    relief_type: '',
    relief_scope: '',
    effective_until: '',
    date_quality: 'exact',
    legal_basis: 'law',
    description: 'd',
    source: SRC,
    ...cells,
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.row;
}

describe('planning a history', () => {
  it('infers a CSPA listing from a waiver of its fiscal year, citing the waiver', () => {
    const planned = planHistory([
      row({
        country_iso3: 'SSD',
        kind: 'child-soldiers',
        scope: 'IMET',
        event: 'relief',
        relief_type: 'waiver',
        relief_scope: 'unspecified (partial)',
        effective_from: '2016-10-01',
        effective_until: '2017-10-01',
      }),
    ]);
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    const [listing] = planned.plan.restrictions;
    expect(listing).toMatchObject({
      id: 'rst_ssd-child-soldiers-fy2017',
      inferred: true,
      from: '2016-10-01',
      until: '2017-10-01',
      source: SRC,
    });
    expect(listing!.reliefs).toMatchObject([
      { type: 'waiver', grounds: 'national-interest', scopeStated: false },
    ]);
  });

  it('keeps a lift revoked before it took effect as a lift with its revocation', () => {
    const planned = planHistory([
      row({
        country_iso3: 'CUB',
        kind: 'terrorism',
        scope: 'all-foreign-assistance',
        event: 'restriction',
        effective_from: '2021-01-12',
      }),
      row({
        country_iso3: 'CUB',
        kind: 'terrorism',
        scope: 'all-foreign-assistance',
        event: 'lift',
        relief_type: 'rescission',
        effective_from: '2025-02-28',
        effective_until: '2025-01-20',
        notified_on: '2025-01-14',
      }),
    ]);
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.restrictions[0]!.lift).toMatchObject({
      on: '2025-02-28',
      notifiedOn: '2025-01-14',
      revokedOn: '2025-01-20',
      fundamentalChange: false,
    });
  });

  it('ends the relief an `end` row names, at the precision of its date', () => {
    const planned = planHistory([
      row({
        country_iso3: 'PAK',
        kind: 'policy',
        scope: 'security-assistance',
        event: 'restriction',
        effective_from: '2018-01-04',
      }),
      row({
        country_iso3: 'PAK',
        kind: 'policy',
        scope: 'security-assistance',
        event: 'relief',
        relief_type: 'exception',
        relief_scope: 'IMET',
        effective_from: '2018-01-04',
      }),
      row({
        country_iso3: 'PAK',
        kind: 'policy',
        scope: 'security-assistance',
        event: 'end',
        relief_type: 'exception',
        relief_scope: 'IMET',
        effective_from: '2018-08-01',
        date_quality: 'month',
      }),
    ]);
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    const [restriction] = planned.plan.restrictions;
    expect(restriction!.id).toBe('rst_pak-policy-2018');
    expect(restriction!.reliefs).toMatchObject([
      { id: 'rlf_pak-imet-exception-2018', end: { on: '2018-08-01', quality: 'month' } },
    ]);
  });

  it('gives two restrictions of a kind in one year the short key and the dated key', () => {
    const planned = planHistory([
      row({
        country_iso3: 'BFA',
        kind: 'coup',
        scope: 'IMET',
        event: 'restriction',
        effective_from: '2022-01-31',
        effective_until: '2022-02-18',
      }),
      row({
        country_iso3: 'BFA',
        kind: 'coup',
        scope: 'IMET',
        event: 'restriction',
        effective_from: '2022-02-18',
      }),
    ]);
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.restrictions.map((r) => r.id)).toEqual([
      'rst_bfa-coup-2022',
      'rst_bfa-coup-2022-02-18',
    ]);
  });

  it('reads a row in any order of the file: a lift listed before its restriction still finds it', () => {
    const planned = planHistory([
      row({
        country_iso3: 'MLI',
        kind: 'coup',
        scope: 'IMET',
        event: 'lift',
        relief_type: 'certification',
        effective_from: '2013-09-06',
      }),
      row({
        country_iso3: 'MLI',
        kind: 'coup',
        scope: 'IMET',
        event: 'restriction',
        effective_from: '2012-03-26',
        effective_until: '2013-09-06',
      }),
    ]);
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.restrictions[0]!.lift?.on).toBe('2013-09-06');
  });
});

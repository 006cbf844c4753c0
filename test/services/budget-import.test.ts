// The State budget tables imported (issue 14): every account of every FY reconciles, every figure
// stored with its stage, only an enacted table becomes allocations, all or nothing, idempotent.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import {
  importBudget,
  type BudgetImportResult,
} from '../../src/services/imports/budget-import.service.js';
import { importFile, type ImportFile } from '../../src/services/imports/import-file.js';
import { getAllocations } from '../../src/services/training/allocation.service.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const YEARS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017];
const actor = systemActor('test');
const file = (fy: number, edit?: (text: string) => string): ImportFile => {
  const bytes = readFileSync(
    new URL(`../../resources/state-budget-by-country/fy${fy}.csv`, import.meta.url),
  );
  return importFile(
    `fy${fy}.csv`,
    edit === undefined ? bytes : Buffer.from(edit(bytes.toString('latin1')), 'latin1'),
  );
};
const ALL = YEARS.map((fy) => file(fy));

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('empty');
}, 60_000);
afterAll(async () => db?.close());

async function counts() {
  const [row] = await queryRows<{
    figures: number;
    current: number;
    runs: number;
    allocations: number;
  }>(
    db.ctx.store.db,
    sql`select (select count(*) from budget_figures)::int as "figures",
               (select count(*) from budget_figures where superseded_at is null)::int as "current",
               (select count(*) from import_runs)::int as "runs",
               (select count(*) from allocations)::int as "allocations"`,
  );
  return { ...row!, audit: await countAuditEntries(db.ctx.store.db) };
}

async function run(request: Parameters<typeof importBudget>[2]): Promise<BudgetImportResult> {
  const result = await importBudget(db.ctx, actor, request);
  if (!result.ok) throw new Error(`${result.error.field}: ${result.error.message}`);
  return result.value;
}

async function figure(fy: number, stage: string, line: string, account = 'IMET') {
  const rows = await queryRows<{ amount: number; iso3: string | null; kind: string; run: string }>(
    db.ctx.store.db,
    sql`select amount_thousands::int as "amount", country_iso3 as "iso3", kind, import_run_id as "run"
        from budget_figures where fiscal_year = ${fy} and budget_stage = ${stage}
          and line_name = ${line} and account = ${account} and superseded_at is null`,
  );
  return rows;
}

describe('a dry run of all ten files', () => {
  it('reconciles every account of every FY, reports the two source discrepancies, writes nothing', async () => {
    const before = await counts();
    const result = await run({ files: ALL, dryRun: true });
    expect(await counts()).toEqual(before);
    expect(result.dryRun).toBe(true);
    expect(result.reconciled).toBe(true);
    for (const f of result.files) {
      expect(f.reconciliation.length, f.file).toBeGreaterThanOrEqual(14);
      for (const r of f.reconciliation) {
        expect([f.file, r.account, r.regionsOk, r.totalOk]).toEqual([f.file, r.account, 6, true]);
      }
    }
    const discrepancies = result.files.flatMap((f) =>
      f.reconciliation.flatMap((r) =>
        r.discrepancies.map((d) => `${f.fiscalYear} ${r.account} ${d.line}`),
      ),
    );
    expect(discrepancies).toEqual([
      '2012 Total Independent Agencies',
      '2012 Other** Independent Agencies',
      '2017 All Accounts Multilateral Development Banks',
      '2017 Other** Multilateral Development Banks',
    ]);
    expect(result.files.every((f) => f.figures.created > 3000 && f.importRunId !== null)).toBe(
      true,
    );
  });

  it('fails the reconciliation of a table whose TOTAL was altered', async () => {
    const altered = file(2014, (t) => t.replace(/^TOTAL,("[^"]*"),/m, 'TOTAL,"1,000",'));
    const result = await run({ files: [altered], dryRun: true });
    expect(result.reconciled).toBe(false);
    const failed = result.files[0]!.reconciliation.filter((r) => r.failed.length > 0);
    expect(failed.map((r) => [r.account, r.totalOk])).toEqual([['All Accounts', false]]);
  });
});

describe('importing all ten files, unstated', () => {
  let result: BudgetImportResult;
  beforeAll(async () => {
    result = await run({ files: ALL });
  }, 60_000);

  it('stores every figure of every line with its stage, tied to an import run naming the file and its sha256', async () => {
    expect(result.reconciled).toBe(true);
    const c = await counts();
    expect(c.runs).toBe(10);
    expect(c.allocations).toBe(0);
    expect(c.figures).toBe(result.files.reduce((n, f) => n + f.figures.created, 0));
    expect(await figure(2017, 'unstated', 'Pakistan')).toMatchObject([
      { amount: 4_800, iso3: 'PAK', kind: 'country' },
    ]);
    expect(await figure(2008, 'unstated', 'Pakistan')).toMatchObject([
      { amount: 2_129, iso3: 'PAK' },
    ]);
    expect(await figure(2008, 'unstated', 'TOTAL')).toMatchObject([
      { amount: 85_181, iso3: null, kind: 'total' },
    ]);
    expect(await figure(2017, 'unstated', 'Eastern Caribbean')).toEqual([]);
    expect(await figure(2008, 'unstated', 'Eastern Caribbean', 'Total')).toMatchObject([
      { iso3: null, kind: 'multi-country' },
    ]);
    expect(await figure(2012, 'unstated', 'Independent Agencies', 'Total')).toMatchObject([
      { amount: 4_699_384, kind: 'central' },
    ]);
    expect(await figure(2017, 'unstated', 'Burma')).toMatchObject([{ iso3: 'MMR' }]);
    const [audit] = await queryRows<{ reason: string; n: number }>(
      db.ctx.store.db,
      sql`select reason, count(*) over ()::int as "n" from audit_log
          where action = 'import.budget' and reason like 'fy2012.csv%'`,
    );
    expect(audit?.reason).toBe(`fy2012.csv (sha256 ${ALL[4]!.sha256})`);
  });

  it('says what it repaired: names by alias, non-UTF-8 bytes, duplicates dropped', () => {
    const notes = (fy: number) => result.files.find((f) => f.fiscalYear === fy)!.notes;
    expect(notes(2017).some((n) => /reviewed alias file: .*Burma → MMR/.test(n))).toBe(true);
    expect(notes(2012).some((n) => n.startsWith('decoded 1 bytes that are not UTF-8'))).toBe(true);
    expect(notes(2008)).toContain(
      "row 238: dropped 'Political-Military Affairs', an exact duplicate of row 237",
    );
    expect(notes(2017)).toContain(
      'stage unstated: recorded as budget figures only, no allocation in force',
    );
  });

  it('re-imports the same files as all unchanged, writing nothing at all', async () => {
    const before = await counts();
    const again = await run({ files: ALL });
    expect(await counts()).toEqual(before);
    for (const f of again.files) {
      expect(f.figures).toEqual({ created: 0, updated: 0, unchanged: f.figures.unchanged });
      expect(f.figures.unchanged).toBeGreaterThan(3000);
      expect(f.importRunId).toBeNull();
    }
  });

  it('a changed figure supersedes the old one and counts as updated', async () => {
    const before = await counts();
    const changed = file(2016, (t) =>
      t.replace(/^Pakistan,(.*)$/m, (line) => line.replace('"4,800"', '"4,900"')),
    );
    const again = await run({ files: [changed] });
    expect(again.files[0]!.figures).toMatchObject({ created: 0, updated: 1 });
    const after = await counts();
    expect(after).toMatchObject({
      figures: before.figures + 1,
      current: before.current,
      runs: before.runs + 1,
    });
    expect(await figure(2016, 'unstated', 'Pakistan')).toMatchObject([
      { amount: 4_900, run: again.files[0]!.importRunId },
    ]);
  });
});

describe('the stage', () => {
  it('an enacted table becomes allocations in force, with its stage; a request stays figures only', async () => {
    const enacted = await run({ files: [file(2008)], stage: 'Enacted' });
    expect(enacted.files[0]).toMatchObject({ stage: 'enacted', allocations: { updated: 0 } });
    expect(enacted.files[0]!.allocations.created).toBeGreaterThan(300);
    const request = await run({ files: [file(2017)], stage: 'request' });
    expect(request.files[0]).toMatchObject({
      stage: 'request',
      allocations: { created: 0, updated: 0, unchanged: 0 },
    });
    expect(await figure(2017, 'request', 'Pakistan')).toMatchObject([{ amount: 4_800 }]);
    expect(await figure(2008, 'enacted', 'Pakistan')).toMatchObject([{ amount: 2_129 }]);

    const view = await getAllocations(db.ctx, { country: 'PAK', program: 'IMET' });
    if (!view.ok) throw new Error(view.error.message);
    expect(
      view.value.fiscalYears.map((y) => [
        y.fiscalYear,
        y.inForce?.amountCents,
        y.inForce?.budgetStage,
      ]),
    ).toEqual([[2008, 212_900_000, 'enacted']]);
    const [run2008] = await queryRows<{ stage: string }>(
      db.ctx.store.db,
      sql`select budget_stage as "stage" from import_runs where id = ${enacted.files[0]!.importRunId}`,
    );
    expect(run2008?.stage).toBe('enacted');

    const again = await run({ files: [file(2008)], stage: 'enacted' });
    expect(again.files[0]!.allocations).toMatchObject({ created: 0, updated: 0 });
    expect(again.files[0]!.importRunId).toBeNull();
  });

  it('refuses a stage that is none of request, estimate, enacted', async () => {
    const result = await importBudget(db.ctx, actor, { files: [file(2008)], stage: 'approved' });
    expect(result.ok ? undefined : result.error).toMatchObject({
      code: 'INPUT.INVALID',
      field: 'stage',
    });
  });
});

describe('refusals: nothing written', () => {
  it.each([
    [
      'a word for an amount',
      (t: string) => t.replace(/^Kenya,([^,]*),/m, 'Kenya,lots,'),
      /^fy2013\.csv row \d+ column All Accounts$/,
    ],
    [
      'a stray year',
      (t: string) => t.replace(/^(Kenya,.*),2013\r?$/m, '$1,2031'),
      /^fy2013\.csv row \d+ column Fiscal Year$/,
    ],
  ])(
    '%s in one file refuses every file, naming the row and column',
    async (_label, edit, field) => {
      const before = await counts();
      const result = await importBudget(db.ctx, actor, { files: [file(2009), file(2013, edit)] });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ code: 'INPUT.INVALID', reason: 'IMPORT.ROWS_REFUSED' });
      expect(result.error.field).toMatch(field);
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses two files of the same FY', async () => {
    const result = await importBudget(db.ctx, actor, {
      files: [file(2009), { ...file(2009), name: 'copy.csv' }],
    });
    expect(result.ok ? undefined : result.error.field).toBe('files');
  });
});

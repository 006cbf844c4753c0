// `import history` (issue #15, decision 017): the shipped history imports whole, every record says
// which file it came from, importing again writes nothing, a bad file is refused by row and column
// with nothing written, and the statutes' rules hold on the way in.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { checkEligibility } from '../../src/services/eligibility/eligibility.service.js';
import {
  importHistory,
  parseHistoryFile,
  type HistoryImportSummary,
} from '../../src/services/imports/history-import.service.js';
import { importFile } from '../../src/services/imports/import-file.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const actor = systemActor('test');
const SHIPPED = readFileSync(new URL('../../resources/history/restrictions.csv', import.meta.url));
const shipped = importFile('restrictions.csv', SHIPPED);
const HEADER =
  'country_iso3,country_name,kind,scope,event,relief_type,relief_scope,effective_from,effective_until,date_quality,legal_basis,description,source,until_quality,notified_on';
const csv = (...lines: string[]) =>
  importFile('history.csv', Buffer.from([HEADER, ...lines].join('\n')));
const SRC = 'https://example.org/source';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('empty');
}, 60_000);
afterAll(async () => db?.close());

async function state() {
  const [row] = await queryRows<{
    restrictions: number;
    reliefs: number;
    runs: number;
    unnamed: number;
  }>(
    db.ctx.store.db,
    sql`select (select count(*) from restriction_versions)::int as "restrictions",
               (select count(*) from relief_versions)::int as "reliefs",
               (select count(*) from import_runs where kind = 'history')::int as "runs",
               ((select count(*) from restriction_versions where import_run_id is null)
                + (select count(*) from relief_versions where import_run_id is null))::int as "unnamed"`,
  );
  return { ...row!, audit: await countAuditEntries(db.ctx.store.db) };
}

async function imported(file = shipped, dryRun = false): Promise<HistoryImportSummary> {
  const result = await importHistory(db.ctx, actor, file, { dryRun });
  if (!result.ok) throw new Error(`${result.error.field}: ${result.error.message}`);
  return result.value;
}

describe('the shipped history', () => {
  it('reads whole: no row refused, every row counted by kind', () => {
    const parsed = parseHistoryFile(shipped);
    if (!parsed.ok) throw new Error(`${parsed.error.field}: ${parsed.error.message}`);
    const rows = SHIPPED.toString('utf8').trim().split('\n').length - 1;
    expect(parsed.value.rows).toHaveLength(rows);
    expect(parsed.value.plan.restrictions.length).toBeGreaterThan(150);
  });

  it('a dry run writes nothing', async () => {
    const before = await state();
    const summary = await imported(shipped, true);
    expect(summary).toMatchObject({ dryRun: true, updated: 0, unchanged: 0 });
    expect(summary.created).toBeGreaterThan(200);
    expect(await state()).toEqual(before);
  });

  it('imports with no refusal; every version names its run, the run its file and sha256', async () => {
    const summary = await imported();
    expect(summary.runId).not.toBeNull();
    expect(summary.created).toBe(summary.restrictions + summary.reliefs);
    expect(Object.values(summary.byKind).reduce((a, b) => a + b, 0)).toBe(summary.rows);
    const after = await state();
    expect(after.unnamed).toBe(0);
    expect(after.runs).toBe(1);
    const [run] = await queryRows<{ file_name: string; sha256: string }>(
      db.ctx.store.db,
      sql`select file_name, sha256 from import_runs where id = ${summary.runId}`,
    );
    expect(run).toEqual({ file_name: 'restrictions.csv', sha256: shipped.sha256 });
    // Every restriction and relief recorded says, in its audit entry, the file, sha256 and row.
    const [audit] = await queryRows<{ restrictions: number; reliefs: number }>(
      db.ctx.store.db,
      sql`select count(*) filter (where action = 'restriction.record')::int as "restrictions",
                 count(*) filter (where action = 'relief.record')::int as "reliefs"
          from audit_log
          where reason like ${`imported by ${summary.runId} from restrictions.csv (sha256 ${shipped.sha256}) row %`}`,
    );
    expect(audit).toEqual({ restrictions: summary.restrictions, reliefs: summary.reliefs });
  });

  it('importing it again writes nothing at all', async () => {
    const before = await state();
    const again = await imported();
    expect(again).toMatchObject({ created: 0, updated: 0, runId: null });
    expect(again.unchanged).toBe(again.restrictions + again.reliefs);
    expect(await state()).toEqual(before);
  });

  it('answers the issue: Pakistan FY2022 child-soldiers listing, Cuba blocked on 2025-01-16', async () => {
    const pak = await checkEligibility(db.ctx, {
      country: 'PAK',
      program: 'IMET',
      on: '2022-03-01',
    });
    if (!pak.ok) throw new Error(pak.error.message);
    expect(pak.value.restrictions.map((r) => r.id)).toContain('rst_pak-child-soldiers-fy2022');
    const cub = await checkEligibility(db.ctx, {
      country: 'CUB',
      program: 'IMET',
      on: '2025-01-16',
    });
    if (!cub.ok) throw new Error(cub.error.message);
    expect(cub.value.eligible).toBe(false);
    // An import records what it brings at its own instant: as known before it, nothing was.
    const asKnown = await checkEligibility(db.ctx, {
      country: 'CUB',
      program: 'IMET',
      on: '2025-01-16',
      knownOn: '2025-01-15T00:00:00Z',
    });
    if (!asKnown.ok) throw new Error(asKnown.error.message);
    expect(asKnown.value.restrictions).toEqual([]);
  });

  it('says when an answer rests on an imprecise date, and where the history is partial', async () => {
    // Thailand's 2014 coup restriction ended in July 2019, day unknown.
    const tha = await checkEligibility(db.ctx, {
      country: 'THA',
      program: 'IMET',
      on: '2019-07-15',
    });
    if (!tha.ok) throw new Error(tha.error.message);
    expect(tha.value.precision).toEqual([
      'coup restriction rst_tha-coup-2014 ended 2019-07 (month only): whether that was before or after 2019-07-15 is not known',
    ]);
    expect(tha.value.coverage?.partial.map((p) => p.kind)).toContain('coup');
    const exact = await checkEligibility(db.ctx, {
      country: 'THA',
      program: 'IMET',
      on: '2019-08-15',
    });
    if (!exact.ok) throw new Error(exact.error.message);
    expect(exact.value.precision).toEqual([]);
  });

  it('corrects a restriction whose row changed, and only that one', async () => {
    const text = SHIPPED.toString('utf8').replace(
      'Designated 1984-01-19; still designated.',
      'Designated 1984-01-19 (Secretary Shultz); still designated.',
    );
    const summary = await imported(importFile('restrictions-v2.csv', Buffer.from(text)));
    expect(summary).toMatchObject({ created: 0, updated: 1 });
    const versions = await queryRows<{ version: number; description: string }>(
      db.ctx.store.db,
      sql`select version, description from restriction_versions
          where restriction_id = 'rst_irn-terrorism-1984' order by version`,
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]!.description).toContain('Shultz');
  });
});

describe('a bad file', () => {
  async function refused(file: ReturnType<typeof importFile>) {
    const before = await state();
    const result = await importHistory(db.ctx, actor, file);
    expect(result.ok).toBe(false);
    expect(await state()).toEqual(before);
    if (result.ok) throw new Error('imported');
    return result.error as unknown as {
      field: string;
      message: string;
      details: { errors: { row: number; column: string; message: string }[] };
    };
  }

  it('is refused with every bad cell, by row and column', async () => {
    const error = await refused(
      csv(
        `XXXX,Nowhere,coup,IMET,restriction,,,2020-01-01,,exact,7008,d,${SRC},,`,
        `MLI,Mali,putsch,IMET,restriction,,,2020-01-01,,exact,7008,d,${SRC},,`,
        `MLI,Mali,coup,IMET;ZZZ,restriction,,,2020-13-01,,sometimes,7008,d,,,`,
      ),
    );
    expect(error.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, column: 'country_iso3' }),
        expect.objectContaining({ row: 3, column: 'kind' }),
        expect.objectContaining({ row: 4, column: 'scope' }),
        expect.objectContaining({ row: 4, column: 'effective_from' }),
        expect.objectContaining({ row: 4, column: 'date_quality' }),
        expect.objectContaining({ row: 4, column: 'source' }),
      ]),
    );
    expect(error.field).toBe('history.csv row 2 column country_iso3');
  });

  it('refuses NUL bytes, lone surrogates, unknown and missing columns', async () => {
    const nul = await refused(
      csv(`MLI,Mali,coup,IMET,restriction,,,2020-01-01,,exact,7008,a\u0000b,${SRC},,`),
    );
    expect(nul.details.errors[0]).toMatchObject({ row: 2, column: 'description' });
    // A lone surrogate cannot be written in UTF-8: its bytes (ED A0 80) make the file not UTF-8.
    const row = Buffer.from(`MLI,Mali,coup,IMET,restriction,,,2020-01-01,,exact,7008,a`);
    const lone = await refused(
      importFile(
        'lone.csv',
        Buffer.concat([
          Buffer.from(`${HEADER}\n`),
          row,
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from(`b,${SRC},,\n`),
        ]),
      ),
    );
    expect(lone.message).toMatch(/not UTF-8/);
    const header = await refused(
      importFile('h.csv', Buffer.from('country_iso3,kind,colour\nMLI,coup,red\n')),
    );
    expect(header.details.errors.map((e) => e.column)).toEqual(
      expect.arrayContaining(['colour', 'scope', 'effective_from', 'source']),
    );
    const binary = await refused(importFile('h.csv', Buffer.from([0xff, 0xfe, 0x00, 0x41])));
    expect(binary.message).toMatch(/not UTF-8/);
  });

  it('refuses a row it cannot place: a relief of nothing, a lift of nothing, an overlap', async () => {
    const error = await refused(
      csv(
        `MLI,Mali,coup,IMET,relief,certification,,2020-01-01,,exact,7008,d,${SRC},,`,
        `NER,Niger,coup,IMET,lift,certification,,2020-01-01,,exact,7008,d,${SRC},,`,
        `GIN,Guinea,coup,IMET,restriction,,,2020-01-01,,exact,7008,d,${SRC},,`,
        `GIN,Guinea,coup,IMET,restriction,,,2020-06-01,,exact,7008,d,${SRC},,`,
      ),
    );
    expect(error.details.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'event',
        message: expect.stringMatching(/relieves no coup restriction of MLI/),
      }),
      expect.objectContaining({
        row: 3,
        column: 'event',
        message: expect.stringMatching(/lifts no coup restriction of NER/),
      }),
      expect.objectContaining({
        row: 5,
        column: 'effective_from',
        message: expect.stringMatching(/overlaps .* row 4/),
      }),
    ]);
  });

  it('holds the statutes: a terrorism rescission needs its report and 45 days; a 2016 coup waiver is refused', async () => {
    // Venezuela has no terrorism history in the shipped file: these rows are its only ones.
    const terror = `VEN,Venezuela,terrorism,all-foreign-assistance,restriction,,,2019-01-01,,exact,FAA 620A,d,${SRC},,`;
    const noReport = await refused(
      csv(
        terror,
        `VEN,Venezuela,terrorism,all-foreign-assistance,lift,rescission,,2025-06-30,,exact,FAA 620A,d,${SRC},,`,
      ),
    );
    expect(noReport.details.errors[0]).toMatchObject({ row: 3, column: 'notified_on' });
    const tooSoon = await refused(
      csv(
        terror,
        `VEN,Venezuela,terrorism,all-foreign-assistance,lift,rescission,,2025-06-30,,exact,FAA 620A,d,${SRC},,2025-06-01`,
      ),
    );
    expect(tooSoon.details.errors[0]).toMatchObject({ row: 3, column: 'effective_from' });
    expect(tooSoon.message).toMatch(/2025-07-16 at the earliest/);
    const coupWaiver = await refused(
      csv(
        `BOL,Bolivia,coup,IMET;FMF,restriction,,,2012-03-26,,exact,7008,d,${SRC},,`,
        `BOL,Bolivia,coup,IMET;FMF,relief,waiver,IMET,2016-06-01,,exact,7008,d,${SRC},,`,
      ),
    );
    expect(coupWaiver.details.errors[0]).toMatchObject({ row: 3, column: 'effective_from' });
    expect(coupWaiver.message).toMatch(/P\.L\. 118-47/);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const huge = await refused(importFile('huge.csv', Buffer.alloc(9 * 1024 * 1024, 0x41)));
    expect(huge.message).toMatch(/over/);
  });
});

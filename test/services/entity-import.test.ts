// Imports and exports of courses, students, allocations and lines over the demo: round trips in CSV
// and XLSX, counts, all-or-nothing refusals by row and column, dry runs, bad text, scope, limits.
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import {
  ENTITY_KINDS,
  IMPORT_LIMITS,
  type EntityKind,
} from '../../src/core/imports/entity-columns.js';
import type { RowError } from '../../src/core/imports/import-report.js';
import type { Result } from '../../src/core/result.js';
import {
  entityTemplate,
  exportEntities,
  importEntities,
  type EntityImportSummary,
} from '../../src/services/imports/entity-import.service.js';
import { importFile } from '../../src/services/imports/import-file.js';
import { TABLE_FORMATS, type TableFormat } from '../../src/services/imports/tabular-file.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
const pm: Actor = { id: 'user:pm', role: 'program-manager' };
const sco: Actor = { id: 'user:sco-jor', role: 'sco', countries: ['JOR'] };

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => '2020-03-01T10:00:00.000Z' });
}, 60_000);
afterAll(async () => db?.close());

interface Counts {
  courses: number;
  students: number;
  allocations: number;
  lines: number;
  runs: number;
  audit: number;
}

async function counts(): Promise<Counts> {
  const [row] = await queryRows<Counts>(
    db.store.db,
    sql`select (select count(*)::int from courses) as courses,
               (select count(*)::int from students) as students,
               (select count(*)::int from allocations) as allocations,
               (select count(*)::int from training_lines) as lines,
               (select count(*)::int from import_runs) as runs,
               (select count(*)::int from audit_log) as audit`,
  );
  return row!;
}

async function exported(kind: EntityKind, format: TableFormat, filter: { country?: string } = {}) {
  const file = await exportEntities(db.ctx, pm, kind, format, filter);
  if (!file.ok) throw new Error(file.error.message);
  return file.value;
}

async function csvText(kind: EntityKind, filter: { country?: string } = {}): Promise<string> {
  return new TextDecoder().decode((await exported(kind, 'csv', filter)).bytes);
}

const csv = (name: string, text: string) => importFile(name, new TextEncoder().encode(text));

function imported(
  kind: EntityKind,
  file: ReturnType<typeof importFile>,
  actor: Actor = pm,
  dryRun = false,
): Promise<Result<EntityImportSummary>> {
  return importEntities(db.ctx, actor, kind, file, { dryRun });
}

function summary(result: Result<EntityImportSummary>): EntityImportSummary {
  if (!result.ok) throw new Error(`${result.error.field}: ${result.error.message}`);
  return result.value;
}

function rowErrors(result: Result<EntityImportSummary>): RowError[] {
  expect(result.ok).toBe(false);
  if (result.ok) return [];
  expect(result.error.reason).toBe('IMPORT.ROWS_REFUSED');
  return (result.error.details as { errors: RowError[] }).errors;
}

/** The CSV's lines, the header first; `edit` changes the data lines. */
function editCsv(text: string, edit: (lines: string[]) => string[]): string {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  return [header, ...edit(lines)].join('\r\n');
}

describe('export then import', () => {
  it.each(ENTITY_KINDS.flatMap((kind) => TABLE_FORMATS.map((format) => [kind, format] as const)))(
    '%s as %s: every row unchanged, nothing written',
    async (kind, format) => {
      const file = await exported(kind, format);
      expect(file.rows).toBeGreaterThan(0);
      const before = await counts();
      const result = summary(await imported(kind, importFile(file.fileName, file.bytes)));
      expect(result).toMatchObject({ created: 0, updated: 0, unchanged: file.rows, runId: null });
      expect(await counts()).toEqual(before);
    },
    60_000,
  );

  it.each(ENTITY_KINDS.flatMap((kind) => TABLE_FORMATS.map((format) => [kind, format] as const)))(
    'the %s template as %s imports as a valid empty file',
    async (kind, format) => {
      const template = await entityTemplate(kind, format);
      const result = summary(await imported(kind, importFile(template.fileName, template.bytes)));
      expect(result).toMatchObject({ rows: 0, created: 0, updated: 0, unchanged: 0 });
    },
  );

  it('writes numbers as numbers and the column guide on a README sheet in XLSX', async () => {
    const workbook = new ExcelJS.Workbook();
    const bytes = (await exported('allocations', 'xlsx')).bytes;
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('allocations')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'country',
      'program',
      'fiscalYear',
      'amount',
      'reason',
      'notified',
      'waitDays',
      'source',
    ]);
    expect(typeof sheet.getCell('C2').value).toBe('number');
    expect(typeof sheet.getCell('D2').value).toBe('number');
    expect(workbook.getWorksheet('README')!.getCell('A2').value).toBe('country');
  });
});

describe('course imports', () => {
  it('counts created, updated and unchanged, records the run with the file digest, then re-imports as a no-op', async () => {
    const text = editCsv(await csvText('courses'), (lines) => [
      lines[0]!.replace(/,44,80,/, ',45,80,'),
      ...lines.slice(1),
      'X-NEW-1,A new course,CGSC,technical,no,no,4,,,2020=1000.50,no,,test file',
    ]);
    const file = csv('courses.csv', text);
    const before = await counts();
    const result = summary(await imported('courses', file));
    expect(result).toMatchObject({ created: 1, updated: 1, unchanged: before.courses - 1 });
    expect(result.runId).toMatch(/^imp_/);
    const after = await counts();
    expect(after).toMatchObject({ courses: before.courses + 1, runs: before.runs + 1 });
    // The run's entry, the new course's and the corrected one's.
    expect(after.audit).toBe(before.audit + 3);
    const entries = await queryRows<{ action: string; reason: string | null }>(
      db.store.db,
      sql`select action, reason from audit_log order by seq desc limit 3`,
    );
    expect(entries.map((e) => e.action).sort()).toEqual([
      'course.add',
      'course.correct',
      'import.courses',
    ]);
    expect(entries.find((e) => e.action === 'import.courses')!.reason).toBe(
      `courses.csv (sha256 ${file.sha256})`,
    );
    expect(entries.find((e) => e.action === 'course.add')!.reason).toMatch(
      new RegExp(`imported by ${result.runId} from courses\\.csv row \\d+`),
    );

    const again = summary(await imported('courses', file));
    expect(again).toMatchObject({ created: 0, updated: 0, runId: null });
    expect(await counts()).toEqual(after);
  });

  it('refuses a malformed row with its row and column, and writes nothing of the good rows', async () => {
    const text = [
      'id,title,school,category,lengthWeeks,tuition',
      'X-OK-1,Fine,CGSC,technical,3,2020=10',
      'X-BAD-1,Bad weeks,CGSC,technical,three,2020=10',
      'X-BAD-2,Bad school,NOPE,technical,3,2020=10',
    ].join('\n');
    const before = await counts();
    const errors = rowErrors(await imported('courses', csv('bad.csv', text)));
    // Cells are read first: a file with bad cells is not applied at all.
    expect(errors).toEqual([
      { row: 3, column: 'lengthWeeks', message: 'a whole number (got "three")' },
    ]);
    // Its cells good, the rows are applied, then all refused for the school row 4 names.
    const unknownSchool = rowErrors(
      await imported('courses', csv('bad.csv', text.replace('three', '3'))),
    );
    expect(unknownSchool).toEqual([expect.objectContaining({ row: 4, column: 'school' })]);
    expect(await counts()).toEqual(before);
  });

  it('runs a dry run through every row and keeps nothing', async () => {
    const before = await counts();
    const text = 'id,title,school,category,lengthWeeks\nX-DRY-1,Dry,CGSC,other,2\n';
    const result = summary(await imported('courses', csv('dry.csv', text), pm, true));
    expect(result).toMatchObject({ dryRun: true, created: 1 });
    expect(result.runId).toMatch(/^imp_/);
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown column by name, a missing required column, and a key given twice with both rows', async () => {
    const unknown = rowErrors(
      await imported('courses', csv('u.csv', 'id,title,school,category,lengthWeeks,colour\n')),
    );
    expect(unknown).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'colour',
        message: expect.stringContaining('unknown column "colour"') as unknown,
      }),
    ]);
    const missing = rowErrors(
      await imported('courses', csv('m.csv', 'id,title,school,category\n')),
    );
    expect(missing).toEqual([
      { row: 1, column: 'lengthWeeks', message: 'required column "lengthWeeks" is missing' },
    ]);
    const twice = rowErrors(
      await imported(
        'courses',
        csv(
          't.csv',
          'id,title,school,category,lengthWeeks\nX-T-1,A,CGSC,other,2\nX-T-2,B,CGSC,other,2\nx-t-1,C,CGSC,other,2\n',
        ),
      ),
    );
    expect(twice).toEqual([
      { row: 4, column: 'id', message: 'course X-T-1 is in rows 2 and 4: give it once' },
    ]);
  });
});

describe('bad text and bounds', () => {
  it('refuses a NUL byte in a CSV cell, by row and column', async () => {
    const before = await counts();
    const text = 'country,familyName,givenNames\nJOR,HADDAD,Omar\nJOR,Ali\u0000,Sami\n';
    expect(rowErrors(await imported('students', csv('s.csv', text)))).toEqual([
      { row: 3, column: 'familyName', message: expect.stringMatching(/NUL character/) as unknown },
    ]);
    expect(await counts()).toEqual(before);
  });

  it.each([
    // As a workbook holds them: OOXML's escapes of characters XML cannot carry.
    ['a NUL', 'Ali_x0000_', /NUL character/],
    ['a lone surrogate', 'Ali_xD800_', /lone UTF-16 surrogate/],
  ])('refuses %s in an XLSX cell, by row and column', async (_what, name, message) => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('students');
    sheet.addRows([
      ['country', 'familyName', 'givenNames'],
      ['JOR', 'HADDAD', 'Omar'],
      ['JOR', name, 'Sami'],
    ]);
    const file = importFile('s.xlsx', new Uint8Array(await workbook.xlsx.writeBuffer()));
    const before = await counts();
    expect(rowErrors(await imported('students', file))).toEqual([
      { row: 3, column: 'familyName', message: expect.stringMatching(message) as unknown },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a lone surrogate encoded in a CSV (not UTF-8)', async () => {
    const head = new TextEncoder().encode('country,familyName,givenNames\nJOR,Ali');
    const file = importFile('s.csv', new Uint8Array([...head, 0xed, 0xa0, 0x80, 0x2c, 0x42, 0x0a]));
    expect(rowErrors(await imported('students', file))[0]!.message).toMatch(/not UTF-8/);
  });

  it('refuses bytes that are not UTF-8, a cell over the length bound and a file over the row bound', async () => {
    const latin1 = importFile(
      'l.csv',
      new Uint8Array([
        ...new TextEncoder().encode('country,familyName,givenNames\nJOR,M'),
        0xe9,
        0x0a,
      ]),
    );
    expect(rowErrors(await imported('students', latin1))[0]!.message).toMatch(/not UTF-8/);
    const long = `country,familyName,givenNames,contact\nJOR,A,B,${'x'.repeat(IMPORT_LIMITS.cellCharacters + 1)}\n`;
    expect(rowErrors(await imported('students', csv('long.csv', long)))[0]).toMatchObject({
      row: 2,
      column: 'contact',
    });
    const many = `country,familyName,givenNames\n${'JOR,A,B\n'.repeat(IMPORT_LIMITS.rows + 1)}`;
    expect(rowErrors(await imported('students', csv('many.csv', many)))[0]!.message).toMatch(
      /over the limit of 20000: split it/,
    );
  });
});

describe('student imports', () => {
  it('matches a student without an id by country, names and birth date; corrects one by id', async () => {
    const file = csv(
      'new-students.csv',
      'country,familyName,givenNames,birthDate,rank\nJOR,Nasser,Layla,1990-04-02,Captain\n',
    );
    expect(summary(await imported('students', file, sco))).toMatchObject({ created: 1 });
    expect(summary(await imported('students', file, sco))).toMatchObject({
      created: 0,
      unchanged: 1,
    });
    const respelled = csv(
      'respelled.csv',
      'country,familyName,givenNames,birthDate,rank\nJOR,NASSER,layla,1990-04-02,Major\n',
    );
    expect(summary(await imported('students', respelled, sco))).toMatchObject({ updated: 1 });
  });

  it("refuses an SCO's rows of another country and a student id outside their scope", async () => {
    // Exporting is a read of officers' records: on the audit chain, so before counting.
    const all = (await csvText('students')).split('\r\n');
    const pakistani = all.find((l) => l.includes(',PAK,'))!;
    const before = await counts();
    const other = rowErrors(
      await imported(
        'students',
        csv('pak.csv', 'country,familyName,givenNames\nJOR,Haddad,Rami\nPAK,Khan,Imran\n'),
        sco,
      ),
    );
    expect(other).toEqual([
      {
        row: 3,
        column: 'country',
        message: expect.stringContaining('outside your scope') as unknown,
      },
    ]);
    const byId = rowErrors(
      await imported(
        'students',
        csv('id.csv', `${all[0]}\r\n${pakistani.replace(',PAK,', ',JOR,')}`),
        sco,
      ),
    );
    expect(byId).toEqual([expect.objectContaining({ row: 2, column: 'id' })]);
    expect(await counts()).toEqual(before);
  });
});

describe('allocation imports', () => {
  it('an unchanged amount is unchanged, a new amount a new version; a change needing a notification is refused on notified', async () => {
    const text = await csvText('allocations', { country: 'PAK' });
    const jor = (lines: string[]) => lines.filter((l) => l.startsWith('PAK,IMET,2008,'));
    const [line] = jor(text.split('\r\n'));
    expect(line).toBeDefined();
    const amount = Number(line!.split(',')[3]);
    const set = (dollars: number, extra = '') =>
      editCsv(text, (lines) => [
        ...lines.filter((l) => !l.startsWith('PAK,IMET,2008,')),
        `PAK,IMET,2008,${dollars.toFixed(2)},test change,${extra}`,
      ]);
    const before = await counts();
    const refused = rowErrors(
      await imported('allocations', csv('a.csv', set(amount + 1_000_000, ',,'))),
    );
    expect(refused).toEqual([
      expect.objectContaining({
        column: 'notified',
        message: expect.stringContaining('PAK IMET FY2008') as unknown,
      }),
    ]);
    expect(await counts()).toEqual(before);
    const notified = summary(
      await imported('allocations', csv('b.csv', set(amount + 1_000_000, '2020-02-20,15,'))),
    );
    expect(notified).toMatchObject({ created: 0, updated: 1 });
    const after = await counts();
    expect(after.allocations).toBe(before.allocations + 1);
    // Exported again, the pending version is the row: importing it changes nothing.
    const again = summary(
      await imported(
        'allocations',
        importFile('again.csv', (await exported('allocations', 'csv', { country: 'PAK' })).bytes),
      ),
    );
    expect(again).toMatchObject({ updated: 0, created: 0 });
  }, 120_000);
});

describe('line imports', () => {
  it('programs a new line (matched on re-import by its natural key), changes a purpose, refuses a change of seats', async () => {
    const text = await csvText('lines');
    const header = text.split('\r\n')[0]!;
    const [first] = text
      .split('\r\n')
      .slice(1)
      .filter((l) => l.includes(',JOR,2020,'));
    const cells = first!.split(',');
    const fresh = ['', ...cells.slice(1, 5), '2020-09-14', '1', 'B', '0', 'new line'].join(',');
    const file = csv('new-line.csv', `${header}\n${fresh}\n`);
    const before = await counts();
    expect(summary(await imported('lines', file, sco))).toMatchObject({ created: 1 });
    expect((await counts()).lines).toBe(before.lines + 1);
    expect(summary(await imported('lines', file, sco))).toMatchObject({ unchanged: 1 });

    const purpose = cells.slice(0, 9).concat('Maritime security cooperation').join(',');
    expect(
      summary(await imported('lines', csv('p.csv', `${header}\n${purpose}\n`), sco)),
    ).toMatchObject({
      updated: 1,
    });
    const seats = [...cells.slice(0, 6), '9', ...cells.slice(7)].join(',');
    expect(rowErrors(await imported('lines', csv('s.csv', `${header}\n${seats}\n`), sco))).toEqual([
      expect.objectContaining({ row: 2, column: 'seats' }),
    ]);
  });

  it("refuses an SCO's line of another country", async () => {
    const text = await csvText('lines');
    const header = text.split('\r\n')[0]!;
    const row = 'x,PAK,2020,B171005,IMET,2020-08-03,1,A,0,'.replace(/^x/, '');
    expect(rowErrors(await imported('lines', csv('pak.csv', `${header}\n${row}\n`), sco))).toEqual([
      expect.objectContaining({ row: 2, column: 'country' }),
    ]);
  });
});

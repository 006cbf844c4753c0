// Reports and imports over HTTP: a report answered at once in the format asked, with its content
// type and file name, the same numbers as the service's calculation; a report made as a job and
// downloaded; the ten State budget tables imported as a job (a dry run first, then for real, then
// again: all unchanged), every account reconciled and each run listed with its sha256; a course
// file with a bad cell refused by row and column with nothing written; an export imported back
// changes nothing; templates and exports served as CSV and XLSX.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { fmtReport } from '../../src/services/reports/fmt-report.service.js';
import { signedIn, type Caller } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { sql } from 'drizzle-orm';

const BUDGET_DIR = join(import.meta.dirname, '../../resources/state-budget-by-country');
const FAST = { pollSeconds: 0.5, progressEveryMs: 50, sweepSeconds: 1 } as const;

interface JobBody {
  id: string;
  kind: string;
  status: string;
  input: unknown;
  progress: { done: number; total: number | null; note: string | null };
  result: { href: string; fileName: string; contentType: string; bytes: number } | null;
  outcome: {
    summary?: Record<string, unknown>;
    problem?: { status: number; code: string; field?: string; details?: Record<string, unknown> };
  } | null;
}

function base64File(name: string, bytes: Uint8Array | string) {
  return { name, content: Buffer.from(bytes).toString('base64') };
}

describe('reports and imports over HTTP', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let pm: Caller;
  let sco: Caller;

  beforeAll(async () => {
    db = await openTestDatabase('demo');
    pm = await signedIn(db.ctx, 'ri-pm', { role: 'program-manager' });
    sco = await signedIn(db.ctx, 'ri-sco', { role: 'sco', countries: ['IND'] });
    app = await buildApp(db.ctx, { jobs: FAST });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const post = (url: string, payload: object, who: Caller = pm) =>
    app.inject({ method: 'POST', url, payload, headers: who.headers });
  const get = (url: string, who: Caller = pm) =>
    app.inject({ method: 'GET', url, headers: who.headers });

  /** Waits for a job to end, and answers it. */
  async function finished(location: string, who: Caller = pm): Promise<JobBody> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = (await get(location, who)).json<JobBody>();
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`job still ${job.status}: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function submitted(url: string, payload: object, who: Caller = pm): Promise<JobBody> {
    const res = await post(url, payload, who);
    expect(res.statusCode, res.body).toBe(202);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/api\/v1\/jobs\/job_/);
    return finished(location, who);
  }

  it('answers the FMT report at once: JSON is the calculation, CSV and XLSX carry its totals', async () => {
    const json = await get('/api/v1/reports/fmt?year=2019');
    expect(json.statusCode, json.body).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toBe('attachment; filename="fmt-report-2019.json"');
    const expected = await fmtReport(
      db.ctx,
      { id: pm.actor, role: 'program-manager' },
      { year: 2019 },
    );
    if (!expected.ok) throw new Error(expected.error.message);
    expect(json.json()).toEqual(JSON.parse(JSON.stringify(expected.value)));
    // The demo trained Pakistan's officers in FY2018: the 2019 report has an actual section.
    const actual = expected.value.actual;
    expect(actual.length).toBeGreaterThan(0);

    const xlsx = await get('/api/v1/reports/fmt?year=2019&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="fmt-report-2019.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const numbers: number[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === 'number') numbers.push(cell.value);
        }),
      ),
    );
    // Each actual row's dollar value is in the workbook as a number (in dollars).
    for (const row of actual) expect(numbers).toContain(row.valueCents / 100);

    const csv = await get('/api/v1/reports/fmt?year=2019&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    for (const row of actual) expect(csv.body).toContain(row.country);
  });

  it('refuses a bad year or format naming the field, and an IMSO the FMT report', async () => {
    const year = await get('/api/v1/reports/fmt?year=1900');
    expect(year.statusCode).toBe(400);
    expect(year.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'year' });
    const format = await get('/api/v1/reports/fmt?year=2019&format=docx');
    expect(format.statusCode).toBe(400);
    expect(format.json()).toMatchObject({ field: 'format' });
    const imso = await signedIn(db.ctx, 'ri-imso', { role: 'imso', schools: ['DLIELC'] });
    expect((await get('/api/v1/reports/fmt?year=2019', imso)).statusCode).toBe(403);
  });

  it('makes a report as a job: 202, progress, then the PDF to download', async () => {
    const job = await submitted('/api/v1/reports', { report: 'fmt', year: 2019, format: 'pdf' });
    expect(job.status, JSON.stringify(job.outcome)).toBe('succeeded');
    expect(job.result).toMatchObject({
      fileName: 'fmt-report-2019.pdf',
      contentType: 'application/pdf',
    });
    const file = await get(job.result!.href);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(file.rawPayload.length).toBe(job.result!.bytes);
  });

  it('fails a report job with the problem its service gives, and scopes what it reads', async () => {
    const missing = await submitted('/api/v1/reports', {
      report: 'impact',
      restriction: 'rst_missing',
      format: 'csv',
    });
    expect(missing.status).toBe('failed');
    expect(missing.outcome?.problem).toMatchObject({ status: 404 });
    // An SCO of India asks for Pakistan's records: the export holds no Pakistani participant.
    const records = await submitted(
      '/api/v1/reports',
      { report: 'records', country: 'PAK', format: 'json' },
      sco,
    );
    expect(records.status).toBe('succeeded');
    const file = await get(records.result!.href, sco);
    expect(file.body).not.toMatch(/QURESHI|KURESHI/i);
    // Another person cannot see the job at all.
    expect((await get(`/api/v1/jobs/${records.id}`, pm)).statusCode).toBe(404);
  });

  it('imports the ten budget tables as a job: dry run, then for real, then all unchanged', async () => {
    const files = readdirSync(BUDGET_DIR)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => base64File(f, readFileSync(join(BUDGET_DIR, f))));
    expect(files).toHaveLength(10);
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          db.ctx.store.db,
          sql`select count(*)::int as n from import_runs`,
        )
      )[0]!.n;
    const before = await count();

    const dry = await submitted('/api/v1/imports/budget', { files, dryRun: true });
    expect(dry.status, JSON.stringify(dry.outcome)).toBe('succeeded');
    expect(dry.outcome?.summary).toMatchObject({ dryRun: true, reconciled: true });
    expect(dry.input).toMatchObject({ dryRun: true, files: expect.any(Array) });
    expect(JSON.stringify(dry.input)).not.toContain(files[0]!.content.slice(0, 40));
    expect(await count()).toBe(before);

    const real = await submitted('/api/v1/imports/budget', { files });
    expect(real.status, JSON.stringify(real.outcome)).toBe('succeeded');
    const summary = real.outcome!.summary as {
      reconciled: boolean;
      files: { file: string; sha256: string; figures: { created: number; unchanged: number } }[];
    };
    expect(summary.reconciled).toBe(true);
    expect(summary.files).toHaveLength(10);

    const runs = (await get('/api/v1/imports?kind=budget')).json<{
      items: { fileName: string; sha256: string }[];
    }>().items;
    for (const f of summary.files.filter((x) => x.figures.created > 0))
      expect(runs).toContainEqual(expect.objectContaining({ fileName: f.file, sha256: f.sha256 }));

    const again = await submitted('/api/v1/imports/budget', { files });
    const repeated = again.outcome!.summary as typeof summary;
    for (const f of repeated.files) expect(f.figures.created).toBe(0);
  });

  it('refuses a course file with a bad cell by row and column, and writes nothing', async () => {
    const template = await get('/api/v1/imports/templates/courses?format=csv');
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-type']).toMatch(/^text\/csv/);
    const exported = await get('/api/v1/exports/courses?format=csv');
    expect(exported.statusCode).toBe(200);
    const lines = exported.body.trimEnd().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const weeks = header.indexOf('lengthWeeks');
    expect(weeks).toBeGreaterThanOrEqual(0);
    // Row 3 (the second course) gets a length that is no number.
    const cells = lines[2]!.split(',');
    cells[weeks] = 'many';
    const bad = [lines[0], lines[1], cells.join(','), ...lines.slice(3)].join('\n');
    const audit = async () =>
      (
        await queryRows<{ n: number }>(
          db.ctx.store.db,
          sql`select count(*)::int as n from audit_log`,
        )
      )[0]!.n;
    const before = await audit();
    const refused = await submitted('/api/v1/imports/courses', {
      files: [base64File('courses.csv', bad)],
    });
    expect(refused.status).toBe('failed');
    expect(refused.outcome?.problem).toMatchObject({
      status: 400,
      code: 'IMPORT.ROWS_REFUSED',
      field: 'courses.csv row 3 column lengthWeeks',
      details: { file: 'courses.csv', count: 1, errors: [expect.objectContaining({ row: 3 })] },
    });
    expect(await audit()).toBe(before);

    // The export as it is imports back with nothing to do.
    const back = await submitted('/api/v1/imports/courses', {
      files: [base64File('courses.csv', exported.body)],
    });
    expect(back.status, JSON.stringify(back.outcome)).toBe('succeeded');
    expect(back.outcome?.summary).toMatchObject({ created: 0, updated: 0 });
    expect(await audit()).toBe(before);
  });

  it('refuses an import the caller may not make, and input that is not a file', async () => {
    const forbidden = await post(
      '/api/v1/imports/courses',
      { files: [base64File('c.csv', 'id\n')] },
      sco,
    );
    expect(forbidden.statusCode).toBe(403);
    const notBase64 = await post('/api/v1/imports/courses', {
      files: [{ name: 'c.csv', content: 'not base64!' }],
    });
    expect(notBase64.statusCode).toBe(400);
    expect(notBase64.json()).toMatchObject({ field: 'files.0.content' });
    const two = await post('/api/v1/imports/courses', {
      files: [base64File('a.csv', 'id\n'), base64File('b.csv', 'id\n')],
    });
    expect(two.json()).toMatchObject({ field: 'files' });
    const stage = await post('/api/v1/imports/courses', {
      files: [base64File('a.csv', 'id\n')],
      stage: 'enacted',
    });
    expect(stage.json()).toMatchObject({ field: 'stage' });
  });
});

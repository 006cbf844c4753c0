// The student, screening, travel-order and participant-record commands end to end: a data dir
// prepared through the services (a course, three PAK seats: one clear, one with a red gate, one
// whose student graduated), then the commands a desk officer types.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import type { Result } from '../../src/core/result.js';
import { GATES } from '../../src/core/students/gates.js';
import { addCourse } from '../../src/services/training/catalog.service.js';
import type { AppContext } from '../../src/services/context.js';
import { nominate } from '../../src/services/students/nomination.service.js';
import { addCareer, addFinding } from '../../src/services/students/participant.service.js';
import { recordSchoolEvent } from '../../src/services/students/school-event.service.js';
import { addSchool } from '../../src/services/training/school.service.js';
import {
  recordScreening,
  recordUnitVetting,
} from '../../src/services/students/screening.service.js';
import { addStudent } from '../../src/services/students/student.service.js';
import { addLine } from '../../src/services/training/training.service.js';
import { issueTravelOrder } from '../../src/services/students/travel-order.service.js';
import { cliOver, runAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-students-'));
let db: TestDatabase;
let cli: (args: readonly string[]) => Promise<CliRun>;
afterAll(async () => {
  await db.close();
  rmSync(root, { recursive: true, force: true });
});

// In this process over a test database; one test below runs a real process on a demo data dir.
const run = (...args: string[]) => cli(args);
const officer: Actor = { id: 'user:setup', role: 'admin' };
const UNIT = '11th Battalion, The Punjab Regiment';

function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
  return result.value;
}

/** Seats of the FY2020 line: [clear, medical missing, graduated]. */
let seats: string[] = [];
let graduate = '';

/** Every screening a nominee needs for the 10-week course from 2020-08-03, except those skipped. */
async function screen(ctx: AppContext, student: string, skip: readonly string[] = []) {
  const all = [
    { kind: 'leahy-person', outcome: 'approved', on: '2020-05-04' },
    { kind: 'medical', outcome: 'passed', on: '2020-05-20' },
    { kind: 'dental', outcome: 'passed', on: '2020-05-20' },
    { kind: 'insurance', outcome: 'covered', on: '2020-05-21' },
    { kind: 'security', outcome: 'cleared', on: '2020-05-12' },
    { kind: 'passport', outcome: 'valid', on: '2020-05-12' },
    { kind: 'visa', outcome: 'issued', on: '2020-06-02', validUntil: '2021-08-31' },
    { kind: 'ecl', on: '2020-05-10', score: 85 },
  ];
  for (const s of all.filter((x) => !skip.includes(x.kind)))
    must(await recordScreening(ctx, officer, { student, ...s }));
}

async function nominee(ctx: AppContext, seat: string, family: string, given: string) {
  const student = must(
    await addStudent(ctx, officer, {
      country: 'PAK',
      familyName: family,
      givenNames: given,
      unit: UNIT,
      rank: 'Major',
      usGrade: 'O-4',
      passportNumber: 'AB1234567',
      passportExpiresOn: '2025-02-28',
    }),
  );
  must(
    await nominate(ctx, officer, {
      seat,
      student: student.id,
      attacheName: 'COL Jane R. Doe',
      attacheConsultedOn: '2020-04-30',
      on: '2020-05-01',
    }),
  );
  return student.id;
}

beforeAll(async () => {
  db = await openTestDatabase('empty');
  cli = cliOver(db.ctx, 'user:desk-officer');
  const ctx = db.ctx;
  must(
    await addSchool(ctx, officer, {
      id: 'TSCH',
      name: 'Test Staff School',
      location: 'Newport, RI',
      department: 'Navy',
    }),
  );
  must(
    await addCourse(ctx, officer, {
      id: 'T100001',
      title: 'Test Staff Course',
      school: 'TSCH',
      category: 'PME',
      lengthWeeks: 10,
      eclMin: 80,
      tuition: [{ fiscalYear: 2020, cents: 5_000_000 }],
    }),
  );
  const line = must(
    await addLine(ctx, officer, {
      country: 'PAK',
      fiscalYear: 2020,
      course: 'T100001',
      seats: 3,
      classStart: '2020-08-03',
      priority: 'A',
    }),
  );
  seats = line.seats.map((s) => s.id);
  const [clear = '', red = '', done = ''] = seats;
  must(
    await recordUnitVetting(ctx, officer, {
      country: 'PAK',
      unit: UNIT,
      outcome: 'approved',
      on: '2020-03-18',
    }),
  );
  await screen(ctx, await nominee(ctx, clear, 'AHMED', 'Bilal'));
  await screen(ctx, await nominee(ctx, red, 'MALIK', 'Usman'), ['medical']);
  graduate = await nominee(ctx, done, 'QURESHI', 'Imran');
  await screen(ctx, graduate);
  // Dated before its class started (the wall clock is years later: issue #10).
  must(await issueTravelOrder(ctx, officer, done, { on: '2020-07-15' }));
  must(
    await recordSchoolEvent(ctx, officer, { seat: done, event: 'in-training', on: '2020-07-28' }),
  );
  must(
    await recordSchoolEvent(ctx, officer, {
      seat: done,
      event: 'completed',
      on: '2020-10-09',
      academicReport: 'Graduated in the top third of the class.',
    }),
  );
  must(
    await addCareer(ctx, officer, {
      student: graduate,
      title: 'Commander, 7th Infantry Brigade',
      rank: 'Brigadier',
      usGrade: 'O-7',
      location: 'Lahore',
      from: '2023-01-15',
      prominence: 'general-officer',
    }),
  );
  must(
    await addFinding(ctx, officer, {
      student: graduate,
      on: '2024-03-01',
      summary: 'Named in a credible report of abuses by troops under command.',
      source: 'US Embassy Islamabad cable',
    }),
  );
}, 120_000);

describe('attache student', () => {
  it('adds a student, then finds him under another spelling and order of his names', async () => {
    const added = await run(
      ...['student', 'add', '--country', 'PAK', '--family-name', 'KHAN'],
      ...['--given-names', 'Mohammad Ali', '--grade', 'O-4', '--unit', UNIT],
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^stu_[0-9a-f]+$/);

    const found = await run('student', 'search', 'Muhammad Ali Khan', '--json');
    expect(found.code).toBe(0);
    const body = JSON.parse(found.stdout) as {
      items: { id: string; familyName: string; usGrade: string }[];
      total: number;
    };
    expect(body.items.map((s) => s.id)).toEqual([id]);
    expect(body.items[0]).toMatchObject({ familyName: 'KHAN', usGrade: 'O-4' });
  });

  it('refuses an ECL score out of range (exit 2) and one that is not a number, naming --score', async () => {
    const outOfRange = await run(
      ...['screening', 'record', graduate, '--kind', 'ecl', '--on', '2020-05-10'],
      ...['--score', '101'],
    );
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toMatch(
      /^attache: --score: a whole number from 0 to 100 \(got 101\)$/m,
    );
    const notANumber = await run(
      ...['screening', 'record', graduate, '--kind', 'ecl', '--on', '2020-05-10'],
      ...['--score', 'abc'],
    );
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toBe('attache: --score: a whole number from 0 to 100 (got abc)\n');
  });
});

describe('attache gates and ito', () => {
  it('lists every gate of a seat, in order, with the red one', async () => {
    const gates = await run('gates', seats[1]!, '--json');
    expect(gates.code).toBe(0);
    const checklist = JSON.parse(gates.stdout) as {
      clear: boolean;
      gates: { gate: string; status: string; code: string }[];
    };
    expect(checklist.gates.map((g) => g.gate)).toEqual([...GATES]);
    expect(checklist.clear).toBe(false);
    expect(checklist.gates.filter((g) => g.status === 'red')).toEqual([
      expect.objectContaining({ gate: 'medical', code: 'GATE.MEDICAL.MISSING' }),
    ]);
  });

  it('refuses a travel order while a gate is red: exit 1, the gate code on stderr', async () => {
    const refused = await run('ito', 'issue', seats[1]!);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('no medical examination recorded');
    expect(lines[0]).toMatch(/\[GATE\.MEDICAL\.MISSING\]$/);
  });

  it('issues the order of a clear seat and writes its PDF', async () => {
    const verdict = await run('gates', seats[0]!);
    expect(verdict.code).toBe(0);
    const [first, ...rows] = verdict.stdout.trim().split('\n');
    expect(first).toBe('clear: a travel order may be issued');
    expect(rows).toHaveLength(GATES.length);
    expect(rows[0]).toMatch(
      /^ {2}green\s+leahy-person\s+Leahy approval of the person of 2020-05-04/,
    );

    const pdf = join(root, 'ito.pdf');
    // Today the class of 2020-08-03 has long started: refused with its code, nothing written
    // (issue #10); a malformed --on is bad input naming it.
    const late = await run('ito', 'issue', seats[0]!, '--out', pdf);
    expect([late.code, late.stdout]).toEqual([1, '']);
    expect(late.stderr.trim().split('\n')).toHaveLength(1);
    expect(late.stderr).toMatch(/^attache: lateReason: the class started on 2020-08-03, before/);
    expect(late.stderr.trim()).toMatch(/\[ITO\.CLASS_STARTED\]$/);
    const malformed = await run('ito', 'issue', seats[0]!, '--on', '2020-08-32', '--out', pdf);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^attache: --on: not a calendar date/);
    expect(existsSync(pdf)).toBe(false);
    expect((await run('gates', seats[0]!)).stdout).toMatch(/^clear/);

    const issued = await run(
      'ito',
      'issue',
      seats[0]!,
      '--on',
      '2020-08-10',
      '--late-reason',
      'visa issued 2020-08-05; the school agreed to a late arrival',
      '--out',
      pdf,
    );
    expect(issued.stderr).toBe('');
    expect(issued.code).toBe(0);
    expect(issued.stdout).toMatch(
      /^ITO-PAK-2020-\d{4} revision 0 issued 2020-08-10 for seat \S+ \(late: visa issued 2020-08-05; the school agreed to a late arrival\)$/m,
    );
    expect(existsSync(pdf)).toBe(true);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const shown = await run('ito', 'show', seats[0]!);
    expect(shown.stdout).toContain(
      'issued late: visa issued 2020-08-05; the school agreed to a late arrival',
    );
  }, 120_000);
});

describe('attache records search', () => {
  it("answers a unit with each participant's 2347g record", async () => {
    const answer = await run('records', 'search', '--unit', UNIT, '--country', 'PAK', '--json');
    expect(answer.code).toBe(0);
    const body = JSON.parse(answer.stdout) as { results: { query: string; records: unknown[] }[] };
    expect(body.results).toHaveLength(1);
    // Only the graduate has instruction on record; the other nominees have none yet.
    expect(body.results[0]!.records).toEqual([
      expect.objectContaining({
        studentId: graduate,
        name: 'QURESHI, Imran',
        country: 'PAK',
        unit: UNIT,
        instruction: [
          expect.objectContaining({
            type: 'PME',
            courseId: 'T100001',
            startedOn: '2020-07-28',
            endedOn: '2020-10-09',
            completed: true,
            academicReport: 'Graduated in the top third of the class.',
          }),
        ],
        currentPosition: expect.objectContaining({
          title: 'Commander, 7th Infantry Brigade',
          prominence: 'general-officer',
        }) as unknown,
        findings: [expect.objectContaining({ source: 'US Embassy Islamabad cable' })],
      }),
    ]);
  });

  it('answers a file of names, skipping blank lines and comments', async () => {
    const file = join(root, 'names.txt');
    writeFileSync(file, '# State Department list\n\nImran Qureshi\n  \nNobody Atall\n');
    const answer = await run('records', 'search', '--names', file);
    expect(answer.code).toBe(0);
    const lines = answer.stdout.trim().split('\n');
    expect(lines[0]).toBe('"Imran Qureshi": 1 record');
    expect(lines[1]).toMatch(/^ {2}QURESHI, Imran {2}PAK {2}unit 11th Battalion/);
    expect(lines[2]).toMatch(
      /^ {4}PME\s+T100001 Test Staff Course\s+2020-07-28 to 2020-10-09\s+completed$/,
    );
    expect(lines[3]).toBe(
      '    current position: Commander, 7th Infantry Brigade, Brigadier (O-7), Lahore, from 2023-01-15',
    );
    expect(lines[4]).toBe('    findings: 1');
    expect(lines[5]).toBe('"Nobody Atall": 0 records');
    expect(lines).toHaveLength(6);
  });

  it('answers a unit as a real process on a data dir, exit 0', async () => {
    const answer = await runAttache(
      ['records', 'search', '--unit', 'Punjab Regiment', '--country', 'PAK', '--json'],
      { ATTACHE_DATA_DIR: await demoDataDir(root) },
    );
    expect(answer.stderr).toBe('');
    expect(answer.code).toBe(0);
    const body = JSON.parse(answer.stdout) as { results: { records: { name: string }[] }[] };
    expect(body.results[0]!.records.map((r) => r.name)).toContain('HUSSAIN, Tariq Mehmood');
  }, 60_000);

  it('refuses a names file that cannot be read: exit 2, one line', async () => {
    const missing = join(root, 'missing-file');
    const answer = await run('records', 'search', '--names', missing);
    expect(answer.code).toBe(2);
    expect(answer.stderr).toBe(`attache: --names: cannot read ${missing}: no such file\n`);
  });
});

describe('attache instruction add', () => {
  it('appends instruction received before the seat was kept, and refuses a cause on a completion', async () => {
    const added = await run(
      'instruction',
      'add',
      graduate,
      '--course',
      'T100001',
      '--started',
      '2015-03-02',
      '--ended',
      '2015-05-08',
      '--outcome',
      'completed',
      '--report',
      'Completed.',
    );
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toMatch(/^trn_[0-9a-f]{12}$/);
    const record = await run('records', 'search', '--unit', UNIT, '--country', 'PAK', '--json');
    expect(record.stdout).toMatch(/"startedOn": ?"2015-03-02"/);
    const refused = await run(
      'instruction',
      'add',
      graduate,
      '--course',
      'T100001',
      '--started',
      '2015-03-02',
      '--ended',
      '2015-05-08',
      '--outcome',
      'completed',
      '--cause',
      'failed',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^attache: cause: .*\[INPUT.INVALID\]\n$/);
  });
});

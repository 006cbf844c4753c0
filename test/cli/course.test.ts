// The catalog commands end to end: school add/list, course add, correct (and the stale --version
// refusal), retire, show, list; exit codes; dollars to cents without floats. In this process over
// a migrated test database; the refusals on a real process over an embedded data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTuition } from '../../src/cli/commands/course.command.js';
import { cliOver, runAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-course-'));
let db: TestDatabase;
let runHere: (args: readonly string[]) => Promise<CliRun>;
let env: Record<string, string>;

beforeAll(async () => {
  env = { ATTACHE_DATA_DIR: await demoDataDir(root), ATTACHE_ACTOR: 'user:tester' };
  db = await openTestDatabase('empty');
  runHere = cliOver(db.ctx, 'user:tester');
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

const run = (...args: string[]) => runHere(args);
/** A real process: its exit status and its stderr through a pipe. */
const runReal = (...args: string[]) => runAttache(args, env);

describe('--tuition FY=AMOUNT', () => {
  it.each([
    ['2018=50430', { fiscalYear: 2018, cents: 5_043_000 }],
    ['2018=50430.50', { fiscalYear: 2018, cents: 5_043_050 }],
    ['2018=50430.5', { fiscalYear: 2018, cents: 5_043_050 }],
    ['2019=$1,234,567.89', { fiscalYear: 2019, cents: 123_456_789 }],
    ['2020=0.07', { fiscalYear: 2020, cents: 7 }],
    ['2020=-5', { fiscalYear: 2020, cents: -500 }],
  ])('reads %s as exact cents', (text, expected) => {
    expect(parseTuition(text)).toEqual(expected);
  });

  it.each(['2018=50430.505', '2018=abc', '18=5', '2018', '2018=1,23'])('refuses %s', (text) => {
    expect(() => parseTuition(text)).toThrow(/--tuition: FY=AMOUNT in dollars/);
  });
});

describe('attache school and course', () => {
  it('adds a school and a course with tuition in dollars, stored as cents', async () => {
    const school = await run(
      'school',
      'add',
      '--id',
      'TSCH',
      '--name',
      'Test School',
      '--location',
      'Newport, RI',
      '--department',
      'navy',
    );
    expect(school).toMatchObject({ code: 0, stdout: 'TSCH\n', stderr: '' });
    const added = await run(
      'course',
      'add',
      '--id',
      'T100001',
      '--title',
      'Test Staff Course',
      '--school',
      'TSCH',
      '--category',
      'pme',
      '--dedicated',
      '--weeks',
      '6',
      '--ecl',
      '75',
      '--opi',
      '2/2',
      '--tuition',
      '2018=50430.50',
      '2019=51,000',
      '--json',
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      id: 'T100001',
      school: 'TSCH',
      department: 'Navy',
      category: 'PME',
      eImet: false,
      dedicated: true,
      lengthWeeks: 6,
      eclMin: 75,
      opiMin: '2/2',
      version: 1,
      tuition: [
        { fiscalYear: 2018, cents: 5_043_050, currency: 'USD', illustrative: false },
        { fiscalYear: 2019, cents: 5_100_000, currency: 'USD', illustrative: false },
      ],
    });
    const schools = await run('school', 'list', '--json');
    expect(JSON.parse(schools.stdout)).toEqual({
      items: [{ id: 'TSCH', name: 'Test School', location: 'Newport, RI', department: 'Navy' }],
      total: 1,
    });
  }, 60_000);

  // On a real process (neither refusal writes, so the data dir need not be this file's).
  it('refuses bad input with exit 2 and an unknown school with exit 3, naming the field', async () => {
    const ecl = await runReal(
      'course',
      'add',
      '--id',
      'T100002',
      '--title',
      'T',
      '--school',
      'TSCH',
      '--category',
      'technical',
      '--weeks',
      '3',
      '--ecl',
      '101',
    );
    expect(ecl.code).toBe(2);
    expect(ecl.stderr).toBe('attache: --ecl: a whole number from 0 to 100 (got 101)\n');
    const school = await runReal(
      'course',
      'add',
      '--id',
      'T100002',
      '--title',
      'T',
      '--school',
      'NOWHERE',
      '--category',
      'technical',
      '--weeks',
      '3',
    );
    expect(school.code).toBe(3);
    expect(school.stderr).toBe('attache: school: school NOWHERE not found [SCHOOL.NOT_FOUND]\n');
  }, 60_000);

  it('corrects at the current version; a second correction naming the old version exits 1 and changes nothing', async () => {
    const first = await run(
      'course',
      'correct',
      'T100001',
      '--reason',
      'a week longer',
      '--version',
      '1',
      '--weeks',
      '7',
      '--ecl',
      'none',
      '--tuition',
      '2020=52000',
    );
    expect(first).toMatchObject({ code: 0, stdout: 'T100001 version 2 recorded\n' });
    const stale = await run(
      'course',
      'correct',
      'T100001',
      '--reason',
      'second editor',
      '--version',
      '1',
      '--weeks',
      '9',
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /^attache: version: course T100001 is at version 2, not 1: .*\[COURSE\.STALE\]\n$/,
    );
    expect(stale.stdout).toBe('');
  }, 60_000);

  it('retires the course: shown with retiredOn, its tuition and its history', async () => {
    const retired = await run(
      'course',
      'retire',
      'T100001',
      '--on',
      '2021-10-01',
      '--reason',
      'replaced',
      '--version',
      '2',
    );
    expect(retired).toMatchObject({
      code: 0,
      stdout: 'T100001 retired from 2021-10-01 (version 3)\n',
    });
    const shown = await run('course', 'show', 'T100001', '--json');
    const course = JSON.parse(shown.stdout) as { tuition: { cents: number }[]; history: unknown[] };
    expect(course).toMatchObject({
      version: 3,
      lengthWeeks: 7,
      eclMin: null,
      retired: true,
      retiredOn: '2021-10-01',
    });
    expect(course.tuition.map((t) => t.cents)).toEqual([5_043_050, 5_100_000, 5_200_000]);
    expect(course.history).toMatchObject([
      { action: 'course.add', actor: 'user:tester' },
      { action: 'course.correct', reason: 'a week longer' },
      { action: 'course.retire', reason: 'replaced' },
    ]);
  }, 60_000);

  it('lists the retired course only with --include-retired; retiring it twice exits 1', async () => {
    const active = await run('course', 'list', '--json');
    expect(JSON.parse(active.stdout)).toEqual({ items: [], total: 0 });
    const all = await run('course', 'list', '--include-retired');
    expect(all.stdout.split('\n')[0]).toMatch(
      /^ID\s+SCHOOL\s+CATEGORY\s+WEEKS\s+FLAGS\s+RETIRED\s+TITLE$/,
    );
    expect(all.stdout).toMatch(
      /^T100001\s+TSCH\s+PME\s+7\s+dedicated\s+2021-10-01\s+Test Staff Course$/m,
    );
    const twice = await run(
      'course',
      'retire',
      'T100001',
      '--on',
      '2022-01-01',
      '--reason',
      'again',
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('[COURSE.ALREADY_RETIRED]');
  }, 60_000);
});

describe('attache course classes and class-seats', () => {
  it("lists a course's classes, records a class's international seats, and refuses below its funded seats", async () => {
    const listed = await runReal('course', 'classes', 'B171801', '--fy', '2018');
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^CLASS START\s+INTL SEATS\s+FUNDED \(A\)\s+WISHED \(B\)\s+OPEN\s+VERSION$/,
    );
    expect(listed.stdout).toMatch(/^2017-10-16\s+-\s+3\s+0\s+-\s+-$/m);
    expect(listed.stdout).toMatch(/^2018-08-13\s+6\s+0\s+7\s+6\s+1$/m);
    const set = await runReal(
      'course',
      'class-seats',
      'B171801',
      '--start',
      '2018-08-13',
      '--seats',
      '8',
      '--version',
      '1',
      '--json',
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      internationalSeats: 8,
      version: 2,
      openSeats: 8,
    });
    const below = await runReal(
      'course',
      'class-seats',
      'B171801',
      '--start',
      '2017-10-16',
      '--seats',
      '2',
    );
    expect(below.code).toBe(1);
    expect(below.stderr).toBe(
      'attache: seats: class B171801@2017-10-16 holds 3 priority A seats: cancel or move some before recording 2 [CLASS.BELOW_FUNDED]\n',
    );
    const bad = await runReal(
      'course',
      'class-seats',
      'B171801',
      '--start',
      '2018-08-13',
      '--seats',
      'x',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^attache: --seats: /);
  }, 90_000);
});

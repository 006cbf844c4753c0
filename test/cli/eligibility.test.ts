// The eligibility, restriction and relief commands end to end, in the exact forms the README
// documents. In this process over the demo in a test database; an impossible instant is refused on
// a real process too, over an embedded data dir holding the demo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOver, runAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-elig-'));
let db: TestDatabase;
/** One command in this process (fast), over this file's database. */
let runHere: (args: readonly string[]) => Promise<CliRun>;
let env: Record<string, string>;

const auditEntries = async () => {
  const verified = await runHere(['audit', 'verify', '--json']);
  expect(verified.code).toBe(0);
  return (JSON.parse(verified.stdout) as { entries: number }).entries;
};

beforeAll(async () => {
  env = { ATTACHE_DATA_DIR: await demoDataDir(root), ATTACHE_ACTOR: 'user:tester' };
  db = await openTestDatabase('demo');
  runHere = cliOver(db.ctx, 'user:tester');
}, 120_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('attache eligibility', () => {
  it('says IMET was blocked on 2019-06-01 by the 2018 suspension, the exception having ended in August 2018 (a month-precision date)', async () => {
    const run = await runHere(['eligibility', 'PAK', 'IMET', '--on', '2019-06-01']);
    expect(run.code).toBe(0);
    const [verdict, ...reasons] = run.stdout.trim().split('\n');
    expect(verdict).toBe('PAK IMET on 2019-06-01: BLOCKED');
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(
      /^ {2}blocking: policy restriction rst_pak-policy-2018 .* from 2018-01-04: blocks IMET; no relief in force: exception rlf_pak-imet-exception-2018 for IMET ended 2018-08 \(month only\)$/,
    );
    // The shipped history is partial for some kinds then: the answer says so.
    expect(reasons[1]).toMatch(/^ {2}coverage: the recorded history is partial here for /);
  });

  it('says eligible on 2020-01-04 by the 2019 exception; FMF stays blocked', async () => {
    const imet = await runHere(['eligibility', 'PAK', 'IMET', '--on', '2020-01-04']);
    expect(imet.stdout.split('\n')[0]).toBe('PAK IMET on 2020-01-04: ELIGIBLE');
    expect(imet.stdout).toContain(
      'relieved for IMET by exception rlf_pak-imet-exception-2020 from 2020-01-03',
    );
    const fmf = await runHere(['eligibility', 'PAK', 'FMF', '--on', '2020-01-04', '--json']);
    expect(fmf.code).toBe(0);
    expect(JSON.parse(fmf.stdout)).toMatchObject({
      country: 'PAK',
      program: 'FMF',
      eligible: false,
      restrictions: [{ status: 'blocking' }],
    });
  });

  it('answers as the demo record stood on a past day: decisions are on record from the day they were made', async () => {
    const before = await runHere([
      'eligibility',
      'PAK',
      'IMET',
      '--on',
      '2020-01-04',
      '--known-on',
      '2019-12-01',
    ]);
    expect(before.stdout.split('\n')[0]).toBe(
      'PAK IMET on 2020-01-04, as known on 2019-12-01T00:00:00.000Z: BLOCKED',
    );
    const summer2018 = await runHere([
      'eligibility',
      'PAK',
      'IMET',
      '--on',
      '2018-09-01',
      '--known-on',
      '2018-07-01',
      '--json',
    ]);
    expect(JSON.parse(summer2018.stdout)).toMatchObject({
      eligible: true,
      knownOn: '2018-07-01T00:00:00.000Z',
      asOf: '2018-07-01T00:00:00.000Z',
      restrictions: [{ status: 'relieved', reliefId: 'rlf_pak-imet-exception-2018' }],
    });
  });

  it('says blocked on 2020-01-02 with the exception pending until 2020-01-03', async () => {
    const run = await runHere(['eligibility', 'PAK', 'IMET', '--on', '2020-01-02']);
    expect(run.stdout.split('\n')[0]).toBe('PAK IMET on 2020-01-02: BLOCKED');
    expect(run.stdout).toContain(
      '  pending: exception rlf_pak-imet-exception-2020 for IMET: Congress notified 2019-12-19, waiting period of 15 days ends 2020-01-03',
    );
  });

  it.each([
    [
      ['eligibility', 'XYZ', 'IMET', '--on', '2020-01-01'],
      3,
      /^attache: country: country XYZ not found/,
    ],
    [
      ['eligibility', 'PAK', 'BOGUS', '--on', '2020-01-01'],
      2,
      /^attache: program: unknown program BOGUS/,
    ],
    [
      ['eligibility', 'PAK', 'IMET', '--on', '2020-02-30'],
      2,
      /^attache: --on: not a calendar date/,
    ],
    [
      ['eligibility', 'PAK', 'IMET', '--on', '2200-01-01'],
      2,
      /^attache: --on: 2200-01-01 is outside 1950–2100$/,
    ],
    [['eligibility', 'PAK', 'IMET'], 2, /required option '--on <date>'/],
  ])('refuses %j with exit %i', async (args, code, message) => {
    const run = await runHere(args);
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });
});

describe('bad dates, instants and counts', () => {
  const pak = ['eligibility', 'PAK', 'IMET'];
  it.each([
    [[...pak, '--on', '1949-12-31'], /^attache: --on: 1949-12-31 is outside 1950–2100$/],
    [[...pak, '--on', '2101-01-01'], /^attache: --on: 2101-01-01 is outside 1950–2100$/],
    [
      [...pak, '--on', '2019-13-01'],
      /^attache: --on: not a calendar date YYYY-MM-DD \(1950–2100\): 2019-13-01$/,
    ],
    [[...pak, '--on', 'yesterday'], /^attache: --on: not a calendar date .*: yesterday$/],
    [
      [...pak, '--on', '2020-01-04', '--known-on', '2019-02-30T00:00:00Z'],
      /^attache: --known-on: /,
    ],
    [
      [...pak, '--on', '2020-01-04', '--known-on', '2019-02-28T25:00:00Z'],
      /^attache: --known-on: /,
    ],
    [['timeline', 'PAK', '--known-on', '2019-13-01T00:00:00Z'], /^attache: --known-on: /],
    [['country', 'list', '--limit', '-5'], /^attache: --limit: a whole number from 1 \(got -5\)$/],
    [
      ['country', 'list', '--limit', 'abc'],
      /^attache: --limit: a whole number from 1 \(got abc\)$/,
    ],
    [['country', 'list', '--limit', '0'], /^attache: --limit: /],
    [['country', 'list', '--limit', '2.5'], /^attache: --limit: /],
    [['course', 'list', '--limit', '5x'], /^attache: --limit: /],
    [['seat', 'list', '--country', 'PAK', '--fy', '2018', '--limit', '-5'], /^attache: --limit: /],
    [['seat', 'list', '--country', 'PAK', '--fy', '1949'], /^attache: --fy: /],
    [['seat', 'cancel', 'x', '--reason', 'r', '--version', '0'], /^attache: --version: /],
    [['program', 'check', 'PAK', '20x8'], /^attache: <fy>: /],
  ])('refuses %j with exit 2 naming the flag, before opening anything', async (args, message) => {
    const run = await runHere(args);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });

  it('refuses an impossible instant in a real process too (it used to read 2019-03-02)', async () => {
    const run = await runAttache(
      [...pak, '--on', '2020-01-04', '--known-on', '2019-02-30T00:00:00Z'],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^attache: --known-on: not an ISO 8601 timestamp .*2019-02-30T00:00:00Z\n$/,
    );
  });

  it('writes nothing when a write is given a bad date or count', async () => {
    const before = await auditEntries();
    expect(before).toBeGreaterThan(0);
    const refusals: [string, string[]][] = [
      [
        '--from',
        ['restriction', 'add', '--country', 'NPL', '--scope', 'IMET', '--kind', 'policy'].concat([
          '--from',
          '2019-02-30',
          '--basis',
          'b',
          '--authority',
          'a',
        ]),
      ],
      ['--on', ['restriction', 'end', 'rst_pak-policy-2018', '--on', '2101-01-01']],
      ['--on', ['relief', 'end', 'rlf_pak-imet-exception-2020', '--on', 'yesterday']],
      [
        '--notified',
        ['allocation', 'set', 'PAK', 'IMET', '2018', '--amount', '1', '--reason', 'r'].concat([
          '--notified',
          '2019-02-30',
        ]),
      ],
      [
        '--wait-days',
        ['allocation', 'set', 'PAK', 'IMET', '2018', '--amount', '1', '--reason', 'r'].concat([
          '--wait-days',
          '-3',
        ]),
      ],
      [
        '--birth-date',
        [
          'student',
          'add',
          '--country',
          'PAK',
          '--family-name',
          'Khan',
          '--given-names',
          'Ali',
        ].concat(['--birth-date', '1949-12-31']),
      ],
      [
        '--seats',
        ['line', 'add', '--country', 'PAK', '--fy', '2020', '--course', 'P176019'].concat([
          '--seats',
          '0',
          '--start',
          '2020-01-06',
          '--priority',
          'A',
        ]),
      ],
    ];
    for (const [flag, args] of refusals) {
      const run = await runHere(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^attache: ${flag}: `));
    }
    expect(await auditEntries()).toBe(before);
  });
});

describe('attache restriction and relief', () => {
  it('corrects a suspension into a proviso with its course filter', async () => {
    const add = await runHere([
      'restriction',
      'add',
      '--country',
      'BTN',
      '--scope',
      'IMET',
      '--kind',
      'policy',
      '--from',
      '2031-01-01',
      '--basis',
      'appropriations act proviso',
      '--authority',
      'Congress',
    ]);
    expect(add.code).toBe(0);
    const id = add.stdout.trim();
    const corrected = await runHere([
      'restriction',
      'correct',
      id,
      '--reason',
      'a proviso, not a suspension',
      '--kind',
      'proviso',
      '--course-filter',
      'E-IMET',
      '--json',
    ]);
    expect(corrected.stderr).toBe('');
    expect(JSON.parse(corrected.stdout)).toMatchObject({
      id,
      version: 2,
      kind: 'proviso',
      courseFilter: 'E-IMET',
    });
    const answer = await runHere(['eligibility', 'BTN', 'IMET', '--on', '2031-06-01', '--json']);
    expect(JSON.parse(answer.stdout)).toMatchObject({
      eligible: true,
      conditions: [`only E-IMET courses (proviso ${id})`],
    });
  });

  it('records a suspension and a notified exception, ends it, and answers as known before', async () => {
    const add = await runHere([
      'restriction',
      'add',
      '--country',
      'NPL',
      '--scope',
      'security-assistance',
      '--kind',
      'policy',
      '--from',
      '2031-01-01',
      '--basis',
      'test decision',
      '--authority',
      'Secretary of State',
      '--seats',
      'hold',
    ]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const id = add.stdout.trim();
    expect(id).toMatch(/^rst_[0-9a-f]{12}$/);
    const relief = await runHere([
      'relief',
      'add',
      '--restriction',
      id,
      '--type',
      'exception',
      '--programs',
      'IMET',
      '--notified',
      '2031-02-01',
      '--authority',
      'Secretary of State',
      '--justification',
      'narrow exception',
      '--json',
    ]);
    expect(relief.code).toBe(0);
    const recorded = JSON.parse(relief.stdout) as {
      relief: { id: string; from: string };
      notification: { windowEndsOn: string };
    };
    expect(recorded.relief.from).toBe('2031-02-16');
    expect(recorded.notification.windowEndsOn).toBe('2031-02-16');
    const onDay = await runHere(['eligibility', 'NPL', 'IMET', '--on', '2031-03-01', '--json']);
    expect(JSON.parse(onDay.stdout)).toMatchObject({
      eligible: true,
      restrictions: [{ id, reliefId: recorded.relief.id }],
    });

    const ended = await runHere(['relief', 'end', recorded.relief.id, '--on', '2031-06-01']);
    expect(ended.code).toBe(0);
    expect((await runHere(['eligibility', 'NPL', 'IMET', '--on', '2031-07-01'])).stdout).toMatch(
      /BLOCKED/,
    );
    const lifted = await runHere(['restriction', 'end', id, '--on', '2031-09-01']);
    expect(lifted.code).toBe(0);
    expect((await runHere(['eligibility', 'NPL', 'FMF', '--on', '2031-09-01'])).stdout).toMatch(
      /^NPL FMF on 2031-09-01: ELIGIBLE/,
    );

    const timeline = await runHere(['timeline', 'NPL', '--json']);
    const events = (
      JSON.parse(timeline.stdout) as { events: { type: string; date: string }[] }
    ).events.filter((e) => e.type !== 'allocation');
    expect(events.map((e) => `${e.date} ${e.type}`)).toEqual([
      '2031-01-01 restriction.start',
      '2031-02-01 notification',
      '2031-02-16 relief.start',
      '2031-06-01 relief.end',
      '2031-09-01 restriction.end',
    ]);
  }, 60_000);

  it.each([
    [
      [
        'restriction',
        'add',
        '--country',
        'NPL',
        '--scope',
        'IMET',
        '--kind',
        'coup',
        '--from',
        '2040-01-01',
        '--until',
        '2039-01-01',
        '--basis',
        'b',
        '--authority',
        'a',
      ],
      2,
      /^attache: until: must be after from \(2040-01-01\); got 2039-01-01 \[INPUT.INVALID\]$/,
    ],
    [
      [
        'restriction',
        'add',
        '--country',
        'PAK',
        '--scope',
        'IMET',
        '--kind',
        'policy',
        '--from',
        '2025-01-01',
        '--basis',
        'b',
        '--authority',
        'a',
      ],
      1,
      /^attache: .*rst_pak-policy-2018 already restricts PAK.*\[RESTRICTION.OVERLAP\]$/,
    ],
    [
      ['restriction', 'end', 'rst_nope', '--on', '2020-01-01'],
      3,
      /^attache: id: restriction rst_nope not found/,
    ],
    [
      [
        'relief',
        'add',
        '--restriction',
        'rst_aut-exclusion-1996',
        '--type',
        'exception',
        '--programs',
        'IMET',
        '--from',
        '2020-01-01',
        '--authority',
        'a',
        '--justification',
        'j',
      ],
      1,
      /admits no relief \[RELIEF.TYPE_NOT_ALLOWED\]$/,
    ],
    [
      [
        'relief',
        'add',
        '--restriction',
        'rst_pak-policy-2018',
        '--type',
        'exception',
        '--programs',
        'IMET',
        '--authority',
        'a',
        '--justification',
        'j',
      ],
      2,
      /^attache: give either --from D or --notified D/,
    ],
  ])('refuses %j with exit %i and one line', async (args, code, message) => {
    const run = await runHere(args);
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });
});

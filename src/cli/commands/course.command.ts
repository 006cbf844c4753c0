// `attache course add|list|show|correct|retire` and `attache school list|add`: the catalog, with the
// same objects as /api/v1/courses and /api/v1/schools.
import type { Command } from 'commander';
import { formatUsd } from '../../core/money.js';
import type { TuitionInput } from '../../services/training/catalog-input.js';
import {
  addCourse,
  correctCourse,
  getCourse,
  listCourses,
  retireCourse,
} from '../../services/training/catalog.service.js';
import type { Course, CourseDetail } from '../../services/training/course-view.js';
import {
  listClasses,
  setClassSeats,
  type ClassView,
} from '../../services/training/class-seats.service.js';
import { addSchool, listSchools } from '../../services/training/school.service.js';
import { cliActor, withApp } from '../context.js';
import { dateOption, fiscalYearOption, wholeNumberOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';

const TUITION = /^(\d{4})=(-?)\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** `2018=50430` or `2018=50430.50` (dollars) as whole cents, in integer arithmetic only. */
export function parseTuition(text: string): TuitionInput {
  const match = TUITION.exec(text.trim());
  if (match === null) {
    throw new CliFailure(
      `--tuition: FY=AMOUNT in dollars, e.g. 2018=50430.50 (got ${text})`,
      EXIT.badInput,
    );
  }
  const [, fy = '', sign, dollars = '', cents = ''] = match;
  const amount = BigInt(dollars.replaceAll(',', '')) * 100n + BigInt(cents.padEnd(2, '0'));
  if (amount > BigInt(Number.MAX_SAFE_INTEGER))
    throw new CliFailure(`--tuition: ${text} is too large`, EXIT.badInput);
  const value = Number(amount);
  return { fiscalYear: Number(fy), cents: sign === '-' && value !== 0 ? -value : value };
}

const collectTuition = (value: string, previous: TuitionInput[] | undefined) => [
  ...(previous ?? []),
  parseTuition(value),
];

/**
 * `--ecl`/`--opi` as given: `none` clears the minimum. Read in the action, since commander turns
 * a parser's null into ''.
 */
function minimums(o: { ecl?: string; opi?: string }): {
  eclMin: number | null | undefined;
  opiMin: string | null | undefined;
} {
  const none = (v: string) => v.trim().toLowerCase() === 'none';
  return {
    eclMin:
      o.ecl === undefined
        ? undefined
        : none(o.ecl)
          ? null
          : wholeNumberOption('--ecl', { min: 0, max: 100 })(o.ecl),
    opiMin: o.opi === undefined ? undefined : none(o.opi) ? null : o.opi,
  };
}

interface CourseFieldOptions {
  title?: string;
  school?: string;
  category?: string;
  eImet?: boolean;
  dedicated?: boolean;
  weeks?: number;
  ecl?: string;
  opi?: string;
  tuition?: TuitionInput[];
  source?: string;
  json?: boolean;
}

const flags = (c: Course) =>
  [c.eImet ? 'E-IMET' : '', c.dedicated ? 'dedicated' : ''].filter((f) => f !== '').join(',');
const shorten = (text: string, max = 60) =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

function describeCourse(output: Output, c: CourseDetail): void {
  output.out(`${c.id} ${c.title}`);
  output.out(`school: ${c.school} — ${c.schoolName}, ${c.location} (${c.department})`);
  output.out(
    `category: ${c.category}; ${c.lengthWeeks} weeks; ECL ${c.eclMin ?? '-'}; OPI ${c.opiMin ?? '-'}; E-IMET: ${c.eImet ? 'yes' : 'no'}; dedicated: ${c.dedicated ? 'yes' : 'no'}`,
  );
  output.out(`version ${c.version}; ${c.retired ? `retired from ${c.retiredOn}` : 'offered'}`);
  output.out('tuition per seat:');
  if (c.tuition.length === 0) output.out('  none recorded');
  else
    output.out(
      table(
        c.tuition.map((t) => [
          `  FY${t.fiscalYear}`,
          formatUsd(t.cents),
          t.illustrative ? '(illustrative)' : '',
        ]),
      ),
    );
  output.out('history:');
  for (const h of c.history) {
    output.out(
      `  #${h.seq} ${h.recordedAt} ${h.actor} ${h.action}${h.reason === null ? '' : ` — ${h.reason}`}`,
    );
  }
}

export function registerCourseCommands(program: Command, output: Output): void {
  const course = program
    .command('course')
    .description(
      "the training catalog: add, list, show, correct, retire courses; a class's international seats",
    );

  course
    .command('add')
    .description('add a course; prints its id (with --json, the record)')
    .requiredOption('--id <id>', 'course id (MASL), e.g. B171005')
    .requiredOption('--title <text>', 'course title')
    .requiredOption('--school <id>', 'school id, e.g. CGSC')
    .requiredOption('--category <category>', 'PME, technical, english or other')
    .option('--e-imet', 'an E-IMET course')
    .option('--dedicated', 'international students only')
    .requiredOption('--weeks <n>', 'length in weeks', wholeNumberOption('--weeks'))
    .option('--ecl <n>', 'minimum ECL score, 0–100')
    .option('--opi <levels>', 'minimum OPI, e.g. 2/2')
    .option(
      '--tuition <FY=AMOUNT...>',
      'tuition per seat in dollars, e.g. 2018=50430.50',
      collectTuition,
    )
    .option('--source <text>', 'where the facts come from')
    .option('--json', 'print the record')
    .action(
      async (
        o: CourseFieldOptions & {
          id: string;
          title: string;
          school: string;
          category: string;
          weeks: number;
        },
      ) => {
        const given = minimums(o);
        const result = await withApp((ctx) =>
          addCourse(ctx, cliActor(), {
            id: o.id,
            title: o.title,
            school: o.school,
            category: o.category,
            eImet: o.eImet,
            dedicated: o.dedicated,
            lengthWeeks: o.weeks,
            ...given,
            tuition: o.tuition,
            source: o.source,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) printJson(output, result.value);
        else output.out(result.value.id);
      },
    );

  course
    .command('list')
    .description('courses in id order; retired ones only with --include-retired')
    .option('--school <id>', 'only courses of this school')
    .option('--category <category>', 'PME, technical, english or other')
    .option('--include-retired', 'list retired courses too')
    .option('--json', 'print the API object')
    .option('--limit <n>', 'print at most n rows', wholeNumberOption('--limit'))
    .action(
      async (o: {
        school?: string;
        category?: string;
        includeRetired?: boolean;
        json?: boolean;
        limit?: number;
      }) => {
        const result = await withApp((ctx) =>
          listCourses(ctx, {
            school: o.school,
            category: o.category,
            includeRetired: o.includeRetired,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        const items = result.value;
        const shown = o.limit === undefined ? items : items.slice(0, o.limit);
        if (o.json === true) return printJson(output, { items: shown, total: items.length });
        output.out(
          table([
            ['ID', 'SCHOOL', 'CATEGORY', 'WEEKS', 'FLAGS', 'RETIRED', 'TITLE'],
            ...shown.map((c) => [
              c.id,
              c.school,
              c.category,
              String(c.lengthWeeks),
              flags(c) || '-',
              c.retiredOn ?? '-',
              shorten(c.title),
            ]),
          ]),
        );
      },
    );

  course
    .command('show')
    .description('a course: school, tuition by FY, version and history')
    .argument('<id>', 'course id')
    .option('--json', 'print the API object')
    .action(async (id: string, o: { json?: boolean }) => {
      const result = await withApp((ctx) => getCourse(ctx, id));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      describeCourse(output, result.value);
    });

  const seatsOrDash = (n: number | null) => (n === null ? '-' : String(n));
  const classRow = (k: ClassView) => [
    k.classStart,
    seatsOrDash(k.internationalSeats),
    String(k.fundedSeats),
    String(k.wishedSeats),
    seatsOrDash(k.openSeats),
    seatsOrDash(k.version),
  ];
  const CLASS_HEADER = ['CLASS START', 'INTL SEATS', 'FUNDED (A)', 'WISHED (B)', 'OPEN', 'VERSION'];

  course
    .command('classes')
    .description(
      "a course's classes in a fiscal year: international seats, seats funded (priority A) and wished (B), open",
    )
    .argument('<id>', 'course id')
    .requiredOption('--fy <fy>', 'fiscal year', fiscalYearOption('--fy'))
    .option('--json', 'print the API object')
    .action(async (id: string, o: { fy: number; json?: boolean }) => {
      const result = await withApp((ctx) => listClasses(ctx, id, o.fy));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, { items: result.value });
      if (result.value.length === 0)
        return output.out(`no class of ${id.toUpperCase()} in FY${o.fy} is recorded or programmed`);
      output.out(table([CLASS_HEADER, ...result.value.map(classRow)]));
    });

  course
    .command('class-seats')
    .description(
      "record a class's international seats: funded (priority A) seats may not exceed them",
    )
    .argument('<id>', 'course id')
    .requiredOption('--start <date>', 'the class start, YYYY-MM-DD', dateOption('--start'))
    .requiredOption(
      '--seats <n>',
      'seats for international students',
      wholeNumberOption('--seats', { min: 0 }),
    )
    .option(
      '--version <n>',
      'refuse unless the class is still at this version',
      wholeNumberOption('--version'),
    )
    .option('--json', 'print the API object')
    .action(
      async (id: string, o: { start: string; seats: number; version?: number; json?: boolean }) => {
        const result = await withApp((ctx) =>
          setClassSeats(ctx, cliActor(), id, o.start, {
            seats: o.seats,
            expectedVersion: o.version,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        output.out(table([CLASS_HEADER, classRow(result.value)]));
      },
    );

  course
    .command('correct')
    .description('correct a course (a new version; the old content stays in the audit log)')
    .argument('<id>', 'course id')
    .requiredOption('--reason <text>', 'why the record was wrong')
    .option(
      '--version <n>',
      'refuse unless the course is still at this version',
      wholeNumberOption('--version'),
    )
    .option('--title <text>', 'course title')
    .option('--school <id>', 'school id')
    .option('--category <category>', 'PME, technical, english or other')
    .option('--e-imet', 'an E-IMET course')
    .option('--no-e-imet', 'not an E-IMET course')
    .option('--dedicated', 'international students only')
    .option('--no-dedicated', 'not dedicated')
    .option('--weeks <n>', 'length in weeks', wholeNumberOption('--weeks'))
    .option('--ecl <n>', 'minimum ECL score, 0–100 (none to clear)')
    .option('--opi <levels>', 'minimum OPI, e.g. 2/2 (none to clear)')
    .option(
      '--tuition <FY=AMOUNT...>',
      'set tuition per seat for these FYs, in dollars',
      collectTuition,
    )
    .option('--source <text>', 'where the facts come from')
    .option('--json', 'print the corrected course')
    .action(async (id: string, o: CourseFieldOptions & { reason: string; version?: number }) => {
      const given = minimums(o);
      const result = await withApp((ctx) =>
        correctCourse(
          ctx,
          cliActor(),
          id,
          {
            reason: o.reason,
            title: o.title,
            school: o.school,
            category: o.category,
            eImet: o.eImet,
            dedicated: o.dedicated,
            lengthWeeks: o.weeks,
            ...given,
            tuition: o.tuition,
            source: o.source,
          },
          o.version,
        ),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) printJson(output, result.value);
      else output.out(`${result.value.id} version ${result.value.version} recorded`);
    });

  course
    .command('retire')
    .description('retire a course from a date; it stays in the catalog with its history')
    .argument('<id>', 'course id')
    .requiredOption(
      '--on <date>',
      'the first day it is no longer offered, YYYY-MM-DD',
      dateOption('--on'),
    )
    .requiredOption('--reason <text>', 'why')
    .option(
      '--version <n>',
      'refuse unless the course is still at this version',
      wholeNumberOption('--version'),
    )
    .option('--json', 'print the retired course')
    .action(
      async (id: string, o: { on: string; reason: string; version?: number; json?: boolean }) => {
        const result = await withApp((ctx) =>
          retireCourse(ctx, cliActor(), id, { on: o.on, reason: o.reason }, o.version),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) printJson(output, result.value);
        else
          output.out(`${result.value.id} retired from ${o.on} (version ${result.value.version})`);
      },
    );

  const school = program.command('school').description('schools of the catalog: list, add');

  school
    .command('list')
    .description('every school with its location and military department')
    .option('--json', 'print the API object')
    .action(async (o: { json?: boolean }) => {
      const items = await withApp((ctx) => listSchools(ctx));
      if (o.json === true) return printJson(output, { items, total: items.length });
      output.out(
        table([
          ['ID', 'DEPARTMENT', 'LOCATION', 'NAME'],
          ...items.map((s) => [s.id, s.department, s.location, s.name]),
        ]),
      );
    });

  school
    .command('add')
    .description('add a school; prints its id (with --json, the record)')
    .requiredOption('--id <id>', 'school id, e.g. CGSC')
    .requiredOption('--name <text>', 'school name')
    .requiredOption('--location <text>', 'where it is, e.g. Fort Leavenworth, KS')
    .requiredOption(
      '--department <department>',
      'military department: Army, Navy, Air Force, Marine Corps, Coast Guard or DoD',
    )
    .option('--json', 'print the record')
    .action(
      async (o: {
        id: string;
        name: string;
        location: string;
        department: string;
        json?: boolean;
      }) => {
        const result = await withApp((ctx) =>
          addSchool(ctx, cliActor(), {
            id: o.id,
            name: o.name,
            location: o.location,
            department: o.department,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) printJson(output, result.value);
        else output.out(result.value.id);
      },
    );
}

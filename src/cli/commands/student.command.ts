// `attache student add|show|search` and `attache screening record|unit|exempt`; registers the
// seat (nominate, gates, travel order, school events) and participant-record commands too (DESIGN §4.3).
import type { Command } from 'commander';
import type { Screening, Student } from '../../core/students/types.js';
import {
  recordScreening,
  recordUnitVetting,
  setEnglishExemption,
} from '../../services/students/screening.service.js';
import {
  addStudent,
  getStudent,
  searchStudents,
  type StudentProfile,
} from '../../services/students/student.service.js';
import { cliActor, withApp } from '../context.js';
import { dateOption, wholeNumberOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';
import { describePosition, registerParticipantCommands } from './participant.command.js';
import { registerTravelOrderCommands } from './travel-order.command.js';

const collect = (value: string, previous: string[]) => [...previous, value];

interface StudentOptions {
  country: string;
  familyName: string;
  givenNames: string;
  variant: string[];
  birthDate?: string;
  birthPlace?: string;
  service?: string;
  rank?: string;
  grade?: string;
  unit?: string;
  contact?: string;
  passport?: string;
  passportExpires?: string;
  serviceNumber?: string;
  json?: boolean;
}

const nameOf = (s: Student) => `${s.familyName}, ${s.givenNames}`;

function screeningResult(s: Screening): string {
  if (s.score !== null) return String(s.score);
  if (s.level !== null) return s.level;
  return s.outcome;
}

/** A section: its title and rows as an indented table, or "none". */
function section(title: string, rows: string[][]): string[] {
  if (rows.length === 0) return [`${title}: none`];
  return [
    `${title}:`,
    ...table(rows.map(([first = '', ...rest]) => [`  ${first}`, ...rest]))
      .split('\n')
      .map((line) => line.trimEnd()),
  ];
}

/** A student's profile as lines a person reads. */
export function describeProfile(p: StudentProfile): string[] {
  const s = p.student;
  const facts = (pairs: [string, string | null][]) =>
    pairs
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
  return [
    `${s.id}  ${nameOf(s)}  (${s.country})`,
    ...(s.nameVariants.length === 0 ? [] : [`also written: ${s.nameVariants.join('; ')}`]),
    facts([
      ['born', [s.birthDate, s.birthPlace].filter((x) => x !== null).join(' in ') || null],
      ['service', s.service],
      ['rank', s.rank],
      ['grade', s.usGrade],
      ['unit', s.unit],
    ]) || 'no service details recorded',
    facts([
      ['passport', s.passportNumber],
      ['expires', s.passportExpiresOn],
      ['service number', s.serviceNumber],
      ['contact', s.contact],
    ]) || 'no passport recorded',
    ...(p.englishExemption === null
      ? []
      : [
          `English exemption of ${s.country}: ${p.englishExemption.scope} (${p.englishExemption.basis})`,
        ]),
    ...section(
      'screenings',
      p.screenings.map((x) => [
        x.onDate,
        x.kind,
        screeningResult(x),
        x.validUntil === null ? '' : `valid until ${x.validUntil}`,
        x.seatId ?? '',
      ]),
    ),
    ...section(
      'unit vettings',
      p.unitVettings.map((v) => [v.onDate, v.unit, v.outcome, v.validUntil ?? '']),
    ),
    ...section(
      'nominations',
      p.nominations.map((n) => [
        n.nominatedOn,
        n.seatId,
        `attaché ${n.attacheName} consulted ${n.attacheConsultedOn}`,
        n.withdrawnOn === null ? '' : `withdrawn ${n.withdrawnOn}`,
      ]),
    ),
    ...section(
      'training',
      p.trainingRecords.map((t) => [
        t.courseId,
        t.courseTitle,
        `${t.startedOn ?? '?'} to ${t.endedOn ?? '…'}`,
        t.outcome ?? 'in training',
      ]),
    ),
    ...section(
      'careers',
      p.careers.map((c) => [describePosition(c), c.prominence ?? '']),
    ),
    ...section(
      'findings',
      p.findings.map((f) => [f.foundOn, f.summary, `(${f.source})`]),
    ),
  ];
}

function registerStudent(program: Command, output: Output): void {
  const student = program.command('student').description('students: add, show, search');
  student
    .command('add')
    .description('record a student of a partner country; prints the id (with --json, the record)')
    .requiredOption('--country <iso3>', 'ISO 3166-1 alpha-3 code')
    .requiredOption('--family-name <text>', 'family name as in the passport')
    .requiredOption('--given-names <text>', 'given names as in the passport')
    .option('--variant <text>', 'another spelling or order of the name (repeatable)', collect, [])
    .option('--birth-date <date>', 'YYYY-MM-DD', dateOption('--birth-date'))
    .option('--birth-place <text>', 'place of birth')
    .option('--service <text>', 'military service')
    .option('--rank <text>', 'rank')
    .option('--grade <grade>', 'US-equivalent pay grade, e.g. O-4')
    .option('--unit <text>', 'unit (vetted under Leahy)')
    .option('--contact <text>', 'how to reach the student')
    .option('--passport <number>', 'passport number')
    .option(
      '--passport-expires <date>',
      'passport expiry, YYYY-MM-DD',
      dateOption('--passport-expires'),
    )
    .option('--service-number <text>', 'service number')
    .option('--json', 'print the record')
    .action(async (o: StudentOptions) => {
      const result = await withApp((ctx) =>
        addStudent(ctx, cliActor(), {
          country: o.country,
          familyName: o.familyName,
          givenNames: o.givenNames,
          nameVariants: o.variant,
          birthDate: o.birthDate,
          birthPlace: o.birthPlace,
          service: o.service,
          rank: o.rank,
          usGrade: o.grade,
          unit: o.unit,
          contact: o.contact,
          passportNumber: o.passport,
          passportExpiresOn: o.passportExpires,
          serviceNumber: o.serviceNumber,
        }),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      output.out(result.value.id);
    });

  student
    .command('show')
    .description('a student: identity, screenings, nominations, training, careers, findings')
    .argument('<id>', 'student id')
    .option('--json', 'print the API object')
    .action(async (id: string, o: { json?: boolean }) => {
      const result = await withApp((ctx) => getStudent(ctx, cliActor(), id));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      for (const line of describeProfile(result.value)) output.out(line);
    });

  student
    .command('search')
    .description('students by name (any spelling or order) or by unit')
    .argument('[name]', 'a name as written anywhere')
    .option('--unit <text>', 'students of this unit')
    .option('--country <iso3>', 'only students of this country')
    .option('--json', 'print the API object')
    .action(
      async (name: string | undefined, o: { unit?: string; country?: string; json?: boolean }) => {
        if ((name === undefined) === (o.unit === undefined))
          throw new CliFailure('give a NAME or --unit TEXT (one of the two)', EXIT.badInput);
        const result = await withApp((ctx) =>
          searchStudents(ctx, cliActor(), { name, unit: o.unit, country: o.country }),
        );
        if (!result.ok) throw failureOf(result.error);
        const items = result.value;
        if (o.json === true) return printJson(output, { items, total: items.length });
        if (items.length > 0)
          output.out(
            table([
              ['ID', 'NAME', 'COUNTRY', 'UNIT'],
              ...items.map((s) => [s.id, nameOf(s), s.country, s.unit ?? '']),
            ]),
          );
        output.out(`${items.length} student${items.length === 1 ? '' : 's'}`);
      },
    );
}

function registerScreening(program: Command, output: Output): void {
  const screening = program
    .command('screening')
    .description('screenings before travel: a student, a unit (Leahy), a country exemption');
  screening
    .command('record')
    .description("record one of a student's screenings; prints its id (with --json, the record)")
    .argument('<student>', 'student id')
    .requiredOption(
      '--kind <kind>',
      'leahy-person, medical, dental, insurance, security, passport, visa, designation-7031c, ecl or opi',
    )
    .requiredOption('--on <date>', 'the day of the screening, YYYY-MM-DD', dateOption('--on'))
    .option('--outcome <outcome>', 'the outcome (ecl and opi: scored, the default)')
    .option('--score <n>', 'ECL score, 0–100', wholeNumberOption('--score', { min: 0, max: 100 }))
    .option('--level <level>', 'OPI listening/speaking, e.g. 2+/2')
    .option(
      '--valid-until <date>',
      'valid until (exclusive), YYYY-MM-DD',
      dateOption('--valid-until'),
    )
    .option('--seat <id>', 'the seat it was done for')
    .option('--notes <text>', 'notes')
    .option('--json', 'print the record')
    .action(
      async (
        studentId: string,
        o: {
          kind: string;
          on: string;
          outcome?: string;
          score?: number;
          level?: string;
          validUntil?: string;
          seat?: string;
          notes?: string;
          json?: boolean;
        },
      ) => {
        const result = await withApp((ctx) =>
          recordScreening(ctx, cliActor(), {
            student: studentId,
            kind: o.kind,
            on: o.on,
            outcome: o.outcome,
            score: o.score,
            level: o.level,
            validUntil: o.validUntil,
            seat: o.seat,
            notes: o.notes,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        const s = result.value;
        output.out(`${s.id}: ${s.kind} ${screeningResult(s)} on ${s.onDate}`);
      },
    );

  screening
    .command('unit')
    .description("record the Leahy vetting of a unit; a denial flags its nominees' seats")
    .requiredOption('--country <iso3>', 'ISO 3166-1 alpha-3 code')
    .requiredOption('--unit <text>', 'the unit')
    .requiredOption('--outcome <outcome>', 'approved, suspended or denied')
    .requiredOption('--on <date>', 'the day of the vetting, YYYY-MM-DD', dateOption('--on'))
    .option(
      '--valid-until <date>',
      'valid until (exclusive), YYYY-MM-DD',
      dateOption('--valid-until'),
    )
    .option('--notes <text>', 'notes')
    .option('--json', 'print the API object')
    .action(
      async (o: {
        country: string;
        unit: string;
        outcome: string;
        on: string;
        validUntil?: string;
        notes?: string;
        json?: boolean;
      }) => {
        const result = await withApp((ctx) =>
          recordUnitVetting(ctx, cliActor(), {
            country: o.country,
            unit: o.unit,
            outcome: o.outcome,
            on: o.on,
            validUntil: o.validUntil,
            notes: o.notes,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        const { vetting: v, flaggedSeats } = result.value;
        output.out(`${v.id}: unit ${v.unit} of ${v.country} ${v.outcome} on ${v.onDate}`);
        const n = flaggedSeats.length;
        output.out(`${n} seat${n === 1 ? '' : 's'} flagged${n === 0 ? '' : ':'}`);
        for (const f of flaggedSeats) output.out(`  ${f.seatId}  ${f.studentId}`);
      },
    );

  screening
    .command('exempt')
    .description("set a country's English exemption (none removes it)")
    .argument('<iso3>', 'ISO 3166-1 alpha-3 code')
    .requiredOption('--scope <scope>', 'full, in-country-testing or none')
    .requiredOption('--basis <text>', 'the basis of the exemption')
    .option('--json', 'print the API object')
    .action(async (iso3: string, o: { scope: string; basis: string; json?: boolean }) => {
      const result = await withApp((ctx) =>
        setEnglishExemption(ctx, cliActor(), { country: iso3, scope: o.scope, basis: o.basis }),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      const e = result.value;
      output.out(`${e.country}: English exemption ${e.scope ?? 'none'} (${e.basis})`);
    });
}

export function registerStudentCommands(program: Command, output: Output): void {
  registerStudent(program, output);
  registerScreening(program, output);
  registerTravelOrderCommands(program, output);
  registerParticipantCommands(program, output);
}

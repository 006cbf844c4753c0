// `attache restriction add|correct|end|show` and `attache relief add|end`.
import type { Command } from 'commander';
import { shownDate } from '../../core/date-precision.js';
import { endRelief, recordRelief } from '../../services/eligibility/relief.service.js';
import {
  correctRestriction,
  endRestriction,
  getRestriction,
  recordRestriction,
} from '../../services/eligibility/restriction.service.js';
import type { Impact } from '../../services/eligibility/cascade.service.js';
import { cliActor, withApp } from '../context.js';
import { dateOption, wholeNumberOption } from '../options.js';
import { describeImpact } from './training.command.js';
import { CliFailure, EXIT, failureOf, printJson, type Output } from '../output.js';

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

interface AddOptions {
  country: string;
  scope: string[];
  kind: string;
  from: string;
  until?: string;
  basis: string;
  authority: string;
  source?: string;
  seats?: string;
  courseFilter?: string;
  json?: boolean;
  dryRun?: boolean;
}

/** The restriction's content as the options give it (a correction gives only what changes). */
function contentOf(o: Partial<AddOptions>) {
  return {
    scope: o.scope,
    kind: o.kind,
    from: o.from,
    until: o.until,
    basis: o.basis,
    authority: o.authority,
    source: o.source,
    seatPolicy: o.seats,
    courseFilter: o.courseFilter,
  };
}

interface ReliefOptions {
  restriction: string;
  type: string;
  grounds?: string;
  programs: string[];
  courses?: string[];
  schools?: string[];
  from?: string;
  notified?: string;
  waitDays?: number;
  until?: string;
  authority: string;
  justification: string;
  source?: string;
  json?: boolean;
  dryRun?: boolean;
}

/** A dry run's report: nothing was written; this is what the write would do. */
function preview(output: Output, impact: Impact): void {
  output.out('dry run: nothing written');
  for (const line of describeImpact(impact)) output.out(line);
  for (const c of impact.changes)
    output.out(`  ${c.seatId} ${c.from} -> ${c.kind === 'flag' ? 'flagged' : c.to}`);
}

export function registerRestrictionCommands(program: Command, output: Output): void {
  const restriction = program
    .command('restriction')
    .description('restrictions: record, correct, end (lift), show');

  restriction
    .command('add')
    .description('record a restriction; prints its id (with --json, the record)')
    .requiredOption('--country <iso3>', 'ISO 3166-1 alpha-3 code')
    .requiredOption('--scope <programs>', 'program codes and group names, comma-separated', list)
    .requiredOption(
      '--kind <kind>',
      'policy, coup, terrorism, child-soldiers, arrears, human-rights, exclusion, proviso',
    )
    .requiredOption('--from <date>', 'effective from, YYYY-MM-DD', dateOption('--from'))
    .option('--until <date>', 'effective until (exclusive), YYYY-MM-DD', dateOption('--until'))
    .requiredOption('--basis <text>', 'legal basis (citation)')
    .requiredOption('--authority <text>', 'determining authority')
    .option('--source <text>', 'document, statement or link')
    .option('--seats <policy>', 'what happens to the seats it reaches: cancel or hold', 'cancel')
    .option('--course-filter <filter>', 'a proviso: the courses it allows (E-IMET)')
    .option('--dry-run', 'show what it would do to seats, money and students; write nothing')
    .option('--json', 'print the record')
    .action(async (o: AddOptions) => {
      const result = await withApp((ctx) =>
        recordRestriction(
          ctx,
          cliActor(),
          {
            ...contentOf(o),
            country: o.country,
            scope: o.scope,
            kind: o.kind,
            from: o.from,
            basis: o.basis,
            authority: o.authority,
          },
          { dryRun: o.dryRun === true },
        ),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) printJson(output, result.value);
      else if (o.dryRun === true) preview(output, result.value.impact);
      else output.out(result.value.id);
    });

  restriction
    .command('correct')
    .description('record a corrected version (the previous one is kept)')
    .argument('<id>', 'restriction id')
    .requiredOption('--reason <text>', 'why the record was wrong')
    .option('--scope <programs>', 'program codes and group names, comma-separated', list)
    .option('--kind <kind>', 'restriction kind')
    .option('--from <date>', 'effective from', dateOption('--from'))
    .option(
      '--until <date>',
      "effective until (exclusive); '' to clear",
      dateOption('--until', { emptyClears: true }),
    )
    .option('--basis <text>', 'legal basis')
    .option('--authority <text>', 'determining authority')
    .option('--source <text>', 'source')
    .option('--seats <policy>', 'cancel or hold')
    .option('--course-filter <filter>', 'a proviso: the courses it allows (E-IMET)')
    .option('--dry-run', 'show what it would do to seats, money and students; write nothing')
    .option('--json', 'print the new version')
    .action(async (id: string, o: Partial<AddOptions> & { reason: string }) => {
      const result = await withApp((ctx) =>
        correctRestriction(
          ctx,
          cliActor(),
          id,
          { reason: o.reason, ...contentOf(o) },
          { dryRun: o.dryRun === true },
        ),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) printJson(output, result.value);
      else if (o.dryRun === true) preview(output, result.value.impact);
      else output.out(`${id} version ${result.value.version} recorded`);
    });

  restriction
    .command('end')
    .description(
      'end (lift) a restriction from a date; a terrorism designation needs --notified (22 USC 2371(c))',
    )
    .argument('<id>', 'restriction id')
    .requiredOption('--on <date>', 'the first day it no longer applies', dateOption('--on'))
    .option('--reason <text>', 'why', 'lifted')
    .option(
      '--notified <date>',
      'the day the report to Congress was submitted (a terrorism-list rescission takes effect 45 days after at the earliest)',
      dateOption('--notified'),
    )
    .option(
      '--fundamental-change',
      'the report certifies a fundamental change of leadership and policies (2371(c)(1)): no 45-day wait',
    )
    .option('--dry-run', 'show what it would do to seats, money and students; write nothing')
    .option('--json', 'print the new version')
    .action(
      async (
        id: string,
        o: {
          on: string;
          reason: string;
          notified?: string;
          fundamentalChange?: boolean;
          json?: boolean;
          dryRun?: boolean;
        },
      ) => {
        const result = await withApp((ctx) =>
          endRestriction(ctx, cliActor(), id, o.on, o.reason, {
            dryRun: o.dryRun === true,
            notified: o.notified,
            fundamentalChange: o.fundamentalChange === true,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) printJson(output, result.value);
        else if (o.dryRun === true) preview(output, result.value.impact);
        else output.out(`${id} ends ${o.on}`);
      },
    );

  restriction
    .command('show')
    .description('a restriction: current version and history')
    .argument('<id>', 'restriction id')
    .option('--json', 'print the API object')
    .action(async (id: string, o: { json?: boolean }) => {
      const result = await withApp((ctx) => getRestriction(ctx, id));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      const c = result.value.current;
      output.out(
        `${c.id} ${c.kind} ${c.country} on ${c.scope.join(',')} from ${shownDate(c.from, c.dateQuality)}${c.until === null ? '' : ` until ${shownDate(c.until, c.untilQuality)}`}`,
      );
      output.out(`basis: ${c.basis}; authority: ${c.authority}; seats: ${c.seatPolicy}`);
      if (c.source !== null) output.out(`source: ${c.source}`);
      for (const v of result.value.versions) {
        output.out(
          `  version ${v.version} recorded ${v.recordedAt} by ${v.recordedBy}${v.supersededAt === null ? ' (current)' : ''}`,
        );
      }
    });

  const relief = program.command('relief').description('reliefs of restrictions: record, end');
  relief
    .command('add')
    .description('record a relief of a restriction; prints its id (with --json, the record)')
    .requiredOption('--restriction <id>', 'the restriction it relieves')
    .requiredOption('--type <type>', 'exception, waiver, certification or rescission')
    .option(
      '--grounds <grounds>',
      'national-security, national-interest, humanitarian or extraordinary-circumstances',
    )
    .requiredOption('--programs <programs>', 'program codes and group names, comma-separated', list)
    .option('--courses <ids>', 'only these courses, comma-separated', list)
    .option('--schools <ids>', 'only courses at these schools, comma-separated', list)
    .option('--from <date>', 'effective from', dateOption('--from'))
    .option(
      '--notified <date>',
      'congressional notification date (effective when the waiting period ends)',
      dateOption('--notified'),
    )
    .option(
      '--wait-days <days>',
      'waiting period after notification',
      wholeNumberOption('--wait-days', { min: 0 }),
    )
    .option('--until <date>', 'effective until (exclusive)', dateOption('--until'))
    .requiredOption('--authority <text>', 'who grants it')
    .requiredOption('--justification <text>', 'why')
    .option('--source <text>', 'document, statement or link')
    .option('--dry-run', 'show what it would do to seats, money and students; write nothing')
    .option('--json', 'print the record')
    .action(async (o: ReliefOptions) => {
      if ((o.from === undefined) === (o.notified === undefined)) {
        throw new CliFailure('give either --from D or --notified D [--wait-days N]', EXIT.badInput);
      }
      if (o.waitDays !== undefined && o.notified === undefined) {
        throw new CliFailure('--wait-days goes with --notified', EXIT.badInput);
      }
      const result = await withApp((ctx) =>
        recordRelief(
          ctx,
          cliActor(),
          o.restriction,
          {
            type: o.type,
            grounds: o.grounds,
            programs: o.programs,
            courses: o.courses,
            schools: o.schools,
            from: o.from,
            notified: o.notified,
            waitDays: o.waitDays,
            until: o.until,
            authority: o.authority,
            justification: o.justification,
            source: o.source,
          },
          { dryRun: o.dryRun === true },
        ),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) printJson(output, result.value);
      else if (o.dryRun === true) preview(output, result.value.impact);
      else output.out(result.value.relief.id);
    });

  relief
    .command('end')
    .description('end a relief from a date')
    .argument('<id>', 'relief id')
    .requiredOption('--on <date>', 'the first day it no longer applies', dateOption('--on'))
    .option('--reason <text>', 'why', 'ended')
    .option('--dry-run', 'show what it would do to seats, money and students; write nothing')
    .option('--json', 'print the new version')
    .action(
      async (id: string, o: { on: string; reason: string; json?: boolean; dryRun?: boolean }) => {
        const result = await withApp((ctx) =>
          endRelief(ctx, cliActor(), id, o.on, o.reason, { dryRun: o.dryRun === true }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) printJson(output, result.value);
        else if (o.dryRun === true) preview(output, result.value.impact);
        else output.out(`${id} ends ${o.on}`);
      },
    );
}

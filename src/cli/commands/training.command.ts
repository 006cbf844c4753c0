// `attache line add`, `attache seat list|show|move|cancel`, `attache impact --restriction ID`.
import type { Command } from 'commander';
import { formatUsd } from '../../core/money.js';
import { checkProgram, endOfYear } from '../../services/training/program.service.js';
import {
  addLine,
  cancelSeat,
  getSeat,
  listSeats,
  moveSeat,
  restrictionImpact,
} from '../../services/training/training.service.js';
import { cliActor, withApp } from '../context.js';
import { dateOption, fiscalYearOption, wholeNumberOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';
import { dollarsToCents } from './allocation.command.js';

function dollars(v: string): number {
  const cents = dollarsToCents(v);
  if (cents === undefined)
    throw new CliFailure(
      `--allowance: an amount in dollars, e.g. 18000 or 18000.50 (got ${v})`,
      EXIT.badInput,
    );
  return cents;
}

/** What describeImpact needs: a write's impact, or a restriction's after the fact. */
interface ImpactLike {
  readonly seats: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly releasedCents: number;
  readonly penaltiesCents: number;
  readonly students: readonly string[];
  readonly byCourse: readonly {
    readonly courseId: string;
    readonly seats: number;
    readonly releasedCents: number;
  }[];
}

/** The impact of a write, as lines a person reads (the --dry-run preview and the after-the-fact report). */
export function describeImpact(impact: ImpactLike): string[] {
  const statuses = Object.entries(impact.byStatus).map(([s, n]) => `${n} ${s}`);
  const lines = [
    `seats reached: ${impact.seats}${statuses.length === 0 ? '' : ` (${statuses.join(', ')})`}`,
    `money released: ${formatUsd(impact.releasedCents)}; penalties: ${formatUsd(impact.penaltiesCents)}; students affected: ${impact.students.length}`,
  ];
  for (const c of impact.byCourse)
    lines.push(`  ${c.courseId}: ${c.seats} seats, ${formatUsd(c.releasedCents)} released`);
  return lines;
}

/** The day a seat's cancellation, hold or flag took effect (the effective date, not the day recorded). */
function statusDate(s: {
  readonly status: string;
  readonly cancelledOn: string | null;
  readonly heldOn: string | null;
  readonly flaggedOn: string | null;
}): string | null {
  if (s.status === 'cancelled') return s.cancelledOn;
  if (s.status === 'held') return s.heldOn;
  return s.flaggedOn;
}

export function registerTrainingCommands(program: Command, output: Output): void {
  program
    .command('line')
    .description('training lines')
    .command('add')
    .description(
      "program a training line for a country's fiscal year; its seats are created programmed",
    )
    .requiredOption('--country <iso3>', 'ISO 3166-1 alpha-3 code')
    .requiredOption('--fy <year>', 'fiscal year', fiscalYearOption('--fy'))
    .requiredOption('--course <id>', 'course id of the catalog')
    .requiredOption('--seats <n>', 'number of seats', wholeNumberOption('--seats'))
    .requiredOption('--start <date>', 'class start, within the fiscal year', dateOption('--start'))
    .requiredOption('--priority <p>', 'A (funded), B (end-of-year candidate) or D (to be cleared)')
    .option('--program <code>', 'funding program', 'IMET')
    .option('--allowance <dollars>', 'travel and living allowance estimate per seat', dollars)
    .option('--json', 'print the line with its seats')
    .action(
      async (o: {
        country: string;
        fy: number;
        course: string;
        seats: number;
        start: string;
        priority: string;
        program: string;
        allowance?: number;
        json?: boolean;
      }) => {
        const result = await withApp((ctx) =>
          addLine(ctx, cliActor(), {
            country: o.country,
            fiscalYear: o.fy,
            course: o.course,
            seats: o.seats,
            classStart: o.start,
            priority: o.priority,
            program: o.program,
            allowanceCents: o.allowance,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        const l = result.value;
        output.out(
          `${l.id}: ${l.seatCount} ${l.program} seats of ${l.courseId} from ${l.classStart} (priority ${l.priority}), ${formatUsd(l.unitTuitionCents)} tuition each`,
        );
      },
    );

  const seat = program.command('seat').description('seats of training lines');
  seat
    .command('list')
    .description("a country's seats for a fiscal year")
    .requiredOption('--country <iso3>', 'ISO 3166-1 alpha-3 code')
    .requiredOption('--fy <year>', 'fiscal year', fiscalYearOption('--fy'))
    .option('--status <status>', 'only seats of this status')
    .option('--limit <n>', 'print at most n rows', wholeNumberOption('--limit'))
    .option('--json', 'print the API object')
    .action(
      async (o: {
        country: string;
        fy: number;
        status?: string;
        limit?: number;
        json?: boolean;
      }) => {
        const result = await withApp((ctx) =>
          listSeats(ctx, cliActor(), { country: o.country, fiscalYear: o.fy, status: o.status }),
        );
        if (!result.ok) throw failureOf(result.error);
        const items = o.limit === undefined ? result.value : result.value.slice(0, o.limit);
        if (o.json === true) return printJson(output, { items, total: result.value.length });
        output.out(
          table([
            ['SEAT', 'COURSE', 'START', 'STATUS', 'DATED', 'PENALTY', 'REASON'],
            ...items.map((s) => [
              s.id,
              s.courseId,
              s.classStart,
              s.flagged ? `${s.status} (flagged)` : s.status,
              statusDate(s) ?? '',
              formatUsd(s.penaltyCents),
              s.reason ?? '',
            ]),
          ]),
        );
        output.out(`${result.value.length} seats`);
      },
    );

  seat
    .command('show')
    .argument('<id>', 'seat id')
    .option('--json', 'print the API object')
    .action(async (id: string, o: { json?: boolean }) => {
      const result = await withApp((ctx) => getSeat(ctx, cliActor(), id));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      const s = result.value;
      output.out(
        `${s.id} ${s.country} FY${s.fiscalYear} ${s.program} ${s.courseId} (${s.courseTitle}) from ${s.classStart}`,
      );
      output.out(
        `status ${s.status}${s.previousStatus === null ? '' : ` (previously ${s.previousStatus})`}, version ${s.version}${s.flagged ? `, flagged: ${s.flagReason ?? ''}` : ''}`,
      );
      const dated = [
        s.cancelledOn === null ? '' : `cancelled on ${s.cancelledOn}`,
        s.status !== 'held' || s.heldOn === null ? '' : `held on ${s.heldOn}`,
        s.flaggedOn === null ? '' : `flagged on ${s.flaggedOn}`,
      ].filter((t) => t !== '');
      if (dated.length > 0) output.out(dated.join('; '));
      if (s.reason !== null)
        output.out(
          `reason: ${s.reason}; penalty ${formatUsd(s.penaltyCents)}${s.penaltyRule === null ? '' : ` (${s.penaltyRule})`}`,
        );
    });

  seat
    .command('move')
    .description('move a seat to its next status')
    .argument('<id>', 'seat id')
    .requiredOption('--to <status>', 'the new status')
    .option(
      '--version <n>',
      'the version you read; refused if someone changed the seat since',
      wholeNumberOption('--version'),
    )
    .option('--json', 'print the seat')
    .action(async (id: string, o: { to: string; version?: number; json?: boolean }) => {
      const result = await withApp((ctx) => moveSeat(ctx, cliActor(), id, o.to, o.version));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      output.out(`${id} is ${result.value.status} (version ${result.value.version})`);
    });

  seat
    .command('cancel')
    .description('cancel a seat; the penalty follows the rules')
    .argument('<id>', 'seat id')
    .requiredOption(
      '--reason <code>',
      'partner-request, class-deleted, in-country-event, visa-delay or student-unavailable',
    )
    .option('--refilled', 'the seat was given to another student (no penalty)')
    .option('--on <date>', 'the day of the cancellation (default today)', dateOption('--on'))
    .option('--note <text>', 'evidence, e.g. of a timely visa application')
    .option('--version <n>', 'the version you read', wholeNumberOption('--version'))
    .option('--json', 'print the seat')
    .action(
      async (
        id: string,
        o: {
          reason: string;
          refilled?: boolean;
          on?: string;
          note?: string;
          version?: number;
          json?: boolean;
        },
      ) => {
        const result = await withApp((ctx) =>
          cancelSeat(ctx, cliActor(), id, {
            reason: o.reason,
            refilled: o.refilled,
            on: o.on,
            note: o.note,
            expectedVersion: o.version,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        output.out(
          `${id} cancelled: penalty ${formatUsd(result.value.penaltyCents)} (${result.value.penaltyRule ?? ''})`,
        );
      },
    );

  program
    .command('impact')
    .description(
      'what a restriction did: seats by status and course, students, money released, penalties',
    )
    .requiredOption('--restriction <id>', 'restriction id')
    .option('--json', 'print the API object')
    .action(async (o: { restriction: string; json?: boolean }) => {
      const result = await withApp((ctx) => restrictionImpact(ctx, cliActor(), o.restriction));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      output.out(`${o.restriction}:`);
      for (const line of describeImpact(result.value)) output.out(line);
    });

  program
    .command('program')
    .description("a country's training list")
    .command('check')
    .description("the checks of a country's IMET list for a fiscal year; exit 1 when one fails")
    .argument('<iso3>', 'ISO 3166-1 alpha-3 code')
    .argument('<fy>', 'fiscal year', fiscalYearOption('<fy>'))
    .option('--json', 'print the API object')
    .action(async (iso3: string, fy: number, o: { json?: boolean }) => {
      const result = await withApp((ctx) => checkProgram(ctx, cliActor(), iso3, fy));
      if (!result.ok) throw failureOf(result.error);
      const c = result.value;
      if (o.json === true) printJson(output, c);
      else {
        output.out(
          `${c.country} FY${c.fiscalYear} IMET: allocation ${formatUsd(c.funds.allocationCents)}, committed ${formatUsd(c.funds.committedCents)}, released ${formatUsd(c.funds.releasedCents)}, unprogrammed ${formatUsd(c.funds.unprogrammedCents)}`,
        );
        for (const check of c.checks)
          output.out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.rule}: ${check.message}`);
      }
      const failed = c.checks.filter((x) => !x.ok);
      if (failed.length > 0)
        throw new CliFailure(
          `${failed.length} check(s) failed: ${failed.map((x) => x.rule).join(', ')}`,
          EXIT.refused,
        );
    });

  program
    .command('end-of-year')
    .description(
      'released and unprogrammed IMET money across countries, and the lines that may take it',
    )
    .argument('<fy>', 'fiscal year', fiscalYearOption('<fy>'))
    .option('--json', 'print the API object')
    .action(async (fy: number, o: { json?: boolean }) => {
      const result = await withApp((ctx) => endOfYear(ctx, cliActor(), fy));
      if (!result.ok) throw failureOf(result.error);
      const e = result.value;
      if (o.json === true) return printJson(output, e);
      output.out(`FY${e.fiscalYear}: ${formatUsd(e.totalAvailableCents)} released or unprogrammed`);
      output.out(
        table([
          ['COUNTRY', 'RELEASED', 'UNPROGRAMMED'],
          ...e.countries.map((c) => [
            c.country,
            formatUsd(c.releasedCents),
            formatUsd(c.unprogrammedCents),
          ]),
        ]),
      );
      output.out(`lines that may take it (priority B, PME or E-IMET): ${e.candidates.length}`);
      for (const l of e.candidates)
        output.out(
          `  ${l.lineId} ${l.country} ${l.courseId} ${l.classStart} ${formatUsd(l.costCents)}`,
        );
    });
}

// `attache allocation set|show`: the same objects as POST and GET /api/v1/allocations.
import type { Command } from 'commander';
import { formatUsd } from '../../core/money.js';
import {
  getAllocations,
  setAllocation,
  type AllocationChange,
  type AllocationVersionWithNotice,
} from '../../services/training/allocation.service.js';
import { cliActor, withApp } from '../context.js';
import { dateOption, fiscalYearOption, wholeNumberOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, type Output } from '../output.js';

const DOLLARS = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * Dollars as typed (`4000000`, `4000000.5`, `4000000.50`) to exact integer cents, by splitting the
 * digits rather than through a float; undefined when it is not such an amount.
 */
export function dollarsToCents(text: string): number | undefined {
  const match = DOLLARS.exec(text);
  if (match === null) return undefined;
  const [, whole = '', fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function amount(v: string): number {
  const cents = dollarsToCents(v);
  if (cents === undefined) {
    throw new CliFailure(
      `--amount: US dollars, 0 or more, at most two decimals (e.g. 4000000.50); got ${v}`,
      EXIT.badInput,
    );
  }
  return cents;
}

interface SetOptions {
  amount: number;
  reason: string;
  notified?: string;
  waitDays?: number;
  source?: string;
  json?: boolean;
}

function describeChange(c: AllocationChange): string {
  const a = c.allocation;
  const head = `${a.country} ${a.program} FY${a.fiscalYear} ${formatUsd(a.amountCents)}`;
  if (c.pending && c.notification !== null) {
    return `${head} pending: in force from ${a.effectiveFrom}, when the ${c.notification.waitDays}-day window after the notification of ${c.notification.notifiedOn} ends (${a.id})`;
  }
  const why = c.exemption === null ? 'notified' : `no notification needed: ${c.exemption}`;
  return `${head} in force from ${a.effectiveFrom} (${a.id}; ${why})`;
}

function versionLine(v: AllocationVersionWithNotice): string {
  const superseded = v.supersededAt === null ? '' : `, superseded ${v.supersededAt}`;
  const stage = v.budgetStage === null ? '' : ` (budget table, ${v.budgetStage})`;
  return `    ${v.id}  ${formatUsd(v.amountCents)}${stage} from ${v.effectiveFrom}  recorded ${v.recordedAt} by ${v.recordedBy}${superseded}: ${v.reason}`;
}

export function registerAllocationCommands(program: Command, output: Output): void {
  const allocation = program
    .command('allocation')
    .description('allocations per country, program and fiscal year: set, adjust, show');

  allocation
    .command('set')
    .description(
      'set or adjust an allocation with a reason (a new version; held until a notification window ends when the change needs one)',
    )
    .argument('<country>', 'ISO 3166-1 alpha-3 code, e.g. PAK')
    .argument('<program>', 'IMET, FMF, PKO, INCLE, NADR, CTFP, FMS or SEC333')
    .argument('<fy>', 'fiscal year, e.g. 2018', fiscalYearOption('<fy>'))
    .requiredOption('--amount <dollars>', 'the new amount in US dollars, cents allowed', amount)
    .requiredOption('--reason <text>', 'why')
    .option(
      '--notified <date>',
      'congressional notification date (the change takes effect when the waiting period ends)',
      dateOption('--notified'),
    )
    .option(
      '--wait-days <days>',
      'waiting period after notification (default 15)',
      wholeNumberOption('--wait-days', { min: 0 }),
    )
    .option('--source <text>', 'document, statement or link')
    .option('--json', 'print the API object')
    .action(async (country: string, programCode: string, fy: number, o: SetOptions) => {
      if (o.waitDays !== undefined && o.notified === undefined) {
        throw new CliFailure('--wait-days goes with --notified', EXIT.badInput);
      }
      const result = await withApp((ctx) =>
        setAllocation(ctx, cliActor(), {
          country,
          program: programCode,
          fiscalYear: fy,
          amountCents: o.amount,
          reason: o.reason,
          notified: o.notified,
          waitDays: o.waitDays,
          source: o.source,
        }),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) printJson(output, result.value);
      else output.out(describeChange(result.value));
    });

  allocation
    .command('show')
    .description(
      "a country's allocations for a program by FY: in force, pending, every version (who, when, why)",
    )
    .argument('<country>', 'ISO 3166-1 alpha-3 code, e.g. PAK')
    .argument('<program>', 'IMET, FMF, PKO, INCLE, NADR, CTFP, FMS or SEC333')
    .option('--fy <fy>', 'one fiscal year', fiscalYearOption('--fy'))
    .option('--on <date>', 'judge "in force" on this date (default today)', dateOption('--on'))
    .option('--json', 'print the API object')
    .action(
      async (
        country: string,
        programCode: string,
        o: { fy?: number; on?: string; json?: boolean },
      ) => {
        const result = await withApp((ctx) =>
          getAllocations(ctx, {
            country,
            program: programCode,
            fy: o.fy === undefined ? undefined : String(o.fy),
            on: o.on,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        const view = result.value;
        if (o.json === true) return printJson(output, view);
        output.out(`${view.country} ${view.program} allocations as of ${view.asOf}`);
        if (view.fiscalYears.length === 0) output.out('  none');
        for (const y of view.fiscalYears) {
          const inForce =
            y.inForce === null
              ? 'none in force'
              : `${formatUsd(y.inForce.amountCents)} in force from ${y.inForce.effectiveFrom}${y.inForce.budgetStage === null ? '' : ` (budget table, ${y.inForce.budgetStage})`}`;
          output.out(`FY${y.fiscalYear}  ${inForce}`);
          for (const p of y.pending) {
            const notice =
              p.notification === null
                ? ''
                : ` (Congress notified ${p.notification.notifiedOn}, ${p.notification.waitDays}-day window)`;
            output.out(`  pending: ${formatUsd(p.amountCents)} from ${p.effectiveFrom}${notice}`);
          }
          output.out('  versions:');
          for (const v of y.history) output.out(versionLine(v));
        }
      },
    );
}

// `attache reprogram --fy 2018 [--pool released|end-of-year] [--country PAK] [--on DATE] [--keep LINE[:SEATS]]… [--apply [--notified DATE]] [--json]`:
// the best use of the money a suspension released or the year's end left, with the rules that bind;
// with --apply, programmed in one audited write, refused whole if the record moved meanwhile.
import type { Command } from 'commander';
import { formatUsd } from '../../core/money.js';
import {
  applyReprogramming,
  proposeReprogramming,
} from '../../services/reprogram/reprogram.service.js';
import { cliActor, withApp } from '../context.js';
import { fiscalYearOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const seatsText = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

export function registerReprogramCommands(program: Command, output: Output): void {
  program
    .command('reprogram')
    .description(
      'propose the best use of released (or end-of-year) IMET money, with the rules that bind; --apply programs it',
    )
    .requiredOption('--fy <fy>', 'fiscal year', fiscalYearOption('--fy'))
    .option('--pool <pool>', 'released (by cancellations) or end-of-year', 'released')
    .option('--country <iso3>', "only this country's money goes into the pool")
    .option('--on <date>', 'the day of the proposal (default: the day the money was released)')
    .option('--keep <line[:seats]>', 'fund this line (all its open seats, or SEATS)', collect, [])
    .option('--time-limit <seconds>', 'seconds the solver may take', '10')
    .option('--apply', 'program the chosen lines and move the money, in one audited write')
    .option(
      '--notified <date>',
      'with --apply: the day Congress was notified of the allocation changes of $25,000 or more',
    )
    .option('--json', 'print the API object')
    .action(
      async (o: {
        fy: number;
        pool: string;
        country?: string;
        on?: string;
        keep: string[];
        timeLimit: string;
        apply?: boolean;
        notified?: string;
        json?: boolean;
      }) => {
        const seconds = Number(o.timeLimit);
        const request = {
          fiscalYear: o.fy,
          pool: o.pool,
          country: o.country,
          on: o.on,
          keep: o.keep,
          timeLimitSeconds: Number.isNaN(seconds) ? -1 : seconds,
        };
        const result = await withApp(async (ctx) => {
          const proposed = await proposeReprogramming(ctx, cliActor(), request);
          if (!proposed.ok || o.apply !== true || proposed.value.proposal === null)
            return { proposed, applied: undefined };
          const applied = await applyReprogramming(ctx, cliActor(), {
            ...request,
            basis: proposed.value.basis,
            lines: proposed.value.proposal.chosen.map((c) => ({
              lineId: c.lineId,
              seats: c.seats,
            })),
            notified: o.notified,
          });
          return { proposed, applied };
        });
        if (!result.proposed.ok) throw failureOf(result.proposed.error);
        const a = result.proposed.value;
        if (result.applied !== undefined && !result.applied.ok)
          throw failureOf(result.applied.error);
        const applied = result.applied?.ok === true ? result.applied.value : undefined;
        if (o.json === true) printJson(output, applied === undefined ? a : { ...a, applied });
        const p = a.proposal;
        if (p === null) {
          if (o.json !== true) {
            output.out('no proposal keeps every rule; these conflict:');
            for (const c of a.conflicts) output.out(`  ${c.rule}: ${c.message}`);
          }
          throw new CliFailure(
            `no proposal keeps every rule: ${a.conflicts.map((c) => `${c.rule} ${c.subject}`).join(', ')}`,
            EXIT.refused,
          );
        }
        if (o.json === true) return;
        const sources = a.sources.map((s) => `${s.country} ${formatUsd(s.cents)}`).join(', ');
        output.out(
          `FY${p.fiscalYear} ${p.pool} pool: ${formatUsd(p.poolCents)}${sources === '' ? '' : ` (${sources})`}, as of ${a.on} (${a.onReason})`,
        );
        const seats = p.chosen.reduce((n, c) => n + c.seats, 0);
        const ratio = p.greedy.value === 0 ? '—' : `${(p.value / p.greedy.value).toFixed(3)}×`;
        output.out(
          `proposal: ${p.chosen.length} lines, ${seats} seats; ${formatUsd(p.usedCents)} of the pool used, ${formatUsd(p.leftCents)} left`,
        );
        output.out(
          `value ${p.value} against the greedy baseline's ${p.greedy.value} (${ratio}); ${p.status}, gap ${(p.gap * 100).toFixed(2)}%, ${p.seconds.toFixed(1)} s`,
        );
        if (p.chosen.length > 0)
          output.out(
            table([
              ['LINE', 'COUNTRY', 'COURSE', 'CLASS', 'SEATS', 'COST', 'VALUE'],
              ...p.chosen.map((c) => [
                c.lineId,
                c.country,
                c.courseId,
                c.classStart,
                `${c.seats}${c.seatsLeft > 0 ? ` of ${c.seats + c.seatsLeft}` : ''}`,
                formatUsd(c.costCents),
                String(c.value),
              ]),
            ]),
          );
        output.out('money by country (from the pool, from its own room in the allocation):');
        output.out(
          table([
            ['COUNTRY', 'FROM POOL', 'OWN ROOM', 'ALLOCATION AFTER', 'A LINES', 'PME', 'CHECKS'],
            ...p.grants.map((g) => {
              const after = a.listsAfter.find((l) => l.country === g.country);
              return [
                g.country,
                formatUsd(g.cents),
                formatUsd(g.ownCents),
                after === undefined ? '—' : formatUsd(after.allocationCents),
                after === undefined ? '—' : formatUsd(after.priorityACents),
                after === undefined ? '—' : formatUsd(after.pmeCents),
                after === undefined
                  ? '—'
                  : after.priorityAWithinAllocation && after.pmeAtLeastHalf
                    ? 'ok'
                    : 'FAIL',
              ];
            }),
          ]),
        );
        output.out(
          'binding rules (shadow price: value per $1,000 more, or per seat of a class, from the LP relaxation):',
        );
        for (const b of p.binding)
          output.out(
            `  ${b.rule}: ${b.message}  [${b.rule === 'CLASS_CAPACITY' ? `${b.shadowPrice.toFixed(2)} per seat` : (b.shadowPrice * 1000).toFixed(3)}]`,
          );
        const notChosen = p.notChosen.filter((n) => n.rule !== 'PRIORITY_B_ONLY');
        output.out(
          `not chosen: ${notChosen.length} lines (and ${p.notChosen.length - notChosen.length} priority A or D lines, which take no money)`,
        );
        for (const n of notChosen)
          output.out(`  ${n.lineId} ${n.country} ${seatsText(n.seats)}: ${n.rule}: ${n.message}`);
        output.out(
          `every funded list passes PRIORITY_A_WITHIN_ALLOCATION and PME_AT_LEAST_HALF as the proposal leaves it; ${applied === undefined ? 'nothing was written (--apply writes it)' : 'applied:'}`,
        );
        if (applied === undefined) return;
        const split = applied.lines.filter((l) => l.fundedLineId !== l.lineId);
        output.out(
          `  re-programming ${applied.id}: ${applied.lines.length} lines made priority A${split.length === 0 ? '' : ` (${split.length} split: ${split.map((l) => `${l.lineId} → ${l.fundedLineId}`).join(', ')})`}; ${formatUsd(applied.usedCents)} taken from ${applied.sources.map((s) => `${s.country} ${formatUsd(s.cents)}`).join(', ')}`,
        );
        for (const c of applied.allocations)
          output.out(
            `  ${c.country} IMET FY${applied.fiscalYear}: ${formatUsd(c.fromCents)} → ${formatUsd(c.toCents)}, in force from ${c.effectiveFrom}`,
          );
      },
    );
}

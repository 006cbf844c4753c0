// `attache reprogram --fy 2018 [--pool released|end-of-year] [--country PAK] [--on DATE] [--keep LINE[:SEATS]]… [--json]`:
// the best use of the money a suspension released or the year's end left, with the rules that bind.
import type { Command } from 'commander';
import { formatUsd } from '../../core/money.js';
import { proposeReprogramming } from '../../services/reprogram/reprogram.service.js';
import { cliActor, withApp } from '../context.js';
import { fiscalYearOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const seatsText = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

export function registerReprogramCommands(program: Command, output: Output): void {
  program
    .command('reprogram')
    .description(
      'propose the best use of released (or end-of-year) IMET money, with the rules that bind; writes nothing',
    )
    .requiredOption('--fy <fy>', 'fiscal year', fiscalYearOption('--fy'))
    .option('--pool <pool>', 'released (by cancellations) or end-of-year', 'released')
    .option('--country <iso3>', "only this country's money goes into the pool")
    .option('--on <date>', 'the day of the proposal (default: the day the money was released)')
    .option('--keep <line[:seats]>', 'fund this line (all its open seats, or SEATS)', collect, [])
    .option('--time-limit <seconds>', 'seconds the solver may take', '10')
    .option('--json', 'print the API object')
    .action(
      async (o: {
        fy: number;
        pool: string;
        country?: string;
        on?: string;
        keep: string[];
        timeLimit: string;
        json?: boolean;
      }) => {
        const seconds = Number(o.timeLimit);
        const result = await withApp((ctx) =>
          proposeReprogramming(ctx, cliActor(), {
            fiscalYear: o.fy,
            pool: o.pool,
            country: o.country,
            on: o.on,
            keep: o.keep,
            timeLimitSeconds: Number.isNaN(seconds) ? -1 : seconds,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        const a = result.value;
        if (o.json === true) printJson(output, a);
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
        output.out('binding rules (shadow price: value per $1,000 more, from the LP relaxation):');
        for (const b of p.binding)
          output.out(`  ${b.rule}: ${b.message}  [${(b.shadowPrice * 1000).toFixed(3)}]`);
        const notChosen = p.notChosen.filter((n) => n.rule !== 'PRIORITY_B_ONLY');
        output.out(
          `not chosen: ${notChosen.length} lines (and ${p.notChosen.length - notChosen.length} priority A or D lines, which take no money)`,
        );
        for (const n of notChosen)
          output.out(`  ${n.lineId} ${n.country} ${seatsText(n.seats)}: ${n.rule}: ${n.message}`);
        output.out(
          'every funded list passes PRIORITY_A_WITHIN_ALLOCATION and PME_AT_LEAST_HALF as the proposal leaves it; nothing was written',
        );
      },
    );
}

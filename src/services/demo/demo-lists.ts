// The demo's FY2018 IMET lists of five countries (resources/demo/fy2018-lists.json, invented and
// flagged so): each country's allocation, its priority A lines within it, and priority B lines
// beyond it that might take the money Pakistan's seats released in August 2018, and the
// international seats of a few classes. Replayed through
// the services' apply functions on their days, as the rest of the demo is.
import type { Actor } from '../../core/actor.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { applySetAllocation, parseAllocation } from '../training/allocation.service.js';
import { applySetClassSeats, parseClassSeats } from '../training/class-seats.service.js';
import { applyAddLine, parseLine } from '../training/training.service.js';
import type { DemoLists } from './demo-files.js';
import { unwrap, type DemoStep } from './demo-replay.js';

export function demoListSteps(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  lists: DemoLists,
): { steps: DemoStep[]; lines: number; seats: number; allocations: number } {
  const steps: DemoStep[] = [];
  for (const list of lists.countries) {
    steps.push({
      on: lists.allocatedOn,
      what: `${list.country} FY${lists.fiscalYear} allocation`,
      run: (now) =>
        applySetAllocation(
          tx,
          ctx,
          actor,
          now,
          unwrap(
            list.country,
            parseAllocation({
              country: list.country,
              program: lists.program,
              fiscalYear: lists.fiscalYear,
              amountCents: list.allocationCents,
              reason: `FY${lists.fiscalYear} allocation (demo: invented, resources/demo/fy2018-lists.json)`,
            }),
          ),
        ),
    });
    for (const line of list.lines)
      steps.push({
        on: line.programmedOn,
        what: `${list.country} line ${line.course} of FY${lists.fiscalYear}`,
        run: (now) =>
          applyAddLine(
            tx,
            ctx,
            now,
            unwrap(
              line.course,
              parseLine({
                country: list.country,
                fiscalYear: lists.fiscalYear,
                course: line.course,
                seats: line.seats,
                classStart: line.classStart,
                priority: line.priority,
                program: lists.program,
                allowanceCents: line.allowanceCents,
                purpose: line.purpose,
              }),
            ),
          ),
      });
  }
  // After the lines of the same day: a class never records fewer seats than its funded lines hold.
  for (const k of lists.classes)
    steps.push({
      on: lists.allocatedOn,
      what: `international seats of ${k.course} class ${k.classStart}`,
      run: (now) =>
        applySetClassSeats(
          tx,
          now,
          unwrap(
            k.course,
            parseClassSeats(k.course, k.classStart, { seats: k.internationalSeats }),
          ),
        ),
    });
  const lines = lists.countries.flatMap((c) => c.lines);
  return {
    steps,
    lines: lines.length,
    seats: lines.reduce((n, l) => n + l.seats, 0),
    allocations: lists.countries.length,
  };
}

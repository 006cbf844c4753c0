// `attache nominate`, `attache gates SEAT`, `attache ito issue|amend|show SEAT` and
// `attache school-event SEAT`: a seat's way from its nominee to the school's last report.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatUsd } from '../../core/money.js';
import type { Checklist, GateResult } from '../../core/students/gates.js';
import type { TravelOrder } from '../../core/students/travel-order.js';
import { renderTravelOrderPdf } from '../../reports/travel-order-pdf.js';
import { nominate } from '../../services/students/nomination.service.js';
import { recordSchoolEvent } from '../../services/students/school-event.service.js';
import {
  amendTravelOrder,
  getTravelOrder,
  issueTravelOrder,
  seatChecklist,
} from '../../services/students/travel-order.service.js';
import { cliActor, outFilePath, withApp } from '../context.js';
import { dateOption, wholeNumberOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';

/** The verdict, then one line per gate: status, gate, reason. */
export function describeChecklist(c: Checklist): string[] {
  const reds = c.gates.filter((g) => g.status === 'red').length;
  const verdict =
    reds === 0
      ? 'clear: a travel order may be issued'
      : `${reds} red gate${reds === 1 ? '' : 's'}: no travel order`;
  return [verdict, table(c.gates.map((g) => [`  ${g.status}`, g.gate, gateReason(g)]))];
}

function gateReason(g: GateResult): string {
  let text = g.reason;
  // The core's reasons usually name the re-vet date and the proposal already: add what they lack.
  if (g.reVetBy !== undefined && !text.includes(g.reVetBy)) text += `; re-vet by ${g.reVetBy}`;
  const p = g.proposal;
  if (p !== undefined) {
    const cost = `(${p.courseId}, ${formatUsd(p.tuitionCents)} tuition)`;
    text += text.includes(p.startBy)
      ? ` ${cost}`
      : `; proposed ${p.weeks} weeks of ${p.title} ${cost} starting by ${p.startBy}`;
  }
  return text;
}

async function writePdf(order: TravelOrder, path: string): Promise<void> {
  const pdf = await renderTravelOrderPdf(order);
  try {
    writeFileSync(path, pdf);
  } catch (error) {
    throw new CliFailure(
      `--out: ${order.number} revision ${order.revision} is recorded, but ${path} could not be written (${error instanceof Error ? error.message : String(error)}); write it again with attache ito show ${order.seatId} --out FILE`,
      EXIT.badInput,
    );
  }
}

/** What a person needs of an order on one screen. */
function describeOrder(o: TravelOrder): string[] {
  const line = o.lines[0];
  return [
    `${o.number} revision ${o.revision} issued ${o.issuedOn}${o.amendmentReason === null ? '' : ` (amended: ${o.amendmentReason})`}`,
    ...(o.lateReason === null ? [] : [`issued late: ${o.lateReason}`]),
    `student: ${o.student.familyName}, ${o.student.givenNames} (${o.student.id}, ${o.student.country})`,
    ...(line === undefined
      ? []
      : [`course: ${line.courseId} ${line.title} at ${line.schoolName}, from ${line.classStart}`]),
    `report to ${o.reportTo.school}, ${o.reportTo.installation} on ${o.reportTo.date}`,
    `tuition ${formatUsd(o.tuitionCents)}; living allowance ${formatUsd(o.allowance.totalCents)} for ${o.allowance.days} days; dependents ${o.dependentsAuthorised}`,
  ];
}

/** Prints an order (or its JSON) and writes its PDF when asked. */
async function showOrder(
  output: Output,
  order: TravelOrder,
  o: { json?: boolean },
  out: string | undefined,
  lines: string[],
): Promise<void> {
  if (out !== undefined) await writePdf(order, out);
  if (o.json === true) return printJson(output, order);
  for (const line of lines) output.out(line);
  if (out !== undefined) output.out(`PDF written to ${out}`);
}

function registerNominate(program: Command, output: Output): void {
  program
    .command('nominate')
    .description('nominate a student to a programmed seat, the defense attaché consulted')
    .argument('<seat>', 'seat id')
    .argument('<student>', 'student id')
    .requiredOption('--attache <name>', 'the defense attaché consulted')
    .requiredOption(
      '--attache-consulted <date>',
      'when the attaché was consulted, YYYY-MM-DD',
      dateOption('--attache-consulted'),
    )
    .option('--attache-view <text>', "the attaché's view of the selection")
    .option('--on <date>', 'day of the nomination (default today)', dateOption('--on'))
    .option(
      '--dependents <n>',
      'dependents authorised to accompany',
      wholeNumberOption('--dependents', { min: 0 }),
    )
    .option('--quarters <kind>', 'commercial or government', 'commercial')
    .option('--mess', 'the student eats in the government mess')
    .option('--json', 'print the API object')
    .action(
      async (
        seat: string,
        studentId: string,
        o: {
          attache: string;
          attacheConsulted: string;
          attacheView?: string;
          on?: string;
          dependents?: number;
          quarters: string;
          mess?: boolean;
          json?: boolean;
        },
      ) => {
        const result = await withApp((ctx) =>
          nominate(ctx, cliActor(), {
            seat,
            student: studentId,
            attacheName: o.attache,
            attacheConsultedOn: o.attacheConsulted,
            attacheView: o.attacheView,
            on: o.on,
            dependentsAuthorised: o.dependents,
            quarters: o.quarters,
            mess: o.mess,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        const { nomination: n, seat: s } = result.value;
        output.out(
          `${s.id} ${s.status}: ${n.studentId} on ${n.nominatedOn} (${n.id}), seat version ${s.version}`,
        );
      },
    );
}

export function registerTravelOrderCommands(program: Command, output: Output): void {
  registerNominate(program, output);
  program
    .command('gates')
    .description(
      "a seat's gates before a travel order: each green, red or not applicable, with its reason",
    )
    .argument('<seat>', 'seat id')
    .option('--json', 'print the checklist object')
    .action(async (seatId: string, o: { json?: boolean }) => {
      const result = await withApp((ctx) => seatChecklist(ctx, cliActor(), seatId));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      for (const line of describeChecklist(result.value)) output.out(line);
    });

  const ito = program.command('ito').description('invitational travel orders: issue, amend, show');
  ito
    .command('issue')
    .description(
      'issue the travel order of a nominated seat, dated --on (default today); refused (exit 1) while a gate is red, or for a class already started on that day without --late-reason',
    )
    .argument('<seat>', 'seat id')
    .option('--on <date>', 'the day of the order, YYYY-MM-DD (default today)', dateOption('--on'))
    .option(
      '--late-reason <text>',
      'why the order is issued for a class already started on its day (printed on the order)',
    )
    .option('--out <file>', 'write the order as a PDF')
    .option('--json', 'print the order')
    .action(
      async (
        seatId: string,
        o: { on?: string; lateReason?: string; out?: string; json?: boolean },
      ) => {
        const out = outFilePath(o.out);
        const result = await withApp((ctx) =>
          issueTravelOrder(ctx, cliActor(), seatId, { on: o.on, lateReason: o.lateReason }),
        );
        if (!result.ok) throw failureOf(result.error);
        const r = result.value;
        await showOrder(output, r, o, out, [
          `${r.number} revision ${r.revision} issued ${r.issuedOn} for seat ${r.seatId}${r.lateReason === null ? '' : ` (late: ${r.lateReason})`}`,
        ]);
      },
    );

  ito
    .command('amend')
    .description("re-issue a seat's travel order with the facts as they are now (next revision)")
    .argument('<seat>', 'seat id')
    .requiredOption('--reason <text>', 'why the order is amended')
    .option('--out <file>', 'write the new revision as a PDF')
    .option('--json', 'print the order')
    .action(async (seatId: string, o: { reason: string; out?: string; json?: boolean }) => {
      const out = outFilePath(o.out);
      const result = await withApp((ctx) => amendTravelOrder(ctx, cliActor(), seatId, o.reason));
      if (!result.ok) throw failureOf(result.error);
      const r = result.value;
      await showOrder(output, r, o, out, [
        `${r.number} revision ${r.revision} issued ${r.issuedOn} for seat ${r.seatId}: ${o.reason}`,
      ]);
    });

  ito
    .command('show')
    .description("a seat's travel order: the latest revision, or the one asked for")
    .argument('<seat>', 'seat id')
    .option(
      '--revision <n>',
      'this revision (0 is the first issue)',
      wholeNumberOption('--revision', { min: 0 }),
    )
    .option('--out <file>', 'write it as a PDF')
    .option('--json', 'print the order')
    .action(async (seatId: string, o: { revision?: number; out?: string; json?: boolean }) => {
      const out = outFilePath(o.out);
      const result = await withApp((ctx) => getTravelOrder(ctx, cliActor(), seatId, o.revision));
      if (!result.ok) throw failureOf(result.error);
      await showOrder(output, result.value, o, out, describeOrder(result.value));
    });

  program
    .command('school-event')
    .description("record a school's report on a seat: arrival, in training, completed or not")
    .argument('<seat>', 'seat id')
    .requiredOption('--event <event>', 'arrival, in-training, completed or not-completed')
    .requiredOption('--on <date>', 'the day it happened, YYYY-MM-DD', dateOption('--on'))
    .option('--cause <cause>', 'not-completed: failed, withdrawn or awol')
    .option('--report <text>', 'the academic report (required with completed)')
    .option('--json', 'print the API object')
    .action(
      async (
        seatId: string,
        o: { event: string; on: string; cause?: string; report?: string; json?: boolean },
      ) => {
        const result = await withApp((ctx) =>
          recordSchoolEvent(ctx, cliActor(), {
            seat: seatId,
            event: o.event,
            on: o.on,
            cause: o.cause,
            academicReport: o.report,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        const e = result.value;
        output.out(
          `${e.seat.id}: ${e.event}${e.cause === null ? '' : ` (${e.cause})`} on ${e.on}; seat is ${e.seat.status}`,
        );
        if (e.chargeCents !== null)
          output.out(`tuition charged pro rata: ${formatUsd(e.chargeCents)}`);
        if (e.allowance !== null)
          output.out(
            `allowance stopped on ${e.allowance.until}: ${formatUsd(e.allowance.totalCents)} paid from ${e.allowance.from}`,
          );
      },
    );
}

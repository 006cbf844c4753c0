// A seat's way to and through school (DESIGN §4.3): nomination (If-Match: the seat version), the gate
// checklist, the invitational travel order (issued only when no gate is red, amended as a new
// revision, read as JSON or PDF) and school events.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDateInput, wholeNumberInput } from './input.schemas.js';

import { PROGRAMS } from '../core/programs.js';
import { GATES } from '../core/students/gates.js';
import { NON_COMPLETION_CAUSES, QUARTERS, SCHOOL_EVENTS } from '../core/students/vocabulary.js';
import { renderTravelOrderPdf } from '../reports/travel-order-pdf.js';
import type { AppContext } from '../services/context.js';
import { nominate } from '../services/students/nomination.service.js';
import { recordSchoolEvent } from '../services/students/school-event.service.js';
import {
  amendTravelOrder,
  getTravelOrder,
  issueTravelOrder,
  seatChecklist,
} from '../services/students/travel-order.service.js';
import { problems, responseHeaders } from './contract.js';
import { cents, isoDate, oneOfValues } from './fields.js';
import { actorOf, constrainedText, ifMatch, ifMatchHeader, writers, written } from './http.js';
import { sendResult } from './reply.js';
import { NominationSchema } from './student.routes.js';
import { SCOPED_SEATS, SeatId, SeatSchema } from './training.routes.js';

const IssueBody = z
  .object({
    on: IsoDateInput.optional().meta({
      description: 'the day of the order, YYYY-MM-DD (default today): its rules are judged on it',
    }),
    lateReason: z.string().optional().meta({
      description:
        'why the order is issued for a class already started on `on`; required then, refused otherwise',
    }),
  })
  .meta({
    example: { on: '2020-06-20', lateReason: 'visa issued late; school agreed to a late arrival' },
  });

const NominationBody = z
  .object({
    student: z.string().meta({ description: 'student id' }),
    attacheConsultedOn: IsoDateInput.meta({
      description:
        'the day the defense attaché was consulted, YYYY-MM-DD; not after the nomination',
      example: '2020-06-15',
    }),
    attacheName: z.string(),
    attacheView: z.string().nullable().optional(),
    on: IsoDateInput.optional().meta({
      description: 'the day of nomination (default today); not in the future',
    }),
    dependentsAuthorised: z
      .number()
      .int()
      .optional()
      .meta({ description: 'dependents authorised at US expense, 0 to 20 (default 0)' }),
    quarters: z.enum(QUARTERS).optional().meta({ description: 'default commercial' }),
    mess: z.boolean().optional().meta({ description: 'meals in a mess (lowers the allowance)' }),
  })
  .meta({
    example: {
      student: 'stu_3f9a0c12ab45',
      attacheConsultedOn: '2020-06-15',
      attacheName: 'COL J. Smith, USDAO Islamabad',
      attacheView: 'supports the selection',
      quarters: 'government',
    },
  });

const GATE_STATUSES = ['green', 'red', 'not-applicable'] as const;

const GateSchema = z
  .object({
    gate: z.enum(GATES),
    status: oneOfValues(GATE_STATUSES),
    code: z.string().meta({ description: 'stable code, e.g. GATE.VISA.MISSING; …OK when green' }),
    reason: z.string(),
    date: isoDate()
      .nullable()
      .meta({ description: 'the date of the screening the gate relies on' }),
    reVetBy: isoDate('Leahy approval lapsing before the class: re-vet by').optional(),
    proposal: z
      .object({
        courseId: z.string(),
        title: z.string(),
        weeks: z.number().int(),
        tuitionCents: cents("the course's tuition pro rata by week"),
        startBy: isoDate('the training starts by then to end before the student reports'),
        reason: z.string(),
      })
      .optional()
      .meta({ description: 'English shortfall: the training proposed before the course' }),
  })
  .meta({ id: 'Gate' });

const ChecklistSchema = z
  .object({
    seatId: z.string(),
    studentId: z.string().nullable().meta({ description: 'the nominee; null while none' }),
    reportOn: isoDate('the day the student reports, a few days before class start'),
    gates: z.array(GateSchema).readonly(),
    clear: z.boolean().meta({ description: 'no gate is red: a travel order may be issued' }),
  })
  .meta({ id: 'GateChecklist' });

const AllowanceSchema = z
  .object({
    installation: z.string(),
    from: isoDate('the first day paid: the report date'),
    until: isoDate('the first day not paid'),
    days: z.number().int(),
    perDay: z.object({
      lodgingCents: cents(),
      mealsCents: cents(),
      incidentalsCents: cents(),
    }),
    lodgingCents: cents(),
    mealsCents: cents(),
    incidentalsCents: cents(),
    dependentsCents: cents(),
    totalCents: cents(),
    basis: z.array(z.string()).readonly().meta({ description: 'how each amount was reached' }),
  })
  .meta({ id: 'LivingAllowance' });

const nullableText = z.string().nullable();
const nullableDate = isoDate().nullable();

const TravelOrderSchema = z
  .object({
    number: z.string().meta({ example: 'ITO-PAK-2020-0001' }),
    revision: z.number().int().meta({ description: '0 as issued; each amendment adds one' }),
    issuedOn: isoDate('the day of the order: its rules are judged on it'),
    amendmentReason: nullableText.meta({
      description: 'why this revision was issued (amendments)',
    }),
    lateReason: nullableText.meta({
      description:
        'why the order was issued for a class already started on `issuedOn`; null when on time',
    }),
    seatId: z.string(),
    student: z.object({
      id: z.string(),
      familyName: z.string(),
      givenNames: z.string(),
      country: z.string().meta({ description: 'ISO 3166-1 alpha-3 code' }),
      countryName: z.string(),
      birthDate: nullableDate,
      birthPlace: nullableText,
      service: nullableText,
      rank: nullableText,
      usGrade: nullableText,
      serviceNumber: nullableText,
      unit: nullableText,
      passportNumber: nullableText,
      passportExpiresOn: nullableDate,
      visaIssuedOn: nullableDate,
      visaValidUntil: nullableDate,
    }),
    reportTo: z.object({
      date: isoDate('the day to report, a few days before class start'),
      installation: z.string(),
      school: z.string(),
    }),
    lines: z
      .array(
        z.object({
          courseId: z.string(),
          title: z.string(),
          schoolId: z.string(),
          schoolName: z.string(),
          location: z.string(),
          classStart: isoDate(),
          classEnd: isoDate('the day after the course ends'),
          lengthWeeks: z.number().int(),
          program: oneOfValues(PROGRAMS),
          fiscalYear: z.number().int(),
          tuitionCents: cents(),
        }),
      )
      .readonly(),
    tuitionCents: cents(),
    allowance: AllowanceSchema,
    dependentsAuthorised: z.number().int(),
    dependentsNote: z.string(),
    medicalTerms: z.string(),
    englishNote: z.string(),
    attache: z.object({ name: z.string(), consultedOn: isoDate() }),
    gates: z
      .array(
        z.object({
          gate: constrainedText(GATES),
          // Issued only when no gate is red.
          status: constrainedText(['green', 'not-applicable']),
          reason: z.string(),
        }),
      )
      .readonly()
      .meta({ description: 'each gate and how it was met when the order was issued' }),
  })
  .meta({ id: 'TravelOrder' });

const SchoolEventBody = z
  .object({
    event: z.enum(SCHOOL_EVENTS),
    on: IsoDateInput.meta({
      description: 'the day it happened, YYYY-MM-DD; not in the future, not before the last report',
    }),
    cause: z
      .enum(NON_COMPLETION_CAUSES)
      .nullable()
      .optional()
      .meta({ description: 'not-completed only' }),
    academicReport: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'required with completed' }),
  })
  .meta({ example: { event: 'not-completed', on: '2020-09-14', cause: 'awol' } });

const SchoolEventRecorded = z.object({
  seat: SeatSchema,
  event: z.enum(SCHOOL_EVENTS),
  on: isoDate(),
  cause: z.enum(NON_COMPLETION_CAUSES).nullable(),
  chargeCents: cents()
    .nullable()
    .meta({ description: 'not completed: tuition charged pro rata for the days attended' }),
  allowance: AllowanceSchema.nullable().meta({
    description: 'not completed: the allowance paid from the report date up to the day it stopped',
  }),
});

const PDF = 'application/pdf';
/** The PDF bytes: sent as they are (Fastify serializes no Buffer), documented as binary. */
const PdfSchema = z
  .custom<Buffer>((value) => Buffer.isBuffer(value))
  .meta({ type: 'string', format: 'binary', description: 'the order as a PDF (US Letter)' });

/** Whether the client prefers a PDF: `Accept` ranks application/pdf above JSON (q-values count). */
function prefersPdf(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let pdf = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? '1');
    const weight = Number.isFinite(q) ? q : 0;
    if (type.trim() === PDF) pdf = Math.max(pdf, weight);
    else if (['application/json', 'application/*', '*/*'].includes(type.trim()))
      json = Math.max(json, weight);
  }
  return pdf > 0 && pdf >= json;
}

export function travelOrderRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/seats/:id/nomination',
      {
        schema: {
          operationId: 'nominateStudent',
          tags: ['students'],
          summary: 'Nominate a student to a seat',
          description: `The seat must be programmed, the student of the seat's country and holding no seat whose class overlaps; the defense attaché consultation is recorded (22 USC 2347f). The seat becomes nominated; the answer's ETag is its new version. If-Match (optional): the seat version read. Who: ${writers('students.write')}, on seats and students in their scope. Refusals: 400 INPUT.INVALID naming the field (a date in the future, a consultation after the nomination, If-Match); 403 ACCESS.FORBIDDEN; 404 SEAT.NOT_FOUND, STUDENT.NOT_FOUND; 409 SEAT.STALE (If-Match not the current version), WRITE.CONTENDED; 422 NOMINATION.SEAT_STATUS (naming \`seat\`: not programmed), NOMINATION.COUNTRY, NOMINATION.OVERLAP (naming \`student\`).`,
          headers: ifMatchHeader('the seat version read (its ETag); 409 when stale'),
          params: SeatId,
          body: NominationBody,
          response: {
            201: z.object({ nomination: NominationSchema, seat: SeatSchema }),
            ...problems(403, 404, 409, 422),
          },
          ...responseHeaders({ 201: ['ETag'] }),
        },
      },
      async (request, reply) =>
        written(
          request,
          reply,
          async (actor) => {
            const version = ifMatch(request);
            if (!version.ok) return version;
            return nominate(ctx, actor, {
              ...request.body,
              seat: request.params.id,
              expectedVersion: version.value,
            });
          },
          { headers: (n) => ({ etag: `"${n.seat.version}"` }) },
        ),
    );
    app.get(
      '/seats/:id/gates',
      {
        schema: {
          operationId: 'getSeatGates',
          tags: ['travel orders'],
          summary: "A seat's gate checklist",
          description: `Each gate before a travel order (Leahy person and unit, medical, dental, insurance, security, passport, visa, English, OPI): green, red or not applicable, with its stable code, reason and date. \`clear\` when none is red. ${SCOPED_SEATS} Refusals: 404 SEAT.NOT_FOUND.`,
          params: SeatId,
          response: { 200: ChecklistSchema, ...problems(404) },
        },
      },
      async (request, reply) =>
        sendResult(reply, await seatChecklist(ctx, actorOf(request), request.params.id)),
    );
    app.post(
      '/seats/:id/travel-order',
      {
        schema: {
          operationId: 'issueTravelOrder',
          tags: ['travel orders'],
          summary: 'Issue the invitational travel order of a seat',
          description: `Only for a nominated (or cleared) seat whose gates are all green; the seat becomes ito-issued, and the answer's Location is the order's. The order is dated \`on\` (default today). Who: ${writers('students.write')}, on seats in their scope. Refusals: 400 INPUT.INVALID naming \`on\` (not YYYY-MM-DD) or \`lateReason\` (given for an order that is not late); 403 ACCESS.FORBIDDEN; 404 SEAT.NOT_FOUND; 409 SEAT.STALE (the seat changed meanwhile), WRITE.CONTENDED; 422 GATE.… while a gate is red (the problem's \`code\` is the first red gate's, e.g. GATE.VISA.MISSING, and \`details.red\` lists every red gate), ITO.ALREADY_ISSUED (the seat has one: amend it instead), ITO.SEAT_STATUS (not nominated or cleared), ITO.CLASS_STARTED (the class started before \`on\` and no \`lateReason\` is given; a class starting on \`on\` has not; with a reason the order is issued, the reason printed on it and audited).`,
          params: SeatId,
          body: IssueBody.optional(),
          response: { 201: TravelOrderSchema, ...problems(403, 404, 409, 422) },
          ...responseHeaders({ 201: ['Location'] }),
        },
      },
      async (request, reply) =>
        written(
          request,
          reply,
          (actor) => issueTravelOrder(ctx, actor, request.params.id, request.body ?? {}),
          {
            headers: (o) => ({
              location: `/api/v1/seats/${o.seatId}/travel-order?revision=${o.revision}`,
            }),
          },
        ),
    );
    app.post(
      '/seats/:id/travel-order/amendments',
      {
        schema: {
          operationId: 'amendTravelOrder',
          tags: ['travel orders'],
          summary: 'Amend a travel order',
          description: `Re-issues the order with the facts as they are now, dated today, under the same number and the next revision (its Location in the answer); the gates must still be clear. The earlier revisions are kept; a late order stays late, with its reason. Who: ${writers('students.write')}, on seats in their scope. Refusals: 400 INPUT.INVALID naming \`reason\`; 403 ACCESS.FORBIDDEN; 404 SEAT.NOT_FOUND; 409 WRITE.CONTENDED; 422 ITO.NONE (no order to amend: issue one), ITO.SEAT_STATUS (the seat is past ito-issued), GATE.… (the first red gate).`,
          params: SeatId,
          body: z
            .object({ reason: z.string().meta({ description: 'why the order is amended' }) })
            .meta({ example: { reason: 'visa reissued with a later validity' } }),
          response: { 201: TravelOrderSchema, ...problems(403, 404, 409, 422) },
          ...responseHeaders({ 201: ['Location'] }),
        },
      },
      async (request, reply) =>
        written(
          request,
          reply,
          (actor) => amendTravelOrder(ctx, actor, request.params.id, request.body.reason),
          {
            headers: (o) => ({
              location: `/api/v1/seats/${o.seatId}/travel-order?revision=${o.revision}`,
            }),
          },
        ),
    );
    app.get(
      '/seats/:id/travel-order',
      {
        schema: {
          operationId: 'getTravelOrder',
          tags: ['travel orders'],
          summary: "A seat's travel order, as JSON or PDF",
          description: `The latest revision, or the one asked for. JSON by default; a PDF (US Letter, shown inline, named after the order number and revision) with \`Accept: application/pdf\` ranked above JSON, or \`format=pdf\`. ${SCOPED_SEATS} Refusals: 400 INPUT.INVALID naming \`revision\` or \`format\`; 404 TRAVEL-ORDER.NOT_FOUND (no such seat in the caller's scope, no order, or no such revision).`,
          params: SeatId,
          querystring: z.object({
            revision: wholeNumberInput({ min: 0 }).optional().meta({
              description: 'the revision, from 0 as issued (default the latest)',
              example: '0',
            }),
            format: z.enum(['json', 'pdf']).optional().meta({
              description: 'json or pdf: overrides the Accept header',
              example: 'pdf',
            }),
          }),
          response: {
            200: {
              description: 'the travel order',
              content: {
                'application/json': { schema: TravelOrderSchema },
                [PDF]: { schema: PdfSchema },
              },
            },
            ...problems(404),
          },
        },
      },
      async (request, reply) => {
        const { revision, format } = request.query;
        const result = await getTravelOrder(ctx, actorOf(request), request.params.id, revision);
        if (!result.ok) return sendResult(reply, result);
        const order = result.value;
        const pdf = format === undefined ? prefersPdf(request.headers.accept) : format === 'pdf';
        if (!pdf) return reply.type('application/json; charset=utf-8').send(order);
        const file = `${order.number}-rev${order.revision}.pdf`;
        return reply
          .type(PDF)
          .header('content-disposition', `inline; filename="${file}"`)
          .send(await renderTravelOrderPdf(order));
      },
    );
    app.post(
      '/seats/:id/events',
      {
        schema: {
          operationId: 'recordSchoolEvent',
          tags: ['travel orders'],
          summary: "Record a school's report on a seat",
          description: `arrival and in-training (an ito-issued seat), completed (with the academic report) or not-completed (failed, withdrawn or awol) of a seat in training: the allowance then stops on the day and tuition is charged pro rata. Dates are in order and not in the future. Who: ${writers('school-events.write')} (an IMSO for their schools' seats). Refusals: 400 INPUT.INVALID naming \`event\`, \`on\` (in the future, out of order, before the report date or class start, after the course ends), \`cause\` or \`academicReport\`; 403 ACCESS.FORBIDDEN; 404 SEAT.NOT_FOUND; 409 SEAT.STALE (another report at the same time), WRITE.CONTENDED; 422 EVENT.NO_STUDENT (no student holds the seat), EVENT.SEAT_STATUS (the seat is not at the status the event follows).`,
          params: SeatId,
          body: SchoolEventBody,
          response: { 201: SchoolEventRecorded, ...problems(403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) =>
          recordSchoolEvent(ctx, actor, { ...request.body, seat: request.params.id }),
        ),
    );
  };
}

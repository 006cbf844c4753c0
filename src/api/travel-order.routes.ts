// A seat's way to and through school (DESIGN §4.3): nomination (If-Match: the seat version), the gate
// checklist, the invitational travel order (issued only when no gate is red, amended as a new
// revision, read as JSON or PDF) and school events.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { wholeNumberInput } from './input.schemas.js';

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
import { sendResult } from './reply.js';
import { NominationSchema } from './student.routes.js';
import { ifMatch, ifMatchHeader, written } from './http.js';
import { SeatSchema } from './training.routes.js';
import { actorOf } from './http.js';

const SeatId = z.object({ id: z.string().meta({ example: 'seat_3f9a0c12ab45' }) });

const IssueBody = z
  .object({
    on: z
      .string()
      .optional()
      .meta({ description: 'the day of the order, YYYY-MM-DD (default today)' }),
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
    attacheConsultedOn: z.string().meta({
      description: 'the day the defense attaché was consulted, YYYY-MM-DD',
      example: '2020-06-15',
    }),
    attacheName: z.string(),
    attacheView: z.string().nullable().optional(),
    on: z.string().optional().meta({ description: 'the day of nomination (default today)' }),
    dependentsAuthorised: z.number().int().optional().meta({ description: '0 to 20' }),
    quarters: z.enum(QUARTERS).optional(),
    mess: z.boolean().optional(),
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

const GateSchema = z
  .object({
    gate: z.enum(GATES),
    status: z.enum(['green', 'red', 'not-applicable']),
    code: z.string().meta({ description: 'stable code, e.g. GATE.VISA.MISSING; …OK when green' }),
    reason: z.string(),
    date: z.string().nullable().meta({ description: 'the screening the gate relies on' }),
    reVetBy: z.string().optional().meta({ description: 'Leahy approval lapsing: re-vet by' }),
    proposal: z
      .object({
        courseId: z.string(),
        title: z.string(),
        weeks: z.number().int(),
        tuitionCents: z.number().int(),
        startBy: z.string(),
        reason: z.string(),
      })
      .optional()
      .meta({ description: 'English shortfall: the training proposed before the course' }),
  })
  .meta({ id: 'Gate' });

const ChecklistSchema = z
  .object({
    seatId: z.string(),
    studentId: z.string().nullable(),
    reportOn: z.string(),
    gates: z.array(GateSchema).readonly(),
    clear: z.boolean().meta({ description: 'no gate is red: a travel order may be issued' }),
  })
  .meta({ id: 'GateChecklist' });

const AllowanceSchema = z
  .object({
    installation: z.string(),
    from: z.string(),
    until: z.string().meta({ description: 'the first day not paid' }),
    days: z.number().int(),
    perDay: z.object({
      lodgingCents: z.number().int(),
      mealsCents: z.number().int(),
      incidentalsCents: z.number().int(),
    }),
    lodgingCents: z.number().int(),
    mealsCents: z.number().int(),
    incidentalsCents: z.number().int(),
    dependentsCents: z.number().int(),
    totalCents: z.number().int(),
    basis: z.array(z.string()).readonly(),
  })
  .meta({ id: 'LivingAllowance' });

const nullableText = z.string().nullable();

const TravelOrderSchema = z
  .object({
    number: z.string().meta({ example: 'ITO-PAK-2020-0001' }),
    revision: z.number().int().meta({ description: '0 as issued; each amendment adds one' }),
    issuedOn: z.string().meta({ description: 'the day of the order: its rules are judged on it' }),
    amendmentReason: nullableText,
    lateReason: nullableText.meta({
      description:
        'why the order was issued for a class already started on `issuedOn`; null when on time',
    }),
    seatId: z.string(),
    student: z.object({
      id: z.string(),
      familyName: z.string(),
      givenNames: z.string(),
      country: z.string(),
      countryName: z.string(),
      birthDate: nullableText,
      birthPlace: nullableText,
      service: nullableText,
      rank: nullableText,
      usGrade: nullableText,
      serviceNumber: nullableText,
      unit: nullableText,
      passportNumber: nullableText,
      passportExpiresOn: nullableText,
      visaIssuedOn: nullableText,
      visaValidUntil: nullableText,
    }),
    reportTo: z.object({ date: z.string(), installation: z.string(), school: z.string() }),
    lines: z
      .array(
        z.object({
          courseId: z.string(),
          title: z.string(),
          schoolId: z.string(),
          schoolName: z.string(),
          location: z.string(),
          classStart: z.string(),
          classEnd: z.string().meta({ description: 'the day after the course ends' }),
          lengthWeeks: z.number().int(),
          program: z.string(),
          fiscalYear: z.number().int(),
          tuitionCents: z.number().int(),
        }),
      )
      .readonly(),
    tuitionCents: z.number().int(),
    allowance: AllowanceSchema,
    dependentsAuthorised: z.number().int(),
    dependentsNote: z.string(),
    medicalTerms: z.string(),
    englishNote: z.string(),
    attache: z.object({ name: z.string(), consultedOn: z.string() }),
    gates: z
      .array(z.object({ gate: z.string(), status: z.string(), reason: z.string() }))
      .readonly(),
  })
  .meta({ id: 'TravelOrder' });

const SchoolEventBody = z
  .object({
    event: z.enum(SCHOOL_EVENTS),
    on: z.string().meta({ description: 'the day it happened, YYYY-MM-DD; not in the future' }),
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
  on: z.string(),
  cause: z.enum(NON_COMPLETION_CAUSES).nullable(),
  chargeCents: z
    .number()
    .int()
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
          tags: ['students'],
          summary: 'Nominate a student to a seat',
          description:
            "The seat must be programmed (else 422 naming `seat`), the student of the seat's country and holding no overlapping seat; the defense attaché consultation is recorded. If-Match (optional): the seat version read; 409 when stale. The seat becomes nominated.",
          headers: ifMatchHeader('the seat version read (its ETag)'),
          params: SeatId,
          body: NominationBody,
          response: { 201: z.object({ nomination: NominationSchema, seat: SeatSchema }) },
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
          tags: ['travel orders'],
          summary: "A seat's gate checklist",
          description:
            'Each gate before a travel order (Leahy person and unit, medical, dental, insurance, security, passport, visa, English, OPI): green, red or not applicable, with its stable code, reason and date. `clear` when none is red.',
          params: SeatId,
          response: { 200: ChecklistSchema },
        },
      },
      async (request, reply) =>
        sendResult(reply, await seatChecklist(ctx, actorOf(request), request.params.id)),
    );
    app.post(
      '/seats/:id/travel-order',
      {
        schema: {
          tags: ['travel orders'],
          summary: 'Issue the invitational travel order of a seat',
          description:
            "Only for a nominated (or cleared) seat whose gates are all green; the seat becomes ito-issued. The order is dated `on` (default today). Refused with 422 while a gate is red: the problem's `code` is the first red gate's code (e.g. GATE.VISA.MISSING) and `details.red` lists every red gate. 422 ITO.ALREADY_ISSUED when the seat has one: amend it instead. 422 ITO.CLASS_STARTED when the class started before `on` (a class starting on `on` has not) and no `lateReason` is given; with one, the order is issued, the reason printed on it and audited. 400 naming `lateReason` for a late reason on an order that is not late, and naming `on` for a date that is not YYYY-MM-DD.",
          params: SeatId,
          body: IssueBody.optional(),
          response: { 201: TravelOrderSchema },
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
          tags: ['travel orders'],
          summary: 'Amend a travel order',
          description:
            'Re-issues the order with the facts as they are now, under the same number and the next revision; the gates must still be clear. The earlier revisions are kept.',
          params: SeatId,
          body: z
            .object({ reason: z.string() })
            .meta({ example: { reason: 'visa reissued with a later validity' } }),
          response: { 201: TravelOrderSchema },
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
          tags: ['travel orders'],
          summary: "A seat's travel order, as JSON or PDF",
          description:
            'The latest revision, or the one asked for. JSON by default; a PDF (US Letter, shown inline, named after the order number and revision) with `Accept: application/pdf` or `format=pdf`.',
          params: SeatId,
          querystring: z.object({
            revision: wholeNumberInput({ min: 0 }).optional().meta({ example: '0' }),
            format: z.enum(['json', 'pdf']).optional().meta({
              description: 'overrides the Accept header',
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
          tags: ['travel orders'],
          summary: "Record a school's report on a seat",
          description:
            'arrival (ito-issued seat), in-training, completed (with the academic report) or not-completed (failed, withdrawn or awol): the allowance then stops on the day and tuition is charged pro rata. Dates are in order and not in the future.',
          params: SeatId,
          body: SchoolEventBody,
          response: { 201: SchoolEventRecorded },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) =>
          recordSchoolEvent(ctx, actor, { ...request.body, seat: request.params.id }),
        ),
    );
  };
}

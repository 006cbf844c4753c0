// Catalog routes: schools, and courses with optimistic concurrency (ETag = version, If-Match on writes).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { type Result } from '../core/result.js';
import { COURSE_CATEGORIES, MILITARY_DEPARTMENTS } from '../core/training.js';
import { problems, responseHeaders } from './contract.js';
import { cents, instant, isoDate } from './fields.js';
import { FiscalYearInput, IsoDateInput, LimitInput, OffsetInput } from './input.schemas.js';
import {
  addCourse,
  correctCourse,
  getCourse,
  listCourses,
  retireCourse,
} from '../services/training/catalog.service.js';
import { listClasses, setClassSeats } from '../services/training/class-seats.service.js';
import type { AppContext } from '../services/context.js';
import { addSchool, listSchools } from '../services/training/school.service.js';
import { constrainedText, ifMatch, ifMatchHeader, writers, written } from './http.js';
import { sendResult } from './reply.js';

const SchoolSchema = z
  .object({
    id: z.string().meta({ example: 'CGSC' }),
    name: z.string().meta({ example: 'US Army Command and General Staff College' }),
    location: z.string().meta({ example: 'Fort Leavenworth, KS' }),
    department: constrainedText(MILITARY_DEPARTMENTS, 'military department').meta({
      example: 'Army',
    }),
  })
  .meta({ id: 'School' });

const TuitionEntry = z.object({
  fiscalYear: z.number().int().meta({ example: 2018 }),
  cents: cents('tuition per seat').meta({ example: 5043000 }),
});

const CourseSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    school: z.string(),
    schoolName: z.string(),
    location: z.string(),
    department: constrainedText(MILITARY_DEPARTMENTS, "the school's military department"),
    category: z.enum(COURSE_CATEGORIES),
    eImet: z.boolean(),
    dedicated: z.boolean(),
    lengthWeeks: z.number().int(),
    eclMin: z.number().int().nullable(),
    opiMin: z.string().nullable(),
    tuition: z
      .array(TuitionEntry.extend({ currency: z.literal('USD'), illustrative: z.boolean() }))
      .readonly(),
    retired: z.boolean(),
    retiredOn: isoDate()
      .nullable()
      .meta({ description: 'the first day the course is no longer offered' }),
    source: z.string().nullable(),
    version: z.number().int().meta({ description: 'bumped by every write; send it as If-Match' }),
  })
  .meta({ id: 'Course' });

const CourseDetailSchema = CourseSchema.extend({
  history: z
    .array(
      z.object({
        seq: z.number().int(),
        recordedAt: instant(),
        actor: z.string(),
        action: z.string(),
        reason: z.string().nullable(),
      }),
    )
    .readonly(),
}).meta({ id: 'CourseDetail' });

const CourseFields = {
  title: z.string(),
  school: z.string().meta({ description: 'school id' }),
  category: constrainedText(COURSE_CATEGORIES, 'course category'),
  eImet: z.boolean().optional(),
  dedicated: z.boolean().optional(),
  lengthWeeks: z.number().int(),
  eclMin: z.number().int().nullable().optional().meta({ description: 'minimum ECL, 0–100' }),
  opiMin: z.string().nullable().optional().meta({ description: 'minimum OPI, e.g. 2/2' }),
  tuition: z.array(TuitionEntry).optional(),
  source: z.string().nullable().optional(),
};

const CourseBody = z.object({ id: z.string(), ...CourseFields }).meta({
  example: {
    id: 'B171005',
    title: 'Command and General Staff Officer Course',
    school: 'CGSC',
    category: 'PME',
    eImet: false,
    dedicated: false,
    lengthWeeks: 44,
    eclMin: 80,
    tuition: [{ fiscalYear: 2018, cents: 5043000 }],
  },
});

const CorrectionBody = z
  .object(CourseFields)
  .partial()
  .extend({ reason: z.string() })
  .meta({
    example: {
      lengthWeeks: 43,
      tuition: [{ fiscalYear: 2019, cents: 5169000 }],
      reason: 'the FY2019 IMET rate was published; the course was shortened by a week',
    },
  });

const RetireBody = z
  .object({
    on: IsoDateInput.meta({ description: 'the first day the course is no longer offered' }),
    reason: z.string(),
  })
  .meta({ example: { on: '2020-10-01', reason: 'replaced by the new curriculum' } });

const CourseQuery = z.object({
  school: z
    .string()
    .optional()
    .meta({ description: 'only courses of this school', example: 'CGSC' }),
  category: constrainedText(COURSE_CATEGORIES, 'only courses of this category').optional(),
  includeRetired: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: list retired courses too' }),
  limit: LimitInput.optional(),
  offset: OffsetInput.optional(),
});

const Id = z.object({ id: z.string().meta({ description: 'the course id', example: 'B171005' }) });

const VersionedWriteHeaders = ifMatchHeader(
  'the version the change was made against: the ETag of GET /courses/{id}',
  true,
);

/** A versioned write: refused, before anything is read, unless If-Match names a version. */
async function versioned<T extends { version: number }>(
  request: FastifyRequest,
  reply: FastifyReply,
  write: (actor: Actor, version: number) => Promise<Result<T>>,
): Promise<T | FastifyReply> {
  const version = ifMatch(request, {
    reason: 'COURSE.VERSION_REQUIRED',
    hint: 'a correction names the version it was made against: If-Match: "<version>", the ETag of GET /courses/{id}',
  });
  if (!version.ok) return sendResult(reply, version);
  return written(request, reply, (actor) => write(actor, version.value ?? 0), {
    status: 200,
    headers: etag,
  });
}

const etag = (value: object) =>
  'version' in value ? { etag: `"${String(value.version)}"` } : ({} as Record<string, string>);

const WRITERS = `Who: ${writers('catalog.write')}.`;

const seatCount = (description: string) => z.number().int().meta({ description });

const ClassSchema = z
  .object({
    courseId: z.string(),
    classStart: isoDate(),
    internationalSeats: seatCount(
      'seats the class takes for international students; null: none recorded, no limit',
    ).nullable(),
    version: z
      .number()
      .int()
      .nullable()
      .meta({ description: "the recorded seats' version (send it as If-Match); null: none" }),
    fundedSeats: seatCount('seats of priority A lines, not cancelled, of every country'),
    wishedSeats: seatCount('seats of priority B lines (the wish list), not cancelled'),
    openSeats: seatCount(
      'international seats not held by priority A seats: what a line programmed A or a re-programming may still take; null: no limit',
    ).nullable(),
  })
  .meta({ id: 'CourseClass' });

const ClassParams = Id.extend({
  start: z.string().meta({ description: 'the class start, YYYY-MM-DD', example: '2018-08-06' }),
});

const ClassBody = z
  .object({ seats: z.number().meta({ description: 'international seats, 0–10,000' }) })
  .meta({ example: { seats: 12 } });

export function catalogRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/schools',
      {
        schema: {
          operationId: 'listSchools',
          tags: ['catalog'],
          summary: 'Every school of the catalog',
          description:
            'The schools that run catalog courses, in id order, each under its military department. Who: anyone signed in.',
          response: { 200: z.object({ items: z.array(SchoolSchema), total: z.number().int() }) },
        },
      },
      async () => {
        const items = await listSchools(ctx);
        return { items, total: items.length };
      },
    );
    app.post(
      '/schools',
      {
        schema: {
          operationId: 'addSchool',
          tags: ['catalog'],
          summary: 'Add a school',
          description: `Adds a school under its military department; its id is kept in upper case. ${WRITERS} Refusals: 400 INPUT.INVALID naming \`id\`, \`name\`, \`location\` or \`department\`; 403 ACCESS.FORBIDDEN; 409 SCHOOL.DUPLICATE (the id exists), WRITE.CONTENDED.`,
          body: SchoolSchema,
          response: { 201: SchoolSchema, ...problems(403, 409) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => addSchool(ctx, actor, request.body), { headers: etag }),
    );
    app.get(
      '/courses',
      {
        schema: {
          operationId: 'listCourses',
          tags: ['catalog'],
          summary: 'Courses of the catalog',
          description:
            'Courses in id order with their tuition by fiscal year, of one school or category when asked; retired ones only with includeRetired=true. Who: anyone signed in. Refusals: 400 INPUT.INVALID naming `category`, `limit` or `offset`; 404 SCHOOL.NOT_FOUND.',
          querystring: CourseQuery,
          response: {
            200: z.object({ items: z.array(CourseSchema), total: z.number().int() }),
            ...problems(404),
          },
        },
      },
      async (request, reply) => {
        const { school, category, includeRetired, limit, offset = 0 } = request.query;
        const result = await listCourses(ctx, {
          school,
          category,
          includeRetired: includeRetired === 'true',
        });
        if (!result.ok) return sendResult(reply, result);
        const items = result.value.slice(offset, limit === undefined ? undefined : offset + limit);
        return { items, total: result.value.length };
      },
    );
    app.get(
      '/courses/:id',
      {
        schema: {
          operationId: 'getCourse',
          tags: ['catalog'],
          summary: 'One course, with its history',
          description:
            'A course with its tuition by fiscal year, its version (also the ETag, to send back as If-Match) and the history of its writes; retired courses too. Who: anyone signed in. Refusals: 404 COURSE.NOT_FOUND.',
          params: Id,
          response: { 200: CourseDetailSchema, ...problems(404) },
          ...responseHeaders({ 200: ['ETag'] }),
        },
      },
      async (request, reply) => {
        const result = await getCourse(ctx, request.params.id);
        if (result.ok) reply.header('etag', `"${result.value.version}"`);
        return sendResult(reply, result);
      },
    );
    app.post(
      '/courses',
      {
        schema: {
          operationId: 'addCourse',
          tags: ['catalog'],
          summary: 'Add a course',
          description: `Adds a course to the catalog with its tuition by fiscal year; its id is kept in upper case. ${WRITERS} Refusals: 400 INPUT.INVALID naming the field (\`id\`, \`title\`, \`school\`, \`category\`, \`lengthWeeks\`, \`eclMin\`, \`opiMin\`, \`tuition\`); 403 ACCESS.FORBIDDEN; 404 SCHOOL.NOT_FOUND; 409 COURSE.DUPLICATE (the id exists: correct it instead), WRITE.CONTENDED.`,
          body: CourseBody,
          response: { 201: CourseSchema, ...problems(403, 404, 409) },
          ...responseHeaders({ 201: ['ETag'] }),
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => addCourse(ctx, actor, request.body), { headers: etag }),
    );
    app.patch(
      '/courses/:id',
      {
        schema: {
          operationId: 'correctCourse',
          tags: ['catalog'],
          summary: 'Correct a course',
          description: `Corrects a course in place, with the reason: a new version, the previous content kept in the audit log; tuition entries are set per fiscal year, the others kept. If-Match (required): the version read. ${WRITERS} Refusals: 400 COURSE.VERSION_REQUIRED (no If-Match naming a version), COURSE.UNCHANGED (the correction changes nothing), INPUT.INVALID naming the field; 403 ACCESS.FORBIDDEN; 404 COURSE.NOT_FOUND, SCHOOL.NOT_FOUND; 409 COURSE.STALE (it changed since it was read: read it again), WRITE.CONTENDED.`,
          headers: VersionedWriteHeaders,
          params: Id,
          body: CorrectionBody,
          response: { 200: CourseSchema, ...problems(403, 404, 409) },
          ...responseHeaders({ 200: ['ETag'] }),
        },
      },
      async (request, reply) =>
        versioned(request, reply, (actor, version) =>
          correctCourse(ctx, actor, request.params.id, request.body, version),
        ),
    );
    app.get(
      '/courses/:id/classes',
      {
        schema: {
          operationId: 'listCourseClasses',
          tags: ['catalog'],
          summary: "A course's classes in a fiscal year, with their international seats",
          description:
            "The classes of a course starting in fiscal year `fy`: those whose international seats are recorded and those lines name, by class start, each with its seats held by funded (priority A) and wish-list (priority B) lines and those still open. A class's funded seats may not exceed its international seats. Who: anyone signed in. Refusals: 400 INPUT.INVALID naming `fy`; 404 COURSE.NOT_FOUND.",
          params: Id,
          querystring: z.object({ fy: FiscalYearInput }),
          response: { 200: z.object({ items: z.array(ClassSchema) }), ...problems(404) },
        },
      },
      async (request, reply) => {
        const result = await listClasses(ctx, request.params.id, request.query.fy);
        return sendResult(reply, result.ok ? { ok: true, value: { items: result.value } } : result);
      },
    );
    app.put(
      '/courses/:id/classes/:start',
      {
        schema: {
          operationId: 'setCourseClassSeats',
          tags: ['catalog'],
          summary: "Record a class's international seats",
          description: `Records how many international students one class of a course takes (the military department's quota): from then on a line programmed priority A, or a re-programming that funds a line, is refused beyond them; the wish list (priority B) may ask for more. The same number again writes nothing. If-Match (optional): the class's version read; a class changed since is refused. ${WRITERS} Refusals: 400 INPUT.INVALID naming \`start\`, \`seats\` or If-Match; 403 ACCESS.FORBIDDEN; 404 COURSE.NOT_FOUND; 409 CLASS.STALE, WRITE.CONTENDED; 422 CLASS.BELOW_FUNDED (its funded seats are more: cancel or move them first).`,
          headers: ifMatchHeader(
            "the class's version read: its `version` in GET /courses/{id}/classes",
          ),
          params: ClassParams,
          body: ClassBody,
          response: { 200: ClassSchema, ...problems(403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const version = ifMatch(request);
        if (!version.ok) return sendResult(reply, version);
        return written(
          request,
          reply,
          (actor) =>
            setClassSeats(ctx, actor, request.params.id, request.params.start, {
              seats: request.body.seats,
              expectedVersion: version.value,
            }),
          { status: 200 },
        );
      },
    );
    app.post(
      '/courses/:id/retire',
      {
        schema: {
          operationId: 'retireCourse',
          tags: ['catalog'],
          summary: 'Retire a course from a date',
          description: `Retires a course from a date, with the reason: it stays in the catalog, marked retired, and no line may be programmed with it from that day. If-Match (required): the version read. ${WRITERS} Refusals: 400 COURSE.VERSION_REQUIRED, INPUT.INVALID naming \`on\` or \`reason\`; 403 ACCESS.FORBIDDEN; 404 COURSE.NOT_FOUND; 409 COURSE.STALE, COURSE.ALREADY_RETIRED, WRITE.CONTENDED.`,
          headers: VersionedWriteHeaders,
          params: Id,
          body: RetireBody,
          response: { 200: CourseSchema, ...problems(403, 404, 409) },
          ...responseHeaders({ 200: ['ETag'] }),
        },
      },
      async (request, reply) =>
        versioned(request, reply, (actor, version) =>
          retireCourse(ctx, actor, request.params.id, request.body, version),
        ),
    );
  };
}

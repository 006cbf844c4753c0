// Catalog routes: schools, and courses with optimistic concurrency (ETag = version, If-Match on writes).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { IsoDateInput, LimitInput, OffsetInput } from './input.schemas.js';
import { type Result } from '../core/result.js';
import {
  addCourse,
  correctCourse,
  getCourse,
  listCourses,
  retireCourse,
} from '../services/training/catalog.service.js';
import type { AppContext } from '../services/context.js';
import { addSchool, listSchools } from '../services/training/school.service.js';
import { ifMatch, ifMatchHeader, written } from './http.js';
import { sendResult } from './reply.js';

const SchoolSchema = z
  .object({
    id: z.string().meta({ example: 'CGSC' }),
    name: z.string().meta({ example: 'US Army Command and General Staff College' }),
    location: z.string().meta({ example: 'Fort Leavenworth, KS' }),
    department: z.string().meta({
      description: 'military department: Army, Navy, Air Force, Marine Corps, Coast Guard or DoD',
      example: 'Army',
    }),
  })
  .meta({ id: 'School' });

const TuitionEntry = z.object({
  fiscalYear: z.number().int().meta({ example: 2018 }),
  cents: z
    .number()
    .int()
    .meta({ description: 'tuition per seat, integer cents', example: 5043000 }),
});

const CourseSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    school: z.string(),
    schoolName: z.string(),
    location: z.string(),
    department: z.string(),
    category: z.enum(['PME', 'technical', 'english', 'other']),
    eImet: z.boolean(),
    dedicated: z.boolean(),
    lengthWeeks: z.number().int(),
    eclMin: z.number().int().nullable(),
    opiMin: z.string().nullable(),
    tuition: z
      .array(TuitionEntry.extend({ currency: z.literal('USD'), illustrative: z.boolean() }))
      .readonly(),
    retired: z.boolean(),
    retiredOn: z.string().nullable(),
    source: z.string().nullable(),
    version: z.number().int().meta({ description: 'bumped by every write; send it as If-Match' }),
  })
  .meta({ id: 'Course' });

const CourseDetailSchema = CourseSchema.extend({
  history: z
    .array(
      z.object({
        seq: z.number().int(),
        recordedAt: z.string(),
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
  category: z.string().meta({ description: 'PME, technical, english or other' }),
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
  .object({ on: IsoDateInput, reason: z.string() })
  .meta({ example: { on: '2020-10-01', reason: 'replaced by the new curriculum' } });

const CourseQuery = z.object({
  school: z
    .string()
    .optional()
    .meta({ description: 'only courses of this school', example: 'CGSC' }),
  category: z.string().optional().meta({ description: 'PME, technical, english or other' }),
  includeRetired: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: list retired courses too' }),
  limit: LimitInput.optional(),
  offset: OffsetInput.optional(),
});

const Id = z.object({ id: z.string().meta({ example: 'B171005' }) });

const VersionedWriteHeaders = ifMatchHeader(
  'the version the change was made against: the ETag of GET /courses/{id}',
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

export function catalogRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/schools',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Every school of the catalog',
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
          tags: ['catalog'],
          summary: 'Add a school (409 when its id exists)',
          body: SchoolSchema,
          response: { 201: SchoolSchema },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => addSchool(ctx, actor, request.body), { headers: etag }),
    );
    app.get(
      '/courses',
      {
        schema: {
          tags: ['catalog'],
          summary:
            'Courses in id order, by school or category; retired ones with includeRetired=true',
          querystring: CourseQuery,
          response: { 200: z.object({ items: z.array(CourseSchema), total: z.number().int() }) },
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
          tags: ['catalog'],
          summary: 'A course: tuition by FY, version (also the ETag) and history; retired ones too',
          params: Id,
          response: { 200: CourseDetailSchema },
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
          tags: ['catalog'],
          summary: 'Add a course (409 when its id exists; 404 for an unknown school)',
          body: CourseBody,
          response: { 201: CourseSchema },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => addCourse(ctx, actor, request.body), { headers: etag }),
    );
    app.patch(
      '/courses/:id',
      {
        schema: {
          tags: ['catalog'],
          summary:
            'Correct a course (If-Match: its version; 409 COURSE.STALE when it changed since)',
          headers: VersionedWriteHeaders,
          params: Id,
          body: CorrectionBody,
          response: { 200: CourseSchema },
        },
      },
      async (request, reply) =>
        versioned(request, reply, (actor, version) =>
          correctCourse(ctx, actor, request.params.id, request.body, version),
        ),
    );
    app.post(
      '/courses/:id/retire',
      {
        schema: {
          tags: ['catalog'],
          summary:
            'Retire a course from a date; it stays listed, marked retired (If-Match: its version)',
          headers: VersionedWriteHeaders,
          params: Id,
          body: RetireBody,
          response: { 200: CourseSchema },
        },
      },
      async (request, reply) =>
        versioned(request, reply, (actor, version) =>
          retireCourse(ctx, actor, request.params.id, request.body, version),
        ),
    );
  };
}

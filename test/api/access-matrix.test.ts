// Who may do what, route by route (DESIGN §2; OWASP API Security Top 10 2023: API1 broken object
// level authorization, API5 broken function level authorization). The routes come from the server
// itself: a route added without an entry in ACCESS fails this test. Every route is called by every
// role (through an API token) and by no one, on an object in the caller's scope and on one outside
// it, and each answer's status is checked: 401 for no one, 403 for a role that may not, 404 for an
// object outside the scope (its existence does not leak), and otherwise an answer from the rule
// itself (never 401, 403, 404 or 5xx).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { can, seesCountry, seesSchool, type Capability } from '../../src/core/access.js';
import type { Actor, Role } from '../../src/core/actor.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { actAs, injectAnonymously, tokenFor, type CallerSpec } from '../support/accounts.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { sql } from 'drizzle-orm';

/** The objects a cell works on: a seat, its student, their country. */
interface Objects {
  readonly seat: string;
  readonly student: string;
  readonly iso3: string;
  readonly school: string;
  /** A participant of the country with a 2347g record (trained before Attaché kept seats). */
  readonly alumnus: string;
}

interface Request {
  readonly url: string;
  readonly payload?: object;
  readonly headers?: Record<string, string>;
}

type Access =
  /** Answers everyone alike, signed in or not, with this status. */
  | { readonly kind: 'public'; readonly status: number }
  /** Anyone signed in reads it (or, with `status`, is answered so: 202 for a job queued). */
  | { readonly kind: 'read'; readonly status?: number }
  /** Anyone signed in reads it except these roles (403): a report that counts what they do not see. */
  | { readonly kind: 'read-not'; readonly roles: readonly Role[] }
  /** Anyone signed in reads it, as far as their scope reaches: 404 outside. */
  | {
      readonly kind: 'read-object';
      readonly object: 'seat' | 'student' | 'alumnus' | 'country';
    }
  /**
   * Like read-object, for a record the demo's seats do not have yet (a travel order): 404 for
   * everyone signed in, with the same answer inside and outside the scope.
   */
  | { readonly kind: 'read-absent' }
  /** Anyone who sees the country named reads it: 403 for another country. */
  | { readonly kind: 'read-country' }
  /** A write needing the capability; on an object (404 outside scope) or a named country (403). */
  | {
      readonly kind: 'write';
      readonly capability: Capability;
      readonly scope?: 'seat' | 'student' | 'country';
    };

type Route = { readonly access: Access; readonly request: (o: Objects) => Request };

const dryRun = '?dryRun=true';
let attempts = 0;

/** Every /api/v1 route: who may call it, and a request a permitted caller could make. */
const ACCESS: Readonly<Record<string, Route>> = {
  'GET /api/v1/health': {
    access: { kind: 'public', status: 200 },
    request: () => ({ url: '/api/v1/health' }),
  },
  'GET /api/v1/openapi.json': {
    access: { kind: 'public', status: 200 },
    request: () => ({ url: '/api/v1/openapi.json' }),
  },
  'POST /api/v1/session': {
    access: { kind: 'public', status: 401 },
    request: (o) => ({
      url: '/api/v1/session',
      // A new login each time: five failures for one login lock it (429), as they should.
      payload: { email: `nobody-${o.iso3}-${++attempts}@attache.test`, password: 'wrong' },
    }),
  },
  'DELETE /api/v1/session': {
    access: { kind: 'public', status: 401 },
    request: () => ({ url: '/api/v1/session' }),
  },
  'GET /api/v1/session/providers': {
    access: { kind: 'public', status: 200 },
    request: () => ({ url: '/api/v1/session/providers' }),
  },
  // Single sign-on is not configured on the matrix's server: its routes say so to everyone.
  'GET /api/v1/session/oidc': {
    access: { kind: 'public', status: 404 },
    request: () => ({ url: '/api/v1/session/oidc' }),
  },
  'GET /api/v1/session/oidc/callback': {
    access: { kind: 'public', status: 404 },
    request: () => ({ url: '/api/v1/session/oidc/callback?code=matrix&state=matrix' }),
  },
  'POST /api/v1/local/commands': {
    access: { kind: 'public', status: 404 },
    request: () => ({
      url: '/api/v1/local/commands',
      payload: { argv: ['--version'], actor: 'cli:matrix', cwd: '/' },
    }),
  },
  'GET /api/v1/session': { access: { kind: 'read' }, request: () => ({ url: '/api/v1/session' }) },
  'GET /api/v1/countries': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/countries' }),
  },
  'GET /api/v1/countries/:iso3': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/countries/${o.iso3}` }),
  },
  'GET /api/v1/countries/:iso3/training-years': {
    access: { kind: 'read-object', object: 'country' },
    request: (o) => ({ url: `/api/v1/countries/${o.iso3}/training-years` }),
  },
  'GET /api/v1/countries/:iso3/timeline': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/countries/${o.iso3}/timeline` }),
  },
  'GET /api/v1/countries/:iso3/prominence': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/countries/${o.iso3}/prominence` }),
  },
  'GET /api/v1/allocations': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/allocations?country=${o.iso3}&program=IMET` }),
  },
  'GET /api/v1/eligibility': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/eligibility?country=${o.iso3}&program=IMET&on=2019-06-01` }),
  },
  'POST /api/v1/eligibility/batch': {
    access: { kind: 'read' },
    request: (o) => ({
      url: '/api/v1/eligibility/batch',
      payload: { queries: [{ country: o.iso3, program: 'IMET', on: '2019-06-01' }] },
    }),
  },
  'GET /api/v1/restrictions/:id': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/restrictions/rst_pak-policy-2018' }),
  },
  'GET /api/v1/restrictions/:id/impact': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/restrictions/rst_pak-policy-2018/impact' }),
  },
  'GET /api/v1/end-of-year/:fy': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/end-of-year/2020' }),
  },
  // It moves money between countries: only roles that see them all.
  'GET /api/v1/reprogramming': {
    access: { kind: 'read-not', roles: ['sco', 'imso'] },
    request: () => ({ url: '/api/v1/reprogramming?fy=2018&timeLimit=5' }),
  },
  // Reached, it is refused as stale: the basis is no proposal's.
  'POST /api/v1/reprogramming': {
    access: { kind: 'write', capability: 'allocations.write' },
    request: () => ({
      url: '/api/v1/reprogramming',
      payload: { fy: 2018, basis: 'x'.repeat(43), lines: [{ lineId: 'tl_none', seats: 1 }] },
    }),
  },
  'GET /api/v1/schools': { access: { kind: 'read' }, request: () => ({ url: '/api/v1/schools' }) },
  'GET /api/v1/courses': { access: { kind: 'read' }, request: () => ({ url: '/api/v1/courses' }) },
  'GET /api/v1/courses/:id': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/courses/B171005' }),
  },
  'GET /api/v1/courses/:id/classes': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/courses/B171005/classes?fy=2018' }),
  },
  'GET /api/v1/seats': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/seats?country=${o.iso3}&fy=2020` }),
  },
  'GET /api/v1/seats/summary': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/seats/summary?fy=2018' }),
  },
  'GET /api/v1/students': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/students?name=a&country=${o.iso3}` }),
  },
  'POST /api/v1/records/search': {
    access: { kind: 'read' },
    request: (o) => ({
      url: '/api/v1/records/search',
      payload: { names: ['KHAN'], country: o.iso3 },
    }),
  },
  'GET /api/v1/programs/:iso3/:fy/check': {
    access: { kind: 'read-country' },
    request: (o) => ({ url: `/api/v1/programs/${o.iso3}/2020/check` }),
  },
  'GET /api/v1/seats/:id': {
    access: { kind: 'read-object', object: 'seat' },
    request: (o) => ({ url: `/api/v1/seats/${o.seat}` }),
  },
  'GET /api/v1/seats/:id/gates': {
    access: { kind: 'read-object', object: 'seat' },
    request: (o) => ({ url: `/api/v1/seats/${o.seat}/gates` }),
  },
  'GET /api/v1/seats/:id/travel-order': {
    access: { kind: 'read-absent' },
    request: (o) => ({ url: `/api/v1/seats/${o.seat}/travel-order` }),
  },
  'GET /api/v1/students/:id': {
    access: { kind: 'read-object', object: 'student' },
    request: (o) => ({ url: `/api/v1/students/${o.student}` }),
  },
  'GET /api/v1/students/:id/record': {
    access: { kind: 'read-object', object: 'alumnus' },
    request: (o) => ({ url: `/api/v1/students/${o.alumnus}/record` }),
  },
  'POST /api/v1/allocations': {
    access: { kind: 'write', capability: 'allocations.write' },
    request: (o) => ({
      url: '/api/v1/allocations',
      payload: {
        country: o.iso3,
        program: 'IMET',
        fiscalYear: 2031,
        amountCents: 100_000,
        reason: 'matrix',
      },
    }),
  },
  'POST /api/v1/restrictions': {
    access: { kind: 'write', capability: 'restrictions.write' },
    request: (o) => ({
      url: `/api/v1/restrictions${dryRun}`,
      payload: {
        country: o.iso3,
        kind: 'policy',
        scope: ['IMET'],
        from: '2031-01-01',
        basis: 'matrix',
        authority: 'matrix',
      },
    }),
  },
  'POST /api/v1/restrictions/:id/versions': {
    access: { kind: 'write', capability: 'restrictions.write' },
    request: () => ({
      url: `/api/v1/restrictions/rst_pak-policy-2018/versions${dryRun}`,
      payload: { from: '2018-01-04', reason: 'matrix' },
    }),
  },
  'POST /api/v1/restrictions/:id/end': {
    access: { kind: 'write', capability: 'restrictions.write' },
    request: () => ({
      url: `/api/v1/restrictions/rst_pak-policy-2018/end${dryRun}`,
      payload: { on: '2031-01-01', reason: 'matrix' },
    }),
  },
  'POST /api/v1/restrictions/:id/reliefs': {
    access: { kind: 'write', capability: 'restrictions.write' },
    request: () => ({
      url: `/api/v1/restrictions/rst_pak-policy-2018/reliefs${dryRun}`,
      payload: {
        type: 'exception',
        programs: ['IMET'],
        from: '2031-01-01',
        authority: 'matrix',
        justification: 'matrix',
      },
    }),
  },
  'POST /api/v1/reliefs/:id/end': {
    access: { kind: 'write', capability: 'restrictions.write' },
    request: () => ({
      url: `/api/v1/reliefs/rlf_pak-imet-exception-2018/end${dryRun}`,
      payload: { on: '2031-01-01', reason: 'matrix' },
    }),
  },
  'POST /api/v1/schools': {
    access: { kind: 'write', capability: 'catalog.write' },
    request: (o) => ({
      url: '/api/v1/schools',
      payload: {
        id: `MTX-${o.iso3}`,
        name: 'Matrix school',
        location: 'Nowhere, KS',
        department: 'Army',
      },
    }),
  },
  'POST /api/v1/courses': {
    access: { kind: 'write', capability: 'catalog.write' },
    request: (o) => ({
      url: '/api/v1/courses',
      payload: {
        id: `M17${o.iso3}`,
        title: 'Matrix',
        school: 'CGSC',
        category: 'PME',
        lengthWeeks: 2,
      },
    }),
  },
  'PATCH /api/v1/courses/:id': {
    access: { kind: 'write', capability: 'catalog.write' },
    request: () => ({
      url: '/api/v1/courses/B171005',
      payload: { title: 'Command and General Staff Officer Course', reason: 'matrix' },
      headers: { 'if-match': '"1"' },
    }),
  },
  'POST /api/v1/courses/:id/retire': {
    access: { kind: 'write', capability: 'catalog.write' },
    request: () => ({
      url: '/api/v1/courses/B171005/retire',
      payload: { on: '2099-10-01', reason: 'matrix' },
      headers: { 'if-match': '"999"' },
    }),
  },
  'PUT /api/v1/courses/:id/classes/:start': {
    access: { kind: 'write', capability: 'catalog.write' },
    request: () => ({
      url: '/api/v1/courses/B171005/classes/2099-08-03',
      payload: { seats: 30 },
      headers: { 'if-match': '"999"' },
    }),
  },
  'POST /api/v1/lines': {
    access: { kind: 'write', capability: 'training.write', scope: 'country' },
    request: (o) => ({
      url: '/api/v1/lines',
      payload: {
        country: o.iso3,
        fiscalYear: 2031,
        course: 'B171005',
        seats: 1,
        classStart: '2031-08-04',
        priority: 'A',
        allowanceCents: 100,
      },
    }),
  },
  'POST /api/v1/seats/:id/status': {
    access: { kind: 'write', capability: 'training.write', scope: 'seat' },
    request: (o) => ({ url: `/api/v1/seats/${o.seat}/status`, payload: { to: 'held' } }),
  },
  'POST /api/v1/seats/:id/cancel': {
    access: { kind: 'write', capability: 'training.write', scope: 'seat' },
    request: (o) => ({
      url: `/api/v1/seats/${o.seat}/cancel`,
      payload: { reason: 'visa-delay' },
      headers: { 'if-match': '"999"' },
    }),
  },
  'POST /api/v1/students': {
    access: { kind: 'write', capability: 'students.write', scope: 'country' },
    request: (o) => ({
      url: '/api/v1/students',
      payload: { country: o.iso3, familyName: 'MATRIX', givenNames: 'Test' },
    }),
  },
  'POST /api/v1/students/:id/screenings': {
    access: { kind: 'write', capability: 'students.write', scope: 'student' },
    request: (o) => ({
      url: `/api/v1/students/${o.student}/screenings`,
      payload: { kind: 'ecl', on: '2020-06-01', score: 84 },
    }),
  },
  'POST /api/v1/unit-vettings': {
    access: { kind: 'write', capability: 'students.write', scope: 'country' },
    request: (o) => ({
      url: '/api/v1/unit-vettings',
      payload: { country: o.iso3, unit: 'Matrix Brigade', outcome: 'approved', on: '2020-06-10' },
    }),
  },
  'PUT /api/v1/countries/:iso3/english-exemption': {
    access: { kind: 'write', capability: 'students.write', scope: 'country' },
    request: (o) => ({
      url: `/api/v1/countries/${o.iso3}/english-exemption`,
      payload: { scope: 'in-country-testing', basis: 'matrix' },
    }),
  },
  'POST /api/v1/seats/:id/nomination': {
    access: { kind: 'write', capability: 'students.write', scope: 'seat' },
    request: (o) => ({
      url: `/api/v1/seats/${o.seat}/nomination`,
      payload: {
        student: o.student,
        attacheConsultedOn: '2020-06-15',
        attacheName: 'matrix',
        attacheView: 'supports the selection',
      },
    }),
  },
  'POST /api/v1/seats/:id/travel-order': {
    access: { kind: 'write', capability: 'students.write', scope: 'seat' },
    request: (o) => ({
      url: `/api/v1/seats/${o.seat}/travel-order`,
      payload: { on: '2020-06-20' },
    }),
  },
  'POST /api/v1/seats/:id/travel-order/amendments': {
    access: { kind: 'write', capability: 'students.write', scope: 'seat' },
    request: (o) => ({
      url: `/api/v1/seats/${o.seat}/travel-order/amendments`,
      payload: { reason: 'matrix' },
    }),
  },
  'POST /api/v1/seats/:id/events': {
    access: { kind: 'write', capability: 'school-events.write', scope: 'seat' },
    request: (o) => ({
      url: `/api/v1/seats/${o.seat}/events`,
      payload: { event: 'arrival', on: '2019-01-01' },
    }),
  },
  'POST /api/v1/students/:id/careers': {
    access: { kind: 'write', capability: 'students.write', scope: 'student' },
    request: (o) => ({
      url: `/api/v1/students/${o.student}/careers`,
      payload: { title: 'Matrix', from: '2019-11-29' },
    }),
  },
  // The audit log: its readers only (audit.read); none of these writes.
  'GET /api/v1/audit': {
    access: { kind: 'write', capability: 'audit.read' },
    request: () => ({ url: '/api/v1/audit' }),
  },
  'GET /api/v1/audit/entries': {
    access: { kind: 'write', capability: 'audit.read' },
    request: (o) => ({ url: `/api/v1/audit/entries?entityType=country&entityId=${o.iso3}` }),
  },
  'POST /api/v1/audit/verify': {
    access: { kind: 'write', capability: 'audit.read' },
    request: () => ({ url: '/api/v1/audit/verify', payload: {} }),
  },
  'POST /api/v1/audit/verifications': {
    access: { kind: 'write', capability: 'audit.read' },
    request: () => ({ url: '/api/v1/audit/verifications', payload: {} }),
  },
  // Jobs: anyone signed in lists their own; another person's job (or none) is 404 alike.
  'GET /api/v1/jobs': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/jobs' }),
  },
  'GET /api/v1/jobs/:id': {
    access: { kind: 'read-absent' },
    request: () => ({ url: '/api/v1/jobs/job_000000000000' }),
  },
  'GET /api/v1/jobs/:id/result': {
    access: { kind: 'read-absent' },
    request: () => ({ url: '/api/v1/jobs/job_000000000000/result' }),
  },
  // Reports: files within the reader's scope; the FMT report counts whole countries (no IMSO).
  'GET /api/v1/reports/fmt': {
    access: { kind: 'read-not', roles: ['imso'] },
    request: () => ({ url: '/api/v1/reports/fmt?year=2019&format=csv' }),
  },
  'GET /api/v1/reports/impact': {
    access: { kind: 'read-absent' },
    request: () => ({ url: '/api/v1/reports/impact?restriction=rst_none' }),
  },
  'GET /api/v1/reports/timeline/:country': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/reports/timeline/${o.iso3}?format=csv` }),
  },
  'GET /api/v1/reports/records/:country': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/reports/records/${o.iso3}?format=csv` }),
  },
  'GET /api/v1/reports/prominence/:country': {
    access: { kind: 'read' },
    request: (o) => ({ url: `/api/v1/reports/prominence/${o.iso3}?format=csv` }),
  },
  'POST /api/v1/reports': {
    access: { kind: 'read', status: 202 },
    request: (o) => ({
      url: '/api/v1/reports',
      payload: { report: 'prominence', country: o.iso3, format: 'csv' },
    }),
  },
  'GET /api/v1/reports/fmt/requests': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/reports/fmt/requests' }),
  },
  'POST /api/v1/reports/fmt/requests': {
    access: { kind: 'write', capability: 'restrictions.write' },
    request: (o) => ({
      url: '/api/v1/reports/fmt/requests',
      payload: { country: o.iso3, committee: 'SFRC', requestedOn: '2019-10-01' },
    }),
  },
  // Imports: as a job, by who may write what the file holds; templates and exports to anyone.
  'POST /api/v1/imports/:kind': {
    access: { kind: 'write', capability: 'catalog.write' },
    request: () => ({
      url: '/api/v1/imports/courses',
      payload: {
        files: [{ name: 'courses.csv', content: Buffer.from('id\n').toString('base64') }],
        dryRun: true,
      },
    }),
  },
  'GET /api/v1/imports': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/imports' }),
  },
  'GET /api/v1/imports/templates/:kind': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/imports/templates/courses?format=xlsx' }),
  },
  'GET /api/v1/exports/:kind': {
    access: { kind: 'read' },
    request: () => ({ url: '/api/v1/exports/courses' }),
  },
  'POST /api/v1/audit/checkpoints': {
    access: { kind: 'write', capability: 'audit.read' },
    request: () => ({ url: '/api/v1/audit/checkpoints' }),
  },
  'POST /api/v1/students/:id/findings': {
    access: { kind: 'write', capability: 'students.write', scope: 'student' },
    request: (o) => ({
      url: `/api/v1/students/${o.student}/findings`,
      payload: { on: '2019-03-01', summary: 'matrix', source: 'matrix' },
    }),
  },
};

const CALLERS: Readonly<Record<Role, CallerSpec>> = {
  admin: { role: 'admin' },
  'program-manager': { role: 'program-manager' },
  sco: { role: 'sco', countries: ['PAK'] },
  imso: { role: 'imso', schools: ['CGSC'] },
  analyst: { role: 'analyst' },
};

/** The routes the server has under /api/v1, read from its route tree. */
function routesOf(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:[├└]── )?(\S+) \(([A-Z, ]+)\)$/.exec(line.replace(/\s+$/, ''));
    if (match === null) continue;
    const depth = match[1]!.length;
    const segment = match[2]!;
    while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
    const parent = stack.at(-1)?.path ?? '';
    const path =
      parent === ''
        ? segment
        : segment.startsWith('/')
          ? parent + segment
          : `${parent.replace(/\/$/, '')}/${segment}`;
    stack.push({ depth, path });
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of match[3]!.split(', '))
      if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out.sort();
}

let db: TestDatabase;
let app: FastifyInstance;
const tokens = new Map<Role, Record<string, string>>();
/** A PAK student with a seat at CGSC (in the SCO's and the IMSO's scope), and a JOR one elsewhere. */
let own: Objects;
let foreign: Objects;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2020-07-01T12:00:00.000Z') });
  // Jobs run here (POST /audit/verifications queues one per permitted call).
  app = await buildApp(db.ctx, { jobs: { stopTimeoutMs: 1_000 } });
  for (const [role, spec] of Object.entries(CALLERS) as [Role, CallerSpec][])
    tokens.set(role, await tokenFor(db.ctx, `matrix-${role}`, spec));
  actAs(app, {});
  const pick = async (country: string, atCgsc: boolean): Promise<Objects> => {
    const [row] = await queryRows<{ seat: string; student: string; school: string }>(
      db.store.db,
      sql`select s.id as seat, s.student_id as student, c.school_id as school from seats s
          join training_lines l on l.id = s.line_id join courses c on c.id = l.course_id
          where l.country_iso3 = ${country} and s.student_id is not null
            and (c.school_id = 'CGSC') = ${atCgsc}
          order by s.id limit 1`,
    );
    if (row === undefined) throw new Error(`no ${country} seat with a student for the matrix`);
    const [alumnus] = await queryRows<{ id: string }>(
      db.store.db,
      sql`select st.id from students st join training_records t on t.student_id = st.id
          where st.country_iso3 = ${country}
            and not exists (select 1 from seats s where s.student_id = st.id)
          order by st.id limit 1`,
    );
    if (alumnus === undefined) throw new Error(`no ${country} alumnus for the matrix`);
    return { ...row, iso3: country, alumnus: alumnus.id };
  };
  own = await pick('PAK', true);
  foreign = await pick('JOR', false);
}, 120_000);
afterAll(async () => {
  await app.close();
  await db.close();
});

function actorOf(role: Role): Actor {
  const spec = CALLERS[role];
  return { id: role, role, countries: spec.countries ?? [], schools: spec.schools ?? [] };
}

/** Whether the caller sees the cell's object (or country, for a country-named route). */
function sees(
  actor: Actor,
  objects: Objects,
  object: 'seat' | 'student' | 'alumnus' | 'country',
): boolean {
  // An alumnus holds no seat: only who sees the country sees them.
  if (object === 'country' || object === 'alumnus') return seesCountry(actor, objects.iso3);
  return seesCountry(actor, objects.iso3) || seesSchool(actor, objects.school);
}

type Expected = number | 'reached';

function expected(route: Route, role: Role | null, objects: Objects): Expected {
  const access = route.access;
  if (access.kind === 'public') return access.status;
  if (role === null) return 401;
  const actor = actorOf(role);
  switch (access.kind) {
    case 'read':
      return access.status ?? 200;
    case 'read-not':
      return access.roles.includes(role) ? 403 : 200;
    case 'read-object':
      return sees(actor, objects, access.object) ? 200 : 404;
    case 'read-absent':
      return 404;
    case 'read-country':
      return sees(actor, objects, 'country') ? 200 : 403;
    case 'write':
      if (!can(actor, access.capability)) return 403;
      if (access.scope === undefined || sees(actor, objects, access.scope)) return 'reached';
      return access.scope === 'country' ? 403 : 404;
  }
}

describe('the access matrix', () => {
  it('has an entry for every route the server has, and no entry for a route it lacks', () => {
    expect(Object.keys(ACCESS).sort()).toEqual(routesOf(app));
  });

  it.each(Object.keys(ACCESS))(
    '%s: every role, own and foreign scope',
    async (key) => {
      const route = ACCESS[key]!;
      const [method] = key.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'];
      const answers: string[] = [];
      const wrong: string[] = [];
      for (const role of [null, ...(Object.keys(CALLERS) as Role[])]) {
        for (const [scope, objects] of [
          ['own', own],
          ['foreign', foreign],
        ] as const) {
          const request = route.request(objects);
          const headers = {
            ...(request.headers ?? {}),
            ...(role === null ? {} : tokens.get(role)),
          };
          const options = {
            method,
            url: request.url,
            headers,
            ...(request.payload === undefined ? {} : { payload: request.payload }),
          };
          const res =
            role === null ? await injectAnonymously(app, options) : await app.inject(options);
          const want = expected(route, role, objects);
          const cell = `${role ?? 'no one'} / ${scope}: ${res.statusCode}`;
          answers.push(cell);
          const fine =
            want === 'reached'
              ? res.statusCode < 500 && ![401, 403, 404].includes(res.statusCode)
              : res.statusCode === want;
          if (!fine) wrong.push(`${cell}, expected ${want} (${res.body.slice(0, 160)})`);
        }
      }
      expect(wrong, answers.join('; ')).toEqual([]);
    },
    120_000,
  );
});

/**
 * Fields a server sets and a client must never (OWASP API3, broken object property level
 * authorization), and one it has never heard of: each sent with a request that is otherwise
 * accepted.
 */
const SERVER_FIELDS: Readonly<Record<string, unknown>> = {
  id: 'chosen-by-client',
  version: 7,
  recordedAt: '2020-01-01T00:00:00.000Z',
  recordedBy: 'user:someone-else@attache.test',
  supersededAt: null,
  status: 'completed',
  role: 'admin',
  countries: ['JOR'],
  isAdmin: true,
  unheardOf: 1,
};

async function auditLength(): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    db.store.db,
    sql`select count(*)::text as n from audit_log`,
  );
  return Number(row!.n);
}

describe('mass assignment', () => {
  const withBody = Object.entries(ACCESS).filter(
    ([key, route]) =>
      !key.startsWith('GET ') &&
      key !== 'POST /api/v1/local/commands' &&
      // Which routes take a body does not depend on the objects (not known yet when collected).
      route.request({ seat: '', student: '', iso3: '', school: '', alumnus: '' }).payload !==
        undefined,
  );

  it('is tried on every route that takes a body', () => {
    expect(withBody.length).toBeGreaterThan(25);
  });

  it.each(withBody.map(([key]) => key))(
    '%s refuses each field it does not take, naming it, and writes nothing',
    async (key) => {
      const route = ACCESS[key]!;
      const [method, path] = key.split(' ') as ['POST' | 'PUT' | 'PATCH' | 'DELETE', string];
      const access = route.access;
      // A caller the route would otherwise answer: one with the capability, in scope.
      const role =
        access.kind === 'write'
          ? (Object.keys(CALLERS) as Role[]).find((r) => can(actorOf(r), access.capability))!
          : 'program-manager';
      const request = route.request(own);
      const before = await auditLength();
      const wrong: string[] = [];
      for (const [field, value] of Object.entries(SERVER_FIELDS)) {
        if (Object.hasOwn(request.payload!, field)) continue;
        const res = await app.inject({
          method,
          url: request.url,
          headers: { ...(request.headers ?? {}), ...tokens.get(role) },
          payload: { ...request.payload, [field]: value },
        });
        const body = res.json<{ field?: string; code?: string }>();
        if (res.statusCode !== 400 || body.field !== field || body.code !== 'INPUT.INVALID')
          wrong.push(`${field}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
      expect(wrong, `${path} as ${role}`).toEqual([]);
      expect(await auditLength()).toBe(before);
    },
    120_000,
  );

  it('refuses a field nested in a body too, naming its path, and writes nothing', async () => {
    const before = await auditLength();
    const batch = await app.inject({
      method: 'POST',
      url: '/api/v1/eligibility/batch',
      headers: tokens.get('analyst')!,
      payload: { queries: [{ country: 'PAK', program: 'IMET', on: '2019-06-01', knownBy: 'x' }] },
    });
    expect(batch.statusCode).toBe(400);
    expect(batch.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'queries.0.knownBy' });
    const course = await app.inject({
      method: 'POST',
      url: '/api/v1/courses',
      headers: tokens.get('program-manager')!,
      payload: {
        id: 'M17NEST',
        title: 'Nested',
        school: 'CGSC',
        category: 'PME',
        lengthWeeks: 2,
        tuition: [{ fiscalYear: 2031, cents: 100, recordedBy: 'someone' }],
      },
    });
    expect(course.statusCode).toBe(400);
    expect(course.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'tuition.0.recordedBy' });
    expect(await auditLength()).toBe(before);
  });
});

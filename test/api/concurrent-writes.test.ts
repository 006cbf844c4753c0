// Rules that read before they write, raced by two servers (two Fastify apps, each with its own pool)
// on one PostgreSQL database: parallel requests, round after round, and exactly one of each pair
// wins. Two 3-year child-soldiers exceptions of one country (5 years in all), one student to two
// overlapping classes, `completed` and `not-completed` on one seat; and a training line programmed
// while a restriction is recorded is never left programmed inside it (the eligibility index in
// memory is not what the write decides on).
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { systemActor } from '../../src/core/actor.js';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import { importHistory } from '../../src/services/imports/history-import.service.js';
import { importFile } from '../../src/services/imports/import-file.js';
import { contextOver } from '../../src/services/context.js';
import { syncReferenceData } from '../../src/services/countries/reference.service.js';
import { migrateStore, openStore, type Store } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import {
  localPostgresSkipReason,
  scratchDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';
import { signInWriter, writerHeaders } from '../support/writer.js';

const ROUNDS = 20;
const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`concurrent-writer tests skipped: ${skipReason}`);

interface Answer {
  readonly status: number;
  readonly body: { code?: string; id?: string; seats?: { id: string }[] } & Record<string, unknown>;
}

/** A pair's outcome: which server won, and what the other was told. */
interface Round {
  readonly winner: 'A' | 'B' | 'none' | 'both';
  readonly loser: string;
}

describe.skipIf(skipReason !== undefined)('two servers on one PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let setup: Store;
  const stores: Store[] = [];
  const apps: FastifyInstance[] = [];
  let A: string;
  let B: string;
  /** The servers' today: nominations happen before the class, school reports during it. */
  let now = '2020-07-01T12:00:00.000Z';
  let countries: string[];
  const summary: string[] = [];

  async function send(base: string, method: string, path: string, body?: object) {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...writerHeaders(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  }
  async function created(path: string, body: object): Promise<Answer['body']> {
    const res = await send(A, 'POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  /** Both servers at once; the pair's outcome. */
  async function race(a: () => Promise<Answer>, b: () => Promise<Answer>): Promise<Round> {
    const [ra, rb] = await Promise.all([a(), b()]);
    const won = [ra.status === 201, rb.status === 201];
    const loser = won[0] ? rb : ra;
    return {
      winner: won[0] && won[1] ? 'both' : won[0] ? 'A' : won[1] ? 'B' : 'none',
      loser: `${loser.status} ${loser.body.code ?? ''}`,
    };
  }
  function tally(name: string, rounds: readonly Round[]) {
    const count = (w: Round['winner']) => rounds.filter((r) => r.winner === w).length;
    const losers = [...new Set(rounds.map((r) => r.loser))].join(', ');
    summary.push(
      `${name}: ${rounds.length} rounds, won by A ${count('A')}, by B ${count('B')}, by both ${count('both')}, by neither ${count('none')}; the other told ${losers}`,
    );
  }
  const count = async (query: ReturnType<typeof sql>) =>
    (await queryRows<{ n: number }>(setup.db, query))[0]!.n;

  beforeAll(async () => {
    scratch = await scratchDatabase('attache_race');
    setup = await openStore({ kind: 'postgres', url: scratch.url });
    await migrateStore(setup);
    const synced = await syncReferenceData(contextOver(setup));
    if (!synced.ok) throw new Error(synced.error.message);
    await signInWriter(contextOver(setup));
    for (let i = 0; i < 2; i++) {
      // Each server its own pool, as two processes would have.
      const store = await openStore({ kind: 'postgres', url: scratch.url });
      stores.push(store);
      const app = await buildApp(contextOver(store, { clock: () => now }));
      apps.push(app);
    }
    A = await apps[0]!.listen({ port: 0, host: '127.0.0.1' });
    B = await apps[1]!.listen({ port: 0, host: '127.0.0.1' });
    countries = (
      await queryRows<{ iso3: string }>(
        setup.db,
        sql`select iso3 from countries where iso3 <> 'PAK' order by iso3 limit ${2 * ROUNDS}`,
      )
    ).map((c) => c.iso3);
    for (const [id, name] of [
      ['CGSC', 'US Army Command and General Staff College'],
      ['DIILS', 'Defense Institute of International Legal Studies'],
      ['CCMR', 'Center for Civil-Military Relations'],
    ] as const)
      await created('/schools', { id, name, location: 'USA', department: 'DoD' });
    await created('/courses', {
      ...{ id: 'B171099', title: 'International Officer Preparatory Course', school: 'CGSC' },
      ...{ category: 'PME', lengthWeeks: 4, eclMin: 80 },
      tuition: [{ fiscalYear: 2020, cents: 2_800_000 }],
    });
  }, 120_000);

  afterAll(async () => {
    console.info(summary.join('\n'));
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await setup?.close();
    await scratch?.drop();
  });

  it('grants one of two 3-year child-soldiers exceptions of a country (5 years in all), every round', async () => {
    const rounds: Round[] = [];
    for (const country of countries.slice(0, ROUNDS)) {
      const restriction = await created('/restrictions', {
        ...{ country, kind: 'child-soldiers', scope: ['IMET', 'FMF'], from: '2010-10-01' },
        ...{ basis: 'CSPA §404', authority: 'Secretary of State' },
      });
      const exception = (from: string, until: string) => ({
        ...{ type: 'exception', programs: ['IMET'], schools: ['DIILS', 'CCMR'], from, until },
        ...{ authority: 'President', justification: 'professionalisation' },
      });
      const path = `/restrictions/${restriction.id}/reliefs`;
      rounds.push(
        await race(
          () => send(A, 'POST', path, exception('2012-10-01', '2015-10-01')),
          () => send(B, 'POST', path, exception('2016-10-01', '2019-10-01')),
        ),
      );
      expect(
        await count(
          sql`select count(*)::int as n from reliefs where restriction_id = ${restriction.id}`,
        ),
      ).toBe(1);
    }
    tally('child-soldiers exceptions', rounds);
    expect(rounds.filter((r) => r.winner === 'A' || r.winner === 'B')).toHaveLength(ROUNDS);
    expect(new Set(rounds.map((r) => r.loser))).toEqual(new Set(['422 RELIEF.LIMIT_EXCEEDED']));
  }, 120_000);

  it('nominates a student to one of two overlapping classes, every round', async () => {
    now = '2020-07-01T12:00:00.000Z';
    const line = async (classStart: string) =>
      (
        await created('/lines', {
          ...{ country: 'PAK', fiscalYear: 2020, course: 'B171099', seats: ROUNDS },
          ...{ classStart, priority: 'A' },
        })
      ).seats!.map((s) => s.id);
    // Four weeks each, a week apart: they overlap.
    const first = await line('2020-08-03');
    const second = await line('2020-08-10');
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const student = await created('/students', {
        country: 'PAK',
        familyName: `RACER${i}`,
        givenNames: 'Ali',
      });
      const nominate = (base: string, seat: string) => () =>
        send(base, 'POST', `/seats/${seat}/nomination`, {
          student: student.id,
          attacheConsultedOn: '2020-06-15',
          attacheName: 'COL J. Smith, USDAO Islamabad',
        });
      rounds.push(await race(nominate(A, first[i]!), nominate(B, second[i]!)));
      expect(
        await count(sql`select count(*)::int as n from seats where student_id = ${student.id}`),
      ).toBe(1);
      expect(
        await count(
          sql`select count(*)::int as n from nominations where student_id = ${student.id}`,
        ),
      ).toBe(1);
    }
    tally('overlapping nominations', rounds);
    expect(rounds.filter((r) => r.winner === 'A' || r.winner === 'B')).toHaveLength(ROUNDS);
    expect(new Set(rounds.map((r) => r.loser))).toEqual(new Set(['422 NOMINATION.OVERLAP']));
  }, 180_000);

  it('takes one of `completed` and `not-completed` on a seat, every round', async () => {
    now = '2020-07-01T12:00:00.000Z';
    const unit = '11th Infantry Brigade';
    await created('/unit-vettings', {
      country: 'PAK',
      unit,
      outcome: 'approved',
      on: '2020-06-01',
    });
    const line = await created('/lines', {
      ...{ country: 'PAK', fiscalYear: 2020, course: 'B171099', seats: ROUNDS },
      ...{ classStart: '2020-09-07', priority: 'A' },
    });
    const seats = line.seats!.map((s) => s.id);
    for (const [i, seat] of seats.entries()) {
      const student = await created('/students', {
        ...{ country: 'PAK', familyName: `SCHOLAR${i}`, givenNames: 'Tariq', rank: 'Major' },
        ...{ usGrade: 'O-4', unit, passportNumber: 'AB1234567', passportExpiresOn: '2026-03-01' },
      });
      for (const screening of [
        { kind: 'leahy-person', outcome: 'approved' },
        { kind: 'medical', outcome: 'passed' },
        { kind: 'dental', outcome: 'passed' },
        { kind: 'insurance', outcome: 'covered' },
        { kind: 'security', outcome: 'cleared' },
        { kind: 'passport', outcome: 'valid' },
        { kind: 'visa', outcome: 'issued', validUntil: '2021-06-30' },
        { kind: 'ecl', score: 85 },
      ])
        await created(`/students/${student.id}/screenings`, { on: '2020-06-01', ...screening });
      await created(`/seats/${seat}/nomination`, {
        student: student.id,
        attacheConsultedOn: '2020-06-15',
        attacheName: 'COL J. Smith, USDAO Islamabad',
      });
      await created(`/seats/${seat}/travel-order`, {});
    }
    now = '2020-10-05T12:00:00.000Z';
    const rounds: Round[] = [];
    for (const seat of seats) {
      await created(`/seats/${seat}/events`, { event: 'arrival', on: '2020-08-31' });
      await created(`/seats/${seat}/events`, { event: 'in-training', on: '2020-08-31' });
      rounds.push(
        await race(
          () =>
            send(A, 'POST', `/seats/${seat}/events`, {
              ...{ event: 'completed', on: '2020-10-02', academicReport: 'Passed' },
            }),
          () =>
            send(B, 'POST', `/seats/${seat}/events`, {
              ...{ event: 'not-completed', on: '2020-09-21', cause: 'awol' },
            }),
        ),
      );
      const [state] = await queryRows<{ status: string; outcomes: string[] }>(
        setup.db,
        sql`select s.status, array(select e.event from school_events e where e.seat_id = s.id
              and e.event in ('completed', 'not-completed')) as outcomes
            from seats s where s.id = ${seat}`,
      );
      expect(state!.outcomes).toHaveLength(1);
      expect(state!.status).toBe(state!.outcomes[0]);
    }
    tally('completed or not-completed', rounds);
    expect(rounds.filter((r) => r.winner === 'A' || r.winner === 'B')).toHaveLength(ROUNDS);
    for (const r of rounds) expect(r.loser).toMatch(/^(422 EVENT\.SEAT_STATUS|409 SEAT\.STALE)$/);
  }, 180_000);

  it('never leaves a line programmed inside a restriction recorded at the same time', async () => {
    now = '2020-07-01T12:00:00.000Z';
    const outcomes: string[] = [];
    for (const country of countries.slice(ROUNDS, 2 * ROUNDS)) {
      const [restriction, line] = await Promise.all([
        send(A, 'POST', '/restrictions', {
          ...{ country, kind: 'policy', scope: ['IMET'], from: '2020-01-01' },
          ...{
            basis: 'Presidential policy decision',
            authority: 'President',
            seatPolicy: 'cancel',
          },
        }),
        send(B, 'POST', '/lines', {
          ...{ country, fiscalYear: 2020, course: 'B171099', seats: 2 },
          ...{ classStart: '2020-08-03', priority: 'A' },
        }),
      ]);
      expect(restriction.status).toBe(201);
      outcomes.push(line.status === 201 ? 'line then cascade' : `line ${line.body.code ?? ''}`);
      if (line.status !== 201) expect(line.body.code).toBe('LINE.NOT_ELIGIBLE');
      const programmed = await count(
        sql`select count(*)::int as n from seats s join training_lines l on l.id = s.line_id
            where l.country_iso3 = ${country} and s.status = 'programmed'`,
      );
      expect(programmed).toBe(0);
    }
    summary.push(
      `line beside a restriction: ${outcomes.length} rounds, ${[...new Set(outcomes)].map((o) => `${o} ×${outcomes.filter((x) => x === o).length}`).join(', ')}; no seat left programmed`,
    );
    expect(await verifyAudit(contextOver(setup))).toMatchObject({ ok: true });
  }, 120_000);

  it('ends a terrorism designation once when both servers end it on the same day with its report', async () => {
    const rounds: Round[] = [];
    for (const country of countries.slice(0, ROUNDS)) {
      const designation = await created('/restrictions', {
        ...{ country, kind: 'terrorism', scope: ['security-assistance'], from: '2019-01-01' },
        ...{ basis: 'FAA 620A', authority: 'Secretary of State' },
      });
      const path = `/restrictions/${designation.id}/end`;
      const lift = { on: '2025-07-16', notified: '2025-06-01', reason: 'rescinded' };
      rounds.push(
        await race(
          () => send(A, 'POST', path, lift),
          () => send(B, 'POST', path, lift),
        ),
      );
      expect(
        await count(
          sql`select count(*)::int as n from restriction_versions where restriction_id = ${designation.id}`,
        ),
      ).toBe(2);
      expect(
        await count(
          sql`select count(*)::int as n from congressional_notifications where subject like ${`%${designation.id}%`}`,
        ),
      ).toBe(1);
    }
    tally('terrorism rescissions', rounds);
    expect(rounds.filter((r) => r.winner === 'A' || r.winner === 'B')).toHaveLength(ROUNDS);
    expect(new Set(rounds.map((r) => r.loser))).toEqual(new Set(['409 RESTRICTION.ALREADY_ENDED']));
  }, 120_000);

  it('imports one history file once when both servers import it at the same time', async () => {
    const header =
      'country_iso3,country_name,kind,scope,event,relief_type,relief_scope,effective_from,effective_until,date_quality,legal_basis,description,source,until_quality,notified_on';
    const outcomes: string[] = [];
    for (const [i, country] of countries.slice(ROUNDS, 2 * ROUNDS).entries()) {
      const file = importFile(
        `history-${i}.csv`,
        Buffer.from(
          [
            header,
            `${country},X,coup,IMET;FMF,restriction,,,2012-03-26,,exact,7008,coup,https://example.org/a,,`,
            `${country},X,coup,IMET;FMF,lift,certification,,2013-09-06,,month,7008,elected,https://example.org/b,,`,
          ].join('\n'),
        ),
      );
      const actor = systemActor('race');
      const [a, b] = await Promise.all(
        stores.map((store) => importHistory(contextOver(store, { clock: () => now }), actor, file)),
      );
      if (!a!.ok || !b!.ok) throw new Error('an import was refused');
      const runs = [a!.value.runId, b!.value.runId].filter((r) => r !== null);
      expect(runs).toHaveLength(1);
      outcomes.push(
        a!.value.runId === null
          ? 'B imported, A found it unchanged'
          : 'A imported, B found it unchanged',
      );
      expect(
        await count(
          sql`select count(*)::int as n from restriction_versions v join restrictions r on r.id = v.restriction_id
              where r.country_iso3 = ${country} and v.kind = 'coup'`,
        ),
      ).toBe(2);
    }
    summary.push(
      `history imports: ${outcomes.length} rounds, ${[...new Set(outcomes)].map((o) => `${o} ×${outcomes.filter((x) => x === o).length}`).join(', ')}`,
    );
    expect(await verifyAudit(contextOver(setup))).toMatchObject({ ok: true });
  }, 180_000);
});

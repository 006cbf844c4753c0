// The suspension cascade through the services on the demo data: preview equals the write, seat for seat.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { endRelief, recordRelief } from '../../src/services/eligibility/relief.service.js';
import { recordRestriction } from '../../src/services/eligibility/restriction.service.js';
import {
  addLine,
  cancelSeat,
  listSeats,
  moveSeat,
  restrictionImpact,
} from '../../src/services/training/training.service.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { systemActor } from '../../src/core/actor.js';

let db: TestDatabase;
let now = '2020-06-15T10:00:00.000Z';
const pm: Actor = { id: 'user:pm', role: 'program-manager' };

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => now });
});
afterAll(async () => db.close());

async function line(
  country: string,
  course: string,
  seats: number,
  start: string,
  allowanceCents = 100_000,
) {
  const result = await addLine(db.ctx, pm, {
    country,
    fiscalYear: 2020,
    course,
    seats,
    classStart: start,
    priority: 'A',
    allowanceCents,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const suspension = (country: string, from: string, seatPolicy: 'cancel' | 'hold' = 'cancel') => ({
  country,
  kind: 'policy',
  scope: ['IMET'],
  from,
  basis: 'test suspension',
  authority: 'Secretary of State',
  seatPolicy,
});

describe('a suspension in the middle of a fiscal year (SCENARIOS #1)', () => {
  it('previews exactly what the write then does, seat for seat', async () => {
    const early = await line('IND', 'D177001', 2, '2020-06-01');
    const late = await line('IND', 'B171005', 3, '2020-08-03', 1_800_000);
    const inTraining = await line('IND', 'P176019', 1, '2020-07-06');
    now = '2020-07-10T10:00:00.000Z';
    const seatId = inTraining.seats[0]!.id;
    for (const to of ['nominated', 'cleared', 'ito-issued', 'in-training']) {
      const moved = await moveSeat(db.ctx, pm, seatId, to);
      expect(moved.ok).toBe(true);
    }
    const auditBefore = await countAuditEntries(db.store.db);
    const preview = await recordRestriction(db.ctx, pm, suspension('IND', '2020-07-01'), {
      dryRun: true,
    });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(await countAuditEntries(db.store.db)).toBe(auditBefore);
    expect(
      (
        await listSeats(db.ctx, systemActor('test'), {
          country: 'IND',
          fiscalYear: 2020,
          status: 'cancelled',
        })
      ).ok &&
        (await listSeats(db.ctx, systemActor('test'), {
          country: 'IND',
          fiscalYear: 2020,
          status: 'cancelled',
        })),
    ).toMatchObject({ value: [] });

    const written = await recordRestriction(db.ctx, pm, suspension('IND', '2020-07-01'));
    if (!written.ok) throw new Error(written.error.message);
    const strip = (impact: typeof preview.value.impact) => ({
      ...impact,
      changes: impact.changes.map((c) => ({
        ...c,
        restrictionId: c.restrictionId === null ? null : 'R',
        reason: c.reason.replace(/rst_[0-9a-f]+/, 'R'),
      })),
    });
    expect(strip(written.value.impact)).toEqual(strip(preview.value.impact));
    // Recorded on 2020-07-10, from 2020-07-01: judged and dated on 2020-07-01. The class of
    // 2020-06-01 is under way on that day: flagged, never cancelled (issue #10).
    expect(written.value.impact.changes.map((c) => [c.seatId, c.kind, c.on])).toEqual([
      ...early.seats.map((s) => [s.id, 'flag', '2020-07-01']),
      [seatId, 'flag', '2020-07-01'],
      ...late.seats.map((s) => [s.id, 'cancel', '2020-07-01']),
    ]);
    expect(written.value.impact).toMatchObject({
      seats: 6,
      byStatus: { cancelled: 3, flagged: 3 },
      releasedCents: 3 * (late.unitTuitionCents + 1_800_000),
      penaltiesCents: 0,
    });
    // One audit entry for the restriction and one per seat.
    expect((await countAuditEntries(db.store.db)) - auditBefore).toBe(1 + 6);

    const cancelled = await listSeats(db.ctx, systemActor('test'), {
      country: 'IND',
      fiscalYear: 2020,
      status: 'cancelled',
    });
    expect(
      cancelled.ok &&
        cancelled.value.map((s) => [
          s.id,
          s.penaltyCents,
          s.restrictionId,
          s.cancellationReason,
          s.cancelledOn,
        ]),
    ).toEqual(late.seats.map((s) => [s.id, 0, written.value.id, 'us-restriction', '2020-07-01']));
    const flagged = await listSeats(db.ctx, systemActor('test'), {
      country: 'IND',
      fiscalYear: 2020,
      status: 'in-training',
    });
    expect(flagged.ok && flagged.value.map((s) => [s.id, s.flagged, s.flaggedOn])).toEqual([
      [seatId, true, '2020-07-01'],
    ]);
    const earlySeats = await queryRows<{ status: string; flagged: boolean; flaggedOn: string }>(
      db.store.db,
      sql`select status, flagged, flagged_on::text as "flaggedOn" from seats where line_id = ${early.id}`,
    );
    expect(earlySeats).toEqual([
      { status: 'programmed', flagged: true, flaggedOn: '2020-07-01' },
      { status: 'programmed', flagged: true, flaggedOn: '2020-07-01' },
    ]);

    const impact = await restrictionImpact(db.ctx, systemActor('test'), written.value.id);
    expect(impact).toMatchObject({
      ok: true,
      value: {
        seats: 6,
        byStatus: { cancelled: 3, flagged: 3 },
        releasedCents: 3 * (late.unitTuitionCents + 1_800_000),
      },
    });
  });
});

describe('hold, and release when a relief takes effect', () => {
  it('holds seats, then returns those not started to their previous status; cancelled stay cancelled', async () => {
    now = '2020-06-15T10:00:00.000Z';
    const a = await line('BRA', 'B171005', 2, '2020-08-03');
    const b = await line('BRA', 'D177001', 1, '2020-09-14');
    expect((await moveSeat(db.ctx, pm, a.seats[0]!.id, 'nominated')).ok).toBe(true);
    const held = await recordRestriction(db.ctx, pm, suspension('BRA', '2020-07-01', 'hold'));
    if (!held.ok) throw new Error(held.error.message);
    expect(held.value.impact.byStatus).toEqual({ held: 3 });
    const heldSeats = await listSeats(db.ctx, systemActor('test'), {
      country: 'BRA',
      fiscalYear: 2020,
      status: 'held',
    });
    expect(heldSeats.ok && heldSeats.value.map((s) => s.heldOn)).toEqual([
      '2020-07-01',
      '2020-07-01',
      '2020-07-01',
    ]);
    const cancelled = await cancelSeat(db.ctx, pm, b.seats[0]!.id, {
      reason: 'partner-request',
      on: '2020-07-01',
    });
    // DLIELC General English is a dedicated course: the partner's cancellation costs 100% of tuition.
    expect(cancelled).toMatchObject({
      ok: true,
      value: {
        status: 'cancelled',
        penaltyCents: b.unitTuitionCents,
        cancellationReason: 'partner-request',
      },
    });
    now = '2020-07-20T10:00:00.000Z';
    const preview = await recordRelief(
      db.ctx,
      pm,
      held.value.id,
      {
        type: 'exception',
        programs: ['IMET'],
        from: '2020-07-20',
        authority: 'Secretary of State',
        justification: 'resume',
      },
      { dryRun: true },
    );
    const relief = await recordRelief(db.ctx, pm, held.value.id, {
      type: 'exception',
      programs: ['IMET'],
      from: '2020-07-20',
      authority: 'Secretary of State',
      justification: 'resume',
    });
    if (!relief.ok || !preview.ok) throw new Error('relief refused');
    expect(relief.value.impact.changes.map((c) => [c.seatId, c.kind, c.to])).toEqual([
      [a.seats[0]!.id, 'release', 'nominated'],
      [a.seats[1]!.id, 'release', 'programmed'],
    ]);
    expect(preview.value.impact.changes).toEqual(relief.value.impact.changes);
    const released = await listSeats(db.ctx, systemActor('test'), {
      country: 'BRA',
      fiscalYear: 2020,
    });
    expect(released.ok && released.value.map((s) => [s.status, s.heldOn])).toEqual([
      ['nominated', null],
      ['programmed', null],
      ['cancelled', '2020-07-01'],
    ]);
    // Ending the relief holds them again, from the day it ends.
    const ended = await endRelief(db.ctx, pm, relief.value.relief.id, '2020-08-01');
    expect(ended.ok && ended.value.impact.byStatus).toEqual({ held: 2 });
    expect(ended.ok && ended.value.impact.changes.map((c) => c.on)).toEqual([
      '2020-08-01',
      '2020-08-01',
    ]);
  });

  it('a relief recorded years later from 2020-05-10 returns a seat held for a class of 2020-06-01 (issue #10)', async () => {
    now = '2020-01-20T10:00:00.000Z';
    const l = await line('PER', 'B171005', 1, '2020-06-01');
    const held = await recordRestriction(db.ctx, pm, suspension('PER', '2020-02-01', 'hold'));
    if (!held.ok) throw new Error(held.error.message);
    expect(held.value.impact.changes).toMatchObject([
      { seatId: l.seats[0]!.id, kind: 'hold', on: '2020-02-01' },
    ]);
    now = '2026-03-01T10:00:00.000Z';
    const relief = await recordRelief(db.ctx, pm, held.value.id, {
      type: 'exception',
      programs: ['IMET'],
      from: '2020-05-10',
      authority: 'Secretary of State',
      justification: 'resume',
    });
    if (!relief.ok) throw new Error(relief.error.message);
    expect(relief.value.impact.changes).toEqual([
      {
        kind: 'release',
        seatId: l.seats[0]!.id,
        from: 'held',
        to: 'programmed',
        on: '2020-05-10',
        restrictionId: null,
        reason:
          'eligible again for IMET from 2020-05-10 (class starts 2020-06-01): returned to programmed',
        penaltyCents: 0,
      },
    ]);
    const seats = await listSeats(db.ctx, systemActor('test'), {
      country: 'PER',
      fiscalYear: 2020,
    });
    expect(seats.ok && seats.value.map((s) => [s.status, s.heldOn])).toEqual([
      ['programmed', null],
    ]);
  });
});

describe('seat rules through the service', () => {
  it('refuses a transition not allowed, and a stale version, changing nothing (SCENARIOS #13)', async () => {
    now = '2020-06-15T10:00:00.000Z';
    const l = await line('CHL', 'B171005', 1, '2020-08-03');
    const seat = l.seats[0]!;
    expect(await moveSeat(db.ctx, pm, seat.id, 'in-training')).toMatchObject({
      ok: false,
      error: { code: 'RULE.REFUSED', reason: 'SEAT.TRANSITION' },
    });
    expect(await moveSeat(db.ctx, pm, seat.id, 'nominated', seat.version)).toMatchObject({
      ok: true,
      value: { status: 'nominated', version: seat.version + 1 },
    });
    const second = await moveSeat(
      db.ctx,
      { id: 'user:other', role: 'sco', countries: ['CHL'] },
      seat.id,
      'held',
      seat.version,
    );
    expect(second).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'SEAT.STALE' } });
    const reloaded = await listSeats(db.ctx, systemActor('test'), {
      country: 'CHL',
      fiscalYear: 2020,
    });
    expect(reloaded.ok && reloaded.value.map((s) => s.status)).toEqual(['nominated']);
  });

  it('refuses a line with bad input or for a program not eligible at class start', async () => {
    const base = {
      country: 'CHL',
      fiscalYear: 2020,
      course: 'B171005',
      seats: 1,
      classStart: '2020-08-03',
      priority: 'A',
    };
    expect(await addLine(db.ctx, pm, { ...base, seats: 0 })).toMatchObject({
      ok: false,
      error: { field: 'seats' },
    });
    expect(await addLine(db.ctx, pm, { ...base, classStart: '2020-10-01' })).toMatchObject({
      ok: false,
      error: { field: 'start' },
    });
    expect(await addLine(db.ctx, pm, { ...base, course: 'NOPE' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'course' },
    });
    expect(await addLine(db.ctx, pm, { ...base, priority: 'C' })).toMatchObject({
      ok: false,
      error: { field: 'priority' },
    });
    expect(await addLine(db.ctx, pm, { ...base, country: 'AUT' })).toMatchObject({
      ok: false,
      error: { reason: 'LINE.NOT_ELIGIBLE' },
    });
  });
});

describe('the demo Pakistan story', () => {
  it('has the 66 FY2018 seats cancelled by the 2018 suspension, none penalised', async () => {
    const seats = await listSeats(db.ctx, systemActor('test'), {
      country: 'PAK',
      fiscalYear: 2018,
      status: 'cancelled',
    });
    if (!seats.ok) throw new Error(seats.error.message);
    expect(seats.value).toHaveLength(66);
    expect(new Set(seats.value.map((s) => s.restrictionId))).toEqual(
      new Set(['rst_pak-policy-2018']),
    );
    expect(seats.value.every((s) => s.penaltyCents === 0 && s.classStart >= '2018-08-01')).toBe(
      true,
    );
    // Dated the day the IMET exception ended, not the day the demo was loaded (issue #10).
    expect(new Set(seats.value.map((s) => s.cancelledOn))).toEqual(new Set(['2018-08-01']));
    const impact = await restrictionImpact(db.ctx, systemActor('test'), 'rst_pak-policy-2018');
    expect(impact.ok && impact.value.releasedCents).toBe(241_113_000);
  });
});

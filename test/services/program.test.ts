// List checks of a country's training list (SCENARIOS #9) and the end-of-year view (SCENARIOS #12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { setAllocation } from '../../src/services/training/allocation.service.js';
import { checkProgram, endOfYear } from '../../src/services/training/program.service.js';
import { addLine, cancelSeat } from '../../src/services/training/training.service.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { systemActor } from '../../src/core/actor.js';

let db: TestDatabase;
const pm: Actor = { id: 'user:pm', role: 'program-manager' };

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => '2020-03-01T10:00:00.000Z' });
});
afterAll(async () => db.close());

async function allocate(country: string, cents: number) {
  const r = await setAllocation(db.ctx, pm, {
    country,
    program: 'IMET',
    fiscalYear: 2020,
    amountCents: cents,
    reason: 'test',
  });
  if (!r.ok) throw new Error(r.error.message);
}

async function line(
  country: string,
  course: string,
  priority: string,
  allowanceCents = 0,
  seats = 1,
) {
  const r = await addLine(db.ctx, pm, {
    country,
    fiscalYear: 2020,
    course,
    seats,
    classStart: '2020-08-03',
    priority,
    allowanceCents,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const check = (c: { checks: readonly { rule: string; ok: boolean }[] }, rule: string) =>
  c.checks.find((x) => x.rule === rule);

describe('list checks', () => {
  it('fails PME at 49.99% of the allocation, with the numbers', async () => {
    const first = await line('GHA', 'B171005', 'A');
    // Make the PME line cost a multiple of 4,999 cents, and the allocation 10,000 per 4,999: exactly 49.99%.
    const multiple = Math.ceil((first.unitTuitionCents + 1) / 4_999);
    const cancelled = await cancelSeat(db.ctx, pm, first.seats[0]!.id, { reason: 'class-deleted' });
    if (!cancelled.ok) throw new Error(cancelled.error.message);
    await line('GHA', 'B171005', 'A', multiple * 4_999 - first.unitTuitionCents);
    await allocate('GHA', multiple * 10_000);
    const result = await checkProgram(db.ctx, systemActor('test'), 'GHA', 2020);
    if (!result.ok) throw new Error(result.error.message);
    expect(check(result.value, 'PME_AT_LEAST_HALF')).toMatchObject({
      ok: false,
      message: expect.stringContaining('are 49.99% of the'),
      numbers: { pmeCents: multiple * 4_999, allocationCents: multiple * 10_000 },
    });
    expect(result.value.ok).toBe(false);
    expect(result.value.funds).toMatchObject({
      allocationCents: multiple * 10_000,
      releasedCents: first.unitTuitionCents,
      committedCents: multiple * 4_999,
    });
    await allocate('GHA', multiple * 9_998);
    const exactlyHalf = await checkProgram(db.ctx, systemActor('test'), 'GHA', 2020);
    expect(exactlyHalf.ok && check(exactlyHalf.value, 'PME_AT_LEAST_HALF')?.ok).toBe(true);
  });

  it('fails priority A above 100% of the allocation', async () => {
    const l = await line('SEN', 'B171005', 'A');
    await allocate('SEN', l.unitTuitionCents - 1);
    const over = await checkProgram(db.ctx, systemActor('test'), 'SEN', 2020);
    expect(over.ok && check(over.value, 'PRIORITY_A_WITHIN_ALLOCATION')).toMatchObject({
      ok: false,
      numbers: { priorityACents: l.unitTuitionCents, allocationCents: l.unitTuitionCents - 1 },
    });
    await allocate('SEN', l.unitTuitionCents);
    const within = await checkProgram(db.ctx, systemActor('test'), 'SEN', 2020);
    expect(within.ok && check(within.value, 'PRIORITY_A_WITHIN_ALLOCATION')?.ok).toBe(true);
  });

  it('totals by priority and category', async () => {
    const result = await checkProgram(db.ctx, systemActor('test'), 'SEN', 2020);
    expect(result.ok && result.value.totals.byCategory.PME).toBeGreaterThan(0);
    expect(result.ok && result.value.totals.byPriority.B).toBe(0);
  });
});

describe('end of year', () => {
  it('lists released and unprogrammed money, and only priority B PME or E-IMET lines to take it', async () => {
    await allocate('TUN', 20_000_000);
    const b = await line('TUN', 'B171005', 'B');
    await line('TUN', 'D177001', 'B');
    await line('TUN', 'P176019', 'B');
    const result = await endOfYear(db.ctx, systemActor('test'), 2020);
    if (!result.ok) throw new Error(result.error.message);
    const tun = result.value.countries.find((c) => c.country === 'TUN');
    expect(tun).toMatchObject({ country: 'TUN', releasedCents: 0 });
    expect(tun!.unprogrammedCents).toBeGreaterThan(0);
    const candidates = result.value.candidates
      .filter((c) => c.country === 'TUN')
      .map((c) => c.courseId);
    expect(candidates.sort()).toEqual(['B171005', 'P176019']);
    expect(result.value.candidates.some((c) => c.lineId === b.id)).toBe(true);
    expect(result.value.countries.find((c) => c.country === 'GHA')!.releasedCents).toBeGreaterThan(
      0,
    );
  });
});

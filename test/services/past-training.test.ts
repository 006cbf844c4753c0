// Instruction received before Attaché kept the seat: a user's write of its own, audited, checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { getParticipantRecord } from '../../src/services/students/participant.service.js';
import { recordPastTraining } from '../../src/services/students/past-training.service.js';
import { addStudent } from '../../src/services/students/student.service.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { systemActor } from '../../src/core/actor.js';

let db: TestDatabase;
const sco: Actor = { id: 'user:sco', role: 'sco', countries: ['JOR', 'PAK'] };

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => '2021-03-01T10:00:00.000Z' });
});
afterAll(async () => db.close());

describe('past training', () => {
  it('appends a course taken before the record was kept, with its audit entry', async () => {
    const student = await addStudent(db.ctx, sco, {
      country: 'JOR',
      familyName: 'NASSER',
      givenNames: 'Omar',
    });
    if (!student.ok) throw new Error(student.error.message);
    const before = await countAuditEntries(db.ctx.store.db);
    const recorded = await recordPastTraining(db.ctx, sco, {
      student: student.value.id,
      course: 'B171301',
      startedOn: '2012-01-09',
      endedOn: '2012-06-08',
      outcome: 'not-completed',
      cause: 'withdrawn',
    });
    expect(recorded).toMatchObject({ ok: true, value: { program: 'IMET', cause: 'withdrawn' } });
    expect(await countAuditEntries(db.ctx.store.db)).toBe(before + 1);
    const record = await getParticipantRecord(db.ctx, systemActor('test'), student.value.id);
    expect(record.ok && JSON.stringify(record.value)).toContain('2012-06-08');
  });

  it.each([
    [{ endedOn: '2022-01-01' }, 'endedOn'],
    [{ endedOn: '2011-01-01' }, 'endedOn'],
    [{ outcome: 'completed', cause: 'failed' }, 'cause'],
    [{ outcome: 'not-completed' }, 'cause'],
    [{ program: 'BOGUS' }, 'program'],
  ])('refuses %o naming %s', async (change, field) => {
    const result = await recordPastTraining(db.ctx, sco, {
      student: 'stu_nope',
      course: 'B171301',
      startedOn: '2012-01-09',
      endedOn: '2012-06-08',
      outcome: 'completed',
      ...change,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID', field } });
  });

  it('refuses an unknown student or course as not found', async () => {
    const input = {
      course: 'B171301',
      startedOn: '2012-01-09',
      endedOn: '2012-06-08',
      outcome: 'completed',
    };
    expect(await recordPastTraining(db.ctx, sco, { ...input, student: 'stu_nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

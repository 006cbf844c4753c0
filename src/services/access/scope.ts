// Scope on the one road (DESIGN §2): what an SCO (their countries) or an IMSO (their schools) may
// see and touch. A record outside the caller's scope is answered as not found, so its existence
// does not leak; a country or school the caller names in a new record is refused as not theirs.
import { seesCountry, seesSchool, seesSeat, seesStudent } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { err, notFound, ok, type DomainError, type Result } from '../../core/result.js';
import type { Executor } from '../../store/database.js';
import { findStudent, schoolsOfStudent } from '../../store/student.repository.js';
import { findSeatView } from '../../store/training.repository.js';

/** Whether the actor sees this seat: an SCO by its country, an IMSO by its course's school. */
export function seatVisible(actor: Actor, seat: { country: string; schoolId: string }): boolean {
  return seesSeat(actor, { country: seat.country, school: seat.schoolId });
}

/** Whether the actor sees this student: an SCO by country, an IMSO where the student has a seat. */
export async function studentVisible(
  db: Executor,
  actor: Actor,
  student: { id: string; country: string },
): Promise<boolean> {
  if (seesCountry(actor, student.country)) return true;
  if (actor.role !== 'imso') return false;
  return seesStudent(actor, {
    country: student.country,
    schools: await schoolsOfStudent(db, student.id),
  });
}

function outOfScope(actor: Actor, what: string, field: string): DomainError {
  return {
    code: 'FORBIDDEN',
    reason: 'ACCESS.OUT_OF_SCOPE',
    field,
    message: `${what} is outside your scope (${actor.role}${scopeText(actor)})`,
  };
}

function scopeText(actor: Actor): string {
  const scope = [...(actor.countries ?? []), ...(actor.schools ?? [])];
  return scope.length === 0 ? '' : `: ${scope.join(', ')}`;
}

/** A write naming a country (a new line, student, unit vetting) must name one of the caller's. */
export function countryInScope(actor: Actor, iso3: string, field = 'country'): Result<void> {
  return seesCountry(actor, iso3)
    ? ok(undefined)
    : err(outOfScope(actor, `country ${iso3}`, field));
}

/** A write naming a school must name one of the caller's. */
export function schoolInScope(actor: Actor, schoolId: string, field = 'school'): Result<void> {
  return seesSchool(actor, schoolId)
    ? ok(undefined)
    : err(outOfScope(actor, `school ${schoolId}`, field));
}

/** A seat named by id in a write: not found when it exists outside the actor's scope. */
export async function guardSeat(
  tx: Executor,
  actor: Actor,
  seatId: string,
  field = 'seat',
): Promise<Result<void>> {
  const seat = await findSeatView(tx, seatId);
  return seat !== undefined && !seatVisible(actor, seat)
    ? err(notFound('seat', seatId, field))
    : ok(undefined);
}

/** A student named by id in a write: not found when they exist outside the actor's scope. */
export async function guardStudent(
  tx: Executor,
  actor: Actor,
  studentId: string,
  field = 'student',
): Promise<Result<void>> {
  const student = await findStudent(tx, studentId);
  return student !== undefined && !(await studentVisible(tx, actor, student))
    ? err(notFound('student', studentId, field))
    : ok(undefined);
}

/** Runs `work` once every check passed; else the first refusal. */
export async function inScope<T>(
  checks: readonly (Result<void> | Promise<Result<void>>)[],
  work: () => Promise<Result<T>>,
): Promise<Result<T>> {
  for (const check of checks) {
    const passed = await check;
    if (!passed.ok) return passed;
  }
  return work();
}

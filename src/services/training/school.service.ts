// Use cases of the schools that run catalog courses: listed, and added under a military department.
import type { Actor } from '../../core/actor.js';
import { err, ok, type Result } from '../../core/result.js';
import { MILITARY_DEPARTMENTS } from '../../core/training.js';
import { findSchoolRow, listSchoolRows } from '../../store/catalog-admin.repository.js';
import { insertSchool } from '../../store/catalog.repository.js';
import { checkId } from './catalog-input.js';
import { checkText, oneOf } from '../field-input.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface School {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly department: string;
}
export type SchoolInput = School;

/** Every school, in id order. */
export async function listSchools(ctx: AppContext): Promise<School[]> {
  return listSchoolRows(ctx.store.db);
}

/** Adds a school; refused with SCHOOL.DUPLICATE when its id is taken. */
export async function addSchool(
  ctx: AppContext,
  actor: Actor,
  input: SchoolInput,
): Promise<Result<School>> {
  const school = parseSchool(input);
  if (!school.ok) return school;
  return writeTransaction(ctx, actor, 'catalog.write', (tx) => applyAddSchool(tx, school.value));
}

/** Checks a school as an edge submits it. */
export function parseSchool(input: SchoolInput): Result<School> {
  const id = checkId('id', input.id);
  if (!id.ok) return id;
  const name = checkText('name', input.name);
  if (!name.ok) return name;
  const location = checkText('location', input.location);
  if (!location.ok) return location;
  const department = oneOf(
    'department',
    input.department,
    MILITARY_DEPARTMENTS,
    'military department',
  );
  if (!department.ok) return department;
  return ok({
    id: id.value,
    name: name.value,
    location: location.value,
    department: department.value,
  });
}

/** Adds a school inside `tx`; refused with SCHOOL.DUPLICATE when its id is taken. */
export async function applyAddSchool(
  tx: Executor,
  school: School,
): Promise<Result<WorkOutcome<School>>> {
  if ((await findSchoolRow(tx, school.id)) !== undefined) {
    return err({
      code: 'CONFLICT',
      reason: 'SCHOOL.DUPLICATE',
      field: 'id',
      message: `school ${school.id} already exists`,
    });
  }
  await insertSchool(tx, school);
  return ok({
    value: school,
    audit: [{ action: 'school.add', entityType: 'school', entityId: school.id, after: school }],
  });
}

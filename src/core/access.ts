// Who may do what (DESIGN §2): what each role may write, and which countries and schools an actor
// sees. Pure: services ask these questions on the one road, for every read and every write.
import type { Actor, Role } from './actor.js';
import type { DomainError } from './result.js';

/** The kinds of write a role may be granted. */
export const CAPABILITIES = [
  'restrictions.write',
  'allocations.write',
  'catalog.write',
  'training.write',
  'students.write',
  'school-events.write',
  'users.manage',
  'reference.write',
  'audit.read',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const GRANTS: Readonly<Record<Role, readonly Capability[]>> = {
  admin: CAPABILITIES,
  'program-manager': [
    'restrictions.write',
    'allocations.write',
    'catalog.write',
    'training.write',
    'students.write',
    'school-events.write',
    'audit.read',
  ],
  sco: ['training.write', 'students.write'],
  imso: ['school-events.write'],
  analyst: ['audit.read'],
};

/** What each capability lets a role do, for people (errors, docs). */
const DOING: Readonly<Record<Capability, string>> = {
  'restrictions.write': 'record restrictions, reliefs and notifications',
  'allocations.write': 'set allocations',
  'catalog.write': 'change schools and courses',
  'training.write': 'program training lines and seats',
  'students.write': 'record students, nominations, screenings and travel orders',
  'school-events.write': 'report school events',
  'users.manage': 'manage accounts and tokens',
  'reference.write': 'change reference data',
  'audit.read': 'read the audit log',
};

export function can(actor: Actor, capability: Capability): boolean {
  return GRANTS[actor.role].includes(capability);
}

/** Roles holding a capability (for the role table in docs and tests). */
export function rolesWith(capability: Capability): Role[] {
  return (Object.keys(GRANTS) as Role[]).filter((role) => GRANTS[role].includes(capability));
}

/** A refusal for a role that lacks the capability (403: the caller knows what it asked to do). */
export function forbidden(actor: Actor, capability: Capability): DomainError {
  return {
    code: 'FORBIDDEN',
    reason: 'ACCESS.FORBIDDEN',
    message: `the ${actor.role} role may not ${DOING[capability]}`,
    details: { role: actor.role, capability },
  };
}

/** Roles that see every country and school. */
export function seesAll(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'program-manager' || actor.role === 'analyst';
}

/** Whether the actor sees records of this country (an SCO: only their countries). */
export function seesCountry(actor: Actor, iso3: string): boolean {
  return seesAll(actor) || (actor.role === 'sco' && (actor.countries ?? []).includes(iso3));
}

/** Whether the actor sees records of this school (an IMSO: only their schools). */
export function seesSchool(actor: Actor, schoolId: string): boolean {
  return seesAll(actor) || (actor.role === 'imso' && (actor.schools ?? []).includes(schoolId));
}

/** A seat (or line) belongs to its country and to the school of its course. */
export function seesSeat(actor: Actor, seat: { country: string; school: string }): boolean {
  return seesCountry(actor, seat.country) || seesSchool(actor, seat.school);
}

/** A student belongs to their country and to every school where they hold or held a seat. */
export function seesStudent(
  actor: Actor,
  student: { country: string; schools: readonly string[] },
): boolean {
  return seesCountry(actor, student.country) || student.schools.some((s) => seesSchool(actor, s));
}

/**
 * The filter a list applies for an actor: null when the actor sees all, else the countries and
 * schools in scope (a record in either is shown).
 */
export function scopeFilter(
  actor: Actor,
): { readonly countries: readonly string[]; readonly schools: readonly string[] } | null {
  if (seesAll(actor)) return null;
  return {
    countries: actor.role === 'sco' ? (actor.countries ?? []) : [],
    schools: actor.role === 'imso' ? (actor.schools ?? []) : [],
  };
}

// Who performs an action: every write is attributed to an actor, and scope limits what they see.

export const ROLES = ['admin', 'program-manager', 'sco', 'imso', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do (DESIGN §2). */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  admin: 'all: manage users, roles, reference data',
  'program-manager':
    'all countries: record restrictions, reliefs, notifications, allocations, catalog; read all',
  sco: 'own countries: program training lines, nominate and screen students, issue ITOs, record careers',
  imso: 'own schools: report arrival, progress, completion, absence of students',
  analyst: 'all, read-only: reports, audit log, eligibility queries',
};

export interface Actor {
  /** Stable identifier written to the audit log, e.g. `user:alice` or `system:demo`. */
  readonly id: string;
  readonly role: Role;
  /** Countries (ISO3) an SCO may touch; absent for roles that see all countries. */
  readonly countries?: readonly string[];
  /** Schools an IMSO may touch. */
  readonly schools?: readonly string[];
}

/** The actor for writes the system makes by itself (reference data, demo data). */
export function systemActor(task: string): Actor {
  return { id: `system:${task}`, role: 'admin' };
}

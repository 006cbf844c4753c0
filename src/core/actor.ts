// Who performs an action: every write is attributed to an actor, and scope limits what they see.

export const ROLES = ['admin', 'program-manager', 'sco', 'imso', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

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

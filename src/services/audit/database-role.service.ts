// The application's own PostgreSQL role: granted what it needs, and never what would let it rewrite
// the audit log or disarm its guard (DESIGN §6): another role, the migrations' owner, owns them.
import type { Actor } from '../../core/actor.js';
import { err, invalid, notFound, ok, refused, type Result } from '../../core/result.js';
import {
  APPEND_ONLY_TABLES,
  grantApplicationRole,
  readRoleFacts,
} from '../../store/database-grants.repository.js';
import type { AppContext } from '../context.js';
import { writeTransaction } from '../unit-of-work.js';

export interface AppRoleGrant {
  readonly role: string;
  /** The role that owns the tables (and ran the grant). */
  readonly owner: string;
  /** Tables the role may read and write. */
  readonly tables: number;
  /** Tables it may only read and append to. */
  readonly appendOnly: readonly string[];
}

const ROLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Grants `role` what the application needs, run as the owner of the tables (the role migrations run
 * as). Refused for a role that could act as the owner whatever it is granted: the owner itself, a
 * member of it, a superuser, a role that can create roles.
 */
export async function grantAppRole(
  ctx: AppContext,
  actor: Actor,
  role: string,
): Promise<Result<AppRoleGrant>> {
  if (ctx.store.backend !== 'postgres') {
    return err(
      invalid(
        'role',
        'the embedded database has one user and no roles to keep apart: grant-app-role is for PostgreSQL (DATABASE_URL, connected as the owner of the tables)',
      ),
    );
  }
  if (!ROLE_NAME.test(role))
    return err(invalid('role', `${JSON.stringify(role)} is not a plain PostgreSQL role name`));
  const facts = await readRoleFacts(ctx.store.db, role);
  if (facts === undefined) return err(notFound('role', role, 'role'));
  if (facts.owner !== facts.current) {
    return err(
      refused(
        'ROLE.NOT_OWNER',
        'role',
        `run this as the owner of the tables (${facts.owner ?? 'nobody'}), not as ${facts.current}: connect with the owner's DATABASE_URL`,
      ),
    );
  }
  const why =
    facts.role === facts.current
      ? 'owns the tables (it is the role running this)'
      : facts.superuser
        ? 'is a superuser'
        : facts.memberOfCurrent
          ? `is a member of ${facts.current}, the owner`
          : facts.createRole
            ? 'can create roles, and so make itself a member of the owner'
            : undefined;
  if (why !== undefined) {
    return err(
      refused(
        'ROLE.TOO_STRONG',
        'role',
        `${role} ${why}: it could disable the audit log's guard whatever it is granted; give the application a plain role of its own`,
      ),
    );
  }
  return writeTransaction(ctx, actor, 'users.manage', async (tx) => {
    const tables = await grantApplicationRole(tx, role);
    const grant: AppRoleGrant = {
      role,
      owner: facts.current,
      tables,
      appendOnly: APPEND_ONLY_TABLES,
    };
    return ok({
      value: grant,
      audit: [
        { action: 'db.grant-app-role', entityType: 'database-role', entityId: role, after: grant },
      ],
    });
  });
}

// PostgreSQL roles: what the application's role is granted, so that it can append to the audit log
// but never rewrite it, nor disarm the trigger that guards it (it owns nothing).
import { sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';

/** Tables the application appends to and never changes: their guard triggers refuse it too. */
export const APPEND_ONLY_TABLES = ['audit_log', 'human_rights_findings'] as const;

export interface RoleFacts {
  /** The role running this (it must own the tables to grant on them). */
  readonly current: string;
  /** Who owns the audit log. */
  readonly owner: string | null;
  readonly role: string;
  readonly superuser: boolean;
  /** It can make roles: in PostgreSQL 15 and earlier, that includes joining the owner's. */
  readonly createRole: boolean;
  /** It is a member of the current role (the owner), so it shares its ownership. */
  readonly memberOfCurrent: boolean;
}

export async function readRoleFacts(db: Executor, role: string): Promise<RoleFacts | undefined> {
  const [facts] = await queryRows<RoleFacts>(
    db,
    sql`select current_user as "current",
          (select tableowner from pg_tables where schemaname = 'public' and tablename = 'audit_log') as "owner",
          r.rolname as "role", r.rolsuper as "superuser", r.rolcreaterole as "createRole",
          pg_has_role(r.oid, current_user, 'MEMBER') as "memberOfCurrent"
        from pg_roles r where r.rolname = ${role}`,
  );
  return facts;
}

/**
 * Grants `role` what the application does: read and write the records, read and append to the
 * append-only tables (no UPDATE, DELETE or TRUNCATE), read the migrations table; and, through
 * default privileges, the same on tables the current role creates later. Idempotent.
 */
export async function grantApplicationRole(tx: Executor, role: string): Promise<number> {
  const who = sql.identifier(role);
  await tx.execute(sql`grant usage on schema public to ${who}`);
  await tx.execute(sql`grant usage on schema drizzle to ${who}`);
  await tx.execute(sql`grant select on all tables in schema drizzle to ${who}`);
  await tx.execute(
    sql`grant select, insert, update, delete on all tables in schema public to ${who}`,
  );
  await tx.execute(sql`grant usage, select on all sequences in schema public to ${who}`);
  for (const table of APPEND_ONLY_TABLES) {
    const t = sql.identifier(table);
    await tx.execute(sql`revoke update, delete, truncate, references, trigger on ${t} from ${who}`);
    await tx.execute(sql`revoke all on ${t} from public`);
  }
  await tx.execute(
    sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${who}`,
  );
  await tx.execute(
    sql`alter default privileges in schema public grant usage, select on sequences to ${who}`,
  );
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from pg_tables where schemaname = 'public'`,
  );
  return Number(row?.n ?? 0);
}

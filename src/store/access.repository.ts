// Accounts, their scopes, sessions, API tokens and failed sign-ins (DESIGN §2). Secrets are never
// stored: sessions and tokens are found by the sha256 of the secret the client holds.
import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Role } from '../core/actor.js';
import type { Executor } from './database.js';
import { apiTokens, loginFailures, oidcFlows, sessions, userScopes, users } from './schema.js';

export type UserRow = typeof users.$inferSelect;

/** A timestamp as the database gives it, as an ISO 8601 instant (UTC, milliseconds). */
function iso(value: string): string;
function iso(value: string | null): string | null;
function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** An account with its scopes: what an actor is made of. */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly countries: readonly string[];
  readonly schools: readonly string[];
  readonly passwordHash: string | null;
  readonly oidcSubject: string | null;
  readonly disabledAt: string | null;
  readonly createdAt: string;
}

export async function insertUser(
  db: Executor,
  user: typeof users.$inferInsert,
  scopes: { readonly countries: readonly string[]; readonly schools: readonly string[] },
): Promise<void> {
  await db.insert(users).values(user);
  const rows = [
    ...scopes.countries.map((iso3) => ({ userId: user.id, countryIso3: iso3, schoolId: null })),
    ...scopes.schools.map((id) => ({ userId: user.id, countryIso3: null, schoolId: id })),
  ];
  if (rows.length > 0) await db.insert(userScopes).values(rows);
}

async function withScopes(db: Executor, rows: UserRow[]): Promise<Account[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const scopes = await db
    .select()
    .from(userScopes)
    .where(sql`${userScopes.userId} in ${ids}`);
  return rows.map((r) => {
    const own = scopes.filter((s) => s.userId === r.id);
    return {
      id: r.id,
      email: r.email,
      displayName: r.displayName,
      role: r.role as Role,
      countries: own.flatMap((s) => (s.countryIso3 === null ? [] : [s.countryIso3])).sort(),
      schools: own.flatMap((s) => (s.schoolId === null ? [] : [s.schoolId])).sort(),
      passwordHash: r.passwordHash,
      oidcSubject: r.oidcSubject,
      disabledAt: iso(r.disabledAt),
      createdAt: iso(r.createdAt),
    };
  });
}

export async function findAccountByEmail(
  db: Executor,
  email: string,
): Promise<Account | undefined> {
  const rows = await db.select().from(users).where(eq(users.email, email));
  return (await withScopes(db, rows))[0];
}

export async function findAccountBySubject(
  db: Executor,
  subject: string,
): Promise<Account | undefined> {
  const rows = await db.select().from(users).where(eq(users.oidcSubject, subject));
  return (await withScopes(db, rows))[0];
}

export async function findAccountById(db: Executor, id: string): Promise<Account | undefined> {
  const rows = await db.select().from(users).where(eq(users.id, id));
  return (await withScopes(db, rows))[0];
}

export async function listAccounts(db: Executor): Promise<Account[]> {
  return withScopes(db, await db.select().from(users).orderBy(asc(users.email)));
}

export async function countAccounts(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function setOidcSubject(db: Executor, userId: string, subject: string): Promise<void> {
  await db.update(users).set({ oidcSubject: subject }).where(eq(users.id, userId));
}

/**
 * Rewrites what a single sign-on says of an account: its login, name, role, subject and scopes
 * (the scopes replaced whole). Its password, if it had one, is dropped: the provider decides.
 */
export async function updateSsoUser(
  db: Executor,
  userId: string,
  user: {
    readonly email: string;
    readonly displayName: string;
    readonly role: Role;
    readonly oidcSubject: string;
  },
  scopes: { readonly countries: readonly string[]; readonly schools: readonly string[] },
): Promise<void> {
  await db
    .update(users)
    .set({ ...user, passwordHash: null })
    .where(eq(users.id, userId));
  await db.delete(userScopes).where(eq(userScopes.userId, userId));
  const rows = [
    ...scopes.countries.map((iso3) => ({ userId, countryIso3: iso3, schoolId: null })),
    ...scopes.schools.map((id) => ({ userId, countryIso3: null, schoolId: id })),
  ];
  if (rows.length > 0) await db.insert(userScopes).values(rows);
}

// Sessions

export async function insertSession(
  db: Executor,
  row: typeof sessions.$inferInsert,
): Promise<void> {
  await db.insert(sessions).values(row);
}

export interface SessionRow {
  readonly userId: string;
  readonly csrfHash: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
}

/** The live session with this secret hash, or nothing (expired sessions are not found). */
export async function findSession(
  db: Executor,
  secretHash: string,
  now: string,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select({
      userId: sessions.userId,
      csrfHash: sessions.csrfHash,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(and(eq(sessions.secretHash, secretHash), gt(sessions.expiresAt, now)));
  return row === undefined
    ? undefined
    : { ...row, lastSeenAt: iso(row.lastSeenAt), expiresAt: iso(row.expiresAt) };
}

export async function touchSession(
  db: Executor,
  secretHash: string,
  lastSeenAt: string,
): Promise<void> {
  await db.update(sessions).set({ lastSeenAt }).where(eq(sessions.secretHash, secretHash));
}

export async function deleteSession(db: Executor, secretHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.secretHash, secretHash));
}

/** Removes sessions past their absolute expiry or idle since `idleBefore`. */
export async function deleteDeadSessions(
  db: Executor,
  now: string,
  idleBefore: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(or(sql`${sessions.expiresAt} <= ${now}`, sql`${sessions.lastSeenAt} < ${idleBefore}`));
}

// API tokens

export async function insertToken(db: Executor, row: typeof apiTokens.$inferInsert): Promise<void> {
  await db.insert(apiTokens).values(row);
}

export type TokenRow = typeof apiTokens.$inferSelect;

function tokenRow(row: TokenRow): TokenRow {
  return {
    ...row,
    createdAt: iso(row.createdAt),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

export async function findTokenBySecret(
  db: Executor,
  secretHash: string,
): Promise<TokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.secretHash, secretHash));
  return row === undefined ? undefined : tokenRow(row);
}

export async function findToken(db: Executor, id: string): Promise<TokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row === undefined ? undefined : tokenRow(row);
}

export async function listTokens(db: Executor, userId?: string): Promise<TokenRow[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(userId === undefined ? undefined : eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  return rows.map(tokenRow);
}

/** Marks a live token revoked; false when it was already revoked (or does not exist). */
export async function revokeTokenRow(db: Executor, id: string, at: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length === 1;
}

export async function touchToken(db: Executor, id: string, at: string): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

// Single sign-ons under way

/** Records a redirect to the identity provider, first removing those past their time. */
export async function insertOidcFlow(
  db: Executor,
  row: typeof oidcFlows.$inferInsert,
): Promise<void> {
  await db.delete(oidcFlows).where(sql`${oidcFlows.expiresAt} <= ${row.createdAt}`);
  await db.insert(oidcFlows).values(row);
}

/**
 * Takes a flow: deletes it and says until when it was good, or nothing when it is unknown (or
 * taken already). One statement, so two callbacks racing on two servers cannot both have it.
 */
export async function takeOidcFlow(
  db: Executor,
  secretHash: string,
): Promise<{ readonly expiresAt: string } | undefined> {
  const [row] = await db
    .delete(oidcFlows)
    .where(eq(oidcFlows.secretHash, secretHash))
    .returning({ expiresAt: oidcFlows.expiresAt });
  return row === undefined ? undefined : { expiresAt: iso(row.expiresAt) };
}

// Failed sign-ins

export type LoginFailureRow = typeof loginFailures.$inferSelect;

export async function findLoginFailures(
  db: Executor,
  login: string,
): Promise<LoginFailureRow | undefined> {
  const [row] = await db.select().from(loginFailures).where(eq(loginFailures.login, login));
  return row === undefined
    ? undefined
    : { ...row, firstAt: iso(row.firstAt), lockedUntil: iso(row.lockedUntil) };
}

export async function saveLoginFailures(db: Executor, row: LoginFailureRow): Promise<void> {
  await db
    .insert(loginFailures)
    .values(row)
    .onConflictDoUpdate({
      target: loginFailures.login,
      set: { failures: row.failures, firstAt: row.firstAt, lockedUntil: row.lockedUntil },
    });
}

export async function clearLoginFailures(db: Executor, login: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.login, login));
}

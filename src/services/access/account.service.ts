// Accounts and API tokens (DESIGN §2): an admin adds people with a role and scopes; the password
// and every token are generated, shown once and kept only as hashes.
import { z } from 'zod';
import { ROLES, type Actor, type Role } from '../../core/actor.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import {
  findAccountByEmail,
  findAccountById,
  findToken,
  insertToken,
  insertUser,
  listAccounts,
  listTokens,
  revokeTokenRow,
  type Account,
  type TokenRow,
} from '../../store/access.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import { findSchoolRow } from '../../store/catalog-admin.repository.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { oneOf, parseDateField } from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';
import { generatePassword, generateSecret, hashPassword, sha256 } from './secrets.js';

/** An account as shown: never its password hash. */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly countries: readonly string[];
  readonly schools: readonly string[];
  readonly sso: boolean;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export function userView(a: Account): UserView {
  return {
    id: a.id,
    email: a.email,
    displayName: a.displayName,
    role: a.role,
    countries: a.countries,
    schools: a.schools,
    sso: a.oidcSubject !== null,
    disabled: a.disabledAt !== null,
    createdAt: a.createdAt,
  };
}

export interface UserInput {
  readonly email: string;
  readonly role: string;
  readonly name?: string | undefined;
  readonly countries?: readonly string[] | undefined;
  readonly schools?: readonly string[] | undefined;
}

export interface ParsedUser {
  readonly email: string;
  readonly role: Role;
  readonly displayName: string;
  readonly countries: readonly string[];
  readonly schools: readonly string[];
}

const EMAIL = z.email();

/** An email address as a login: trimmed, lower-cased, a plausible address. */
export function parseEmail(field: string, text: string): Result<string> {
  const email = text.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.safeParse(email).success)
    return err(invalid(field, `not an email address: ${text}`));
  return ok(email);
}

export function parseUser(input: UserInput): Result<ParsedUser> {
  const email = parseEmail('email', input.email);
  if (!email.ok) return email;
  const checkedRole = oneOf('role', input.role, ROLES, 'role');
  if (!checkedRole.ok) return checkedRole;
  const role = checkedRole.value;
  const countries = [...new Set((input.countries ?? []).map((c) => c.trim().toUpperCase()))];
  const schools = [...new Set((input.schools ?? []).map((s) => s.trim()))];
  if (role === 'sco' && countries.length === 0)
    return err(invalid('countries', 'an SCO serves one or more countries: give --countries'));
  if (role === 'imso' && schools.length === 0)
    return err(invalid('schools', 'an IMSO serves one or more schools: give --schools'));
  if (role !== 'sco' && countries.length > 0)
    return err(invalid('countries', `only an SCO is scoped by country (role ${role})`));
  if (role !== 'imso' && schools.length > 0)
    return err(invalid('schools', `only an IMSO is scoped by school (role ${role})`));
  const displayName = (input.name ?? '').trim() || email.value;
  if (displayName.length > 200) return err(invalid('name', 'at most 200 characters'));
  return ok({ email: email.value, role, displayName, countries, schools });
}

export interface UserCreated {
  readonly user: UserView;
  /** The generated password: shown once, never stored. */
  readonly password: string;
}

/**
 * Adds an account inside a write (the demo and `user add` share it). The password is generated
 * unless one is given (single sign-on accounts pass null: they have none).
 */
export async function applyAddUser(
  tx: Executor,
  ctx: AppContext,
  now: string,
  user: ParsedUser,
  password: string | null,
  oidcSubject: string | null = null,
): Promise<Result<WorkOutcome<UserView>>> {
  if ((await findAccountByEmail(tx, user.email)) !== undefined)
    return err({
      code: 'CONFLICT',
      reason: 'USER.EXISTS',
      field: 'email',
      message: `an account ${user.email} exists already`,
    });
  for (const iso3 of user.countries)
    if ((await findCountryRow(tx, iso3)) === undefined)
      return err(notFound('country', iso3, 'countries'));
  for (const id of user.schools)
    if ((await findSchoolRow(tx, id)) === undefined) return err(notFound('school', id, 'schools'));
  const id = ctx.newId('usr');
  await insertUser(
    tx,
    {
      id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      passwordHash: password === null ? null : await hashPassword(password),
      oidcSubject,
      createdAt: now,
    },
    user,
  );
  const created = await findAccountById(tx, id);
  if (created === undefined) throw new Error(`account ${id} vanished inside its transaction`);
  const view = userView(created);
  return ok({
    value: view,
    audit: [{ action: 'user.create', entityType: 'user', entityId: id, after: view }],
  });
}

export async function addUser(
  ctx: AppContext,
  actor: Actor,
  input: UserInput,
): Promise<Result<UserCreated>> {
  const parsed = parseUser(input);
  if (!parsed.ok) return parsed;
  const password = generatePassword();
  const added = await writeTransaction(ctx, actor, 'users.manage', (tx, now) =>
    applyAddUser(tx, ctx, now, parsed.value, password),
  );
  return added.ok ? ok({ user: added.value, password }) : added;
}

export async function listUsers(ctx: AppContext, actor: Actor): Promise<Result<UserView[]>> {
  if (actor.role !== 'admin') return err(forbiddenToManage(actor));
  return ok((await listAccounts(ctx.store.db)).map(userView));
}

function forbiddenToManage(actor: Actor) {
  return {
    code: 'FORBIDDEN' as const,
    reason: 'ACCESS.FORBIDDEN',
    message: `the ${actor.role} role may not manage accounts and tokens`,
  };
}

/** A token as listed: never its secret. */
export interface TokenView {
  readonly id: string;
  readonly email: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface TokenCreated {
  readonly id: string;
  /** The secret: shown once; only its sha256 is kept. */
  readonly token: string;
  readonly expiresAt: string | null;
}

/** The prefix of every API token, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'att';

export async function createToken(
  ctx: AppContext,
  actor: Actor,
  input: { readonly email: string; readonly expires?: string | undefined },
): Promise<Result<TokenCreated>> {
  const email = parseEmail('email', input.email);
  if (!email.ok) return email;
  let expiresAt: string | null = null;
  if (input.expires !== undefined) {
    const day = parseDateField('expires', input.expires);
    if (!day.ok) return day;
    expiresAt = `${day.value}T00:00:00.000Z`;
    if (expiresAt <= ctx.clock())
      return err(
        invalid('expires', `${day.value} is not in the future: a token must expire later`),
      );
  }
  const token = generateSecret(TOKEN_PREFIX);
  const id = ctx.newId('tok');
  const created = await writeTransaction(ctx, actor, 'users.manage', async (tx, now) => {
    const owner = await findAccountByEmail(tx, email.value);
    if (owner === undefined) return err(notFound('user', email.value, 'email'));
    await insertToken(tx, {
      id,
      secretHash: sha256(token),
      userId: owner.id,
      createdAt: now,
      expiresAt,
    });
    return ok({
      value: { id, token, expiresAt },
      audit: [
        {
          action: 'token.create',
          entityType: 'api-token',
          entityId: id,
          after: { id, user: owner.email, expiresAt },
        },
      ],
    });
  });
  return created;
}

export async function revokeToken(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<Result<TokenView>> {
  return writeTransaction(ctx, actor, 'users.manage', async (tx, now) => {
    const row = await findToken(tx, id);
    if (row === undefined) return err(notFound('token', id));
    if (!(await revokeTokenRow(tx, id, now)))
      return err({
        code: 'CONFLICT',
        reason: 'TOKEN.REVOKED',
        message: `token ${id} was revoked already (${row.revokedAt ?? ''})`,
      });
    const view = await tokenView(tx, { ...row, revokedAt: now });
    return ok({
      value: view,
      audit: [{ action: 'token.revoke', entityType: 'api-token', entityId: id, after: view }],
    });
  });
}

export async function listTokenViews(ctx: AppContext, actor: Actor): Promise<Result<TokenView[]>> {
  if (actor.role !== 'admin') return err(forbiddenToManage(actor));
  const rows = await listTokens(ctx.store.db);
  const views: TokenView[] = [];
  for (const row of rows) views.push(await tokenView(ctx.store.db, row));
  return ok(views);
}

async function tokenView(db: Executor, row: TokenRow): Promise<TokenView> {
  const owner = await findAccountById(db, row.userId);
  return {
    id: row.id,
    email: owner?.email ?? row.userId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

// Signing in and finding who a request acts for: cookie sessions (shared by every server through
// the database) and API tokens. A failure says only "not signed in", never which part was wrong.
import type { Actor } from '../../core/actor.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import {
  clearLoginFailures,
  deleteDeadSessions,
  deleteSession,
  findAccountByEmail,
  findAccountById,
  findLoginFailures,
  findSession,
  findTokenBySecret,
  insertSession,
  saveLoginFailures,
  touchSession,
  touchToken,
  type Account,
  type SessionRow,
  type TokenRow,
} from '../../store/access.repository.js';
import type { AppContext } from '../context.js';
import { userView, type UserView } from './account.service.js';
import { credentialKnownNow, forgetCredentials, rememberedCredential } from './credential-cache.js';
import { checkPassword, generateSecret, sameDigest, sha256 } from './secrets.js';

/** The actor an account acts as; `via` names the token when one is used. */
export function actorOf(account: Account, via?: string): Actor {
  return {
    id: via === undefined ? `user:${account.email}` : `user:${account.email}/${via}`,
    role: account.role,
    countries: account.countries,
    schools: account.schools,
  };
}

const NOT_SIGNED_IN: DomainError = {
  code: 'UNAUTHENTICATED',
  reason: 'ACCESS.UNAUTHENTICATED',
  message: 'sign in with a valid email and password',
};

export interface SignedIn {
  /** The session cookie's value: shown to this response only. */
  readonly secret: string;
  /** Echo it in X-CSRF-Token on every cookie-authenticated write. */
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly user: UserView;
}

const plusMinutes = (instant: string, minutes: number) =>
  new Date(Date.parse(instant) + minutes * 60_000).toISOString();

/**
 * Checks a password and opens a session. An unknown login and a wrong password answer alike
 * (and take as long); too many failures for a login, or from an address, lock it for a while.
 * The session presented with the request (if any) is ended: a sign-in always gets a new one.
 */
export async function signIn(
  ctx: AppContext,
  credentials: { readonly email: unknown; readonly password: unknown },
  from: { readonly address: string; readonly previousSecret?: string | undefined },
): Promise<Result<SignedIn>> {
  const now = ctx.clock();
  const email = typeof credentials.email === 'string' ? credentials.email.trim().toLowerCase() : '';
  const password = typeof credentials.password === 'string' ? credentials.password : '';
  const keys = [
    `address:${from.address}`,
    ...(email === '' ? [] : [`login:${email.slice(0, 254)}`]),
  ];
  for (const key of keys) {
    const row = await findLoginFailures(ctx.store.db, key);
    if (row?.lockedUntil != null && row.lockedUntil > now) return err(locked(row.lockedUntil, now));
  }
  const account =
    email === '' || email.length > 254 ? undefined : await findAccountByEmail(ctx.store.db, email);
  const good =
    password.length > 0 &&
    password.length <= 1024 &&
    (await checkPassword(password, account?.passwordHash ?? null)) &&
    account !== undefined &&
    account.disabledAt === null;
  if (!good || account === undefined) {
    for (const key of keys) await countFailure(ctx, key, now);
    return err(NOT_SIGNED_IN);
  }
  await clearLoginFailures(ctx.store.db, `login:${email}`);
  if (from.previousSecret !== undefined) await endSession(ctx, sha256(from.previousSecret));
  return ok(await openSession(ctx, account, now));
}

/** Opens a session for an account that proved who it is (password or single sign-on). */
export async function openSession(
  ctx: AppContext,
  account: Account,
  now: string,
): Promise<SignedIn> {
  const secret = generateSecret('ses');
  const csrfToken = generateSecret('csrf');
  const expiresAt = plusMinutes(now, ctx.access.sessionMaxHours * 60);
  await deleteDeadSessions(ctx.store.db, now, plusMinutes(now, -ctx.access.sessionIdleMinutes));
  await insertSession(ctx.store.db, {
    secretHash: sha256(secret),
    userId: account.id,
    csrfHash: sha256(csrfToken),
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { secret, csrfToken, expiresAt, user: userView(account) };
}

function locked(until: string, now: string): DomainError {
  return {
    code: 'TOO_MANY',
    reason: 'ACCESS.LOCKED',
    message: 'too many failed sign-ins: try again later',
    details: {
      retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(until) - Date.parse(now)) / 1000)),
    },
  };
}

async function countFailure(ctx: AppContext, key: string, now: string): Promise<void> {
  const policy = ctx.access;
  const max = key.startsWith('address:') ? policy.addressMaxFailures : policy.loginMaxFailures;
  const row = await findLoginFailures(ctx.store.db, key);
  const windowStart = plusMinutes(now, -policy.loginLockMinutes);
  const fresh = row === undefined || row.firstAt < windowStart;
  const failures = fresh ? 1 : row.failures + 1;
  await saveLoginFailures(ctx.store.db, {
    login: key,
    failures,
    firstAt: fresh ? now : row.firstAt,
    lockedUntil: failures >= max ? plusMinutes(now, policy.loginLockMinutes) : null,
  });
}

export async function signOut(ctx: AppContext, secret: string): Promise<void> {
  await endSession(ctx, sha256(secret));
}

/** Ends a session here and now: no remembered copy signs anyone in after it. */
async function endSession(ctx: AppContext, hash: string): Promise<void> {
  await deleteSession(ctx.store.db, hash);
  forgetCredentials(ctx.store);
}

export interface SessionActor {
  readonly actor: Actor;
  readonly csrfHash: string;
  readonly user: UserView;
}

/** Seconds between two writes of a session's last-seen time (reads would otherwise all write). */
const TOUCH_EVERY_MS = 60_000;

/** A session as read, with the account it signs in; `lastSeenAt` moves as this process touches it. */
type KnownSession = Omit<SessionRow, 'lastSeenAt'> & {
  lastSeenAt: string;
  readonly account: Account;
};

async function readSession(
  ctx: AppContext,
  hash: string,
  now: string,
): Promise<KnownSession | undefined> {
  const session = await findSession(ctx.store.db, hash, now);
  if (session === undefined) return undefined;
  const account = await findAccountById(ctx.store.db, session.userId);
  return account === undefined ? undefined : { ...session, account };
}

/** Who a session cookie signs in, or nothing when it is unknown, expired, idle or disabled. */
export async function sessionActor(
  ctx: AppContext,
  secret: string,
): Promise<SessionActor | undefined> {
  if (!/^ses_[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  const now = ctx.clock();
  const hash = sha256(secret);
  let session = await rememberedCredential(ctx.store, `session:${hash}`, () =>
    readSession(ctx, hash, now),
  );
  if (session === undefined || session.expiresAt <= now) return undefined;
  const idleBefore = plusMinutes(now, -ctx.access.sessionIdleMinutes);
  if (session.lastSeenAt < idleBefore) {
    // Another server may have seen it since this one remembered it: asked again before it ends.
    session = await readSession(ctx, hash, now);
    if (session === undefined) return undefined;
    if (session.lastSeenAt < idleBefore) {
      await endSession(ctx, hash);
      return undefined;
    }
  }
  const { account } = session;
  if (account.disabledAt !== null) return undefined;
  if (Date.parse(now) - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) {
    await touchSession(ctx.store.db, hash, now);
    session.lastSeenAt = now;
  }
  return { actor: actorOf(account), csrfHash: session.csrfHash, user: userView(account) };
}

/** Whether a CSRF token is the one issued with the session. */
export function csrfMatches(session: SessionActor, token: string | undefined): boolean {
  return token !== undefined && token.length < 200 && sameDigest(sha256(token), session.csrfHash);
}

/** A token as read, with the account it acts for; `lastUsedAt` moves as this process uses it. */
interface KnownToken {
  readonly token: TokenRow;
  readonly account: Account;
  lastUsedAt: string | null;
}

const TOKEN = /^att_[A-Za-z0-9_-]{43}$/;

/** Whether a known token's last use is to be noted now (once a minute at most). */
function useToNote(known: KnownToken, now: string): boolean {
  return (
    known.lastUsedAt === null || Date.parse(now) - Date.parse(known.lastUsedAt) > TOUCH_EVERY_MS
  );
}

/** Who a known token acts for at `now`, or null when it is revoked, expired or its account disabled. */
function actorOfToken(known: KnownToken, now: string): Actor | null {
  const { token: row, account } = known;
  if (row.revokedAt !== null || account.disabledAt !== null) return null;
  if (row.expiresAt !== null && row.expiresAt <= now) return null;
  return actorOf(account, `token:${row.id}`);
}

/**
 * tokenActor without waiting, when this process remembers the token and its last use was noted
 * less than a minute ago: who it acts for, or null when it is refused (revoked, expired, disabled);
 * undefined when tokenActor must be asked (not remembered, malformed, or its use to be noted).
 */
export function knownTokenActor(ctx: AppContext, token: string): Actor | null | undefined {
  if (!TOKEN.test(token)) return undefined;
  const known = credentialKnownNow<KnownToken>(ctx.store, `token:${sha256(token)}`);
  if (known === undefined) return undefined;
  const now = ctx.clock();
  return useToNote(known, now) ? undefined : actorOfToken(known, now);
}

/** Who an API token acts for, or nothing when it is unknown, revoked, expired or disabled. */
export async function tokenActor(ctx: AppContext, token: string): Promise<Actor | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const hash = sha256(token);
  const known = await rememberedCredential<KnownToken>(ctx.store, `token:${hash}`, async () => {
    const row = await findTokenBySecret(ctx.store.db, hash);
    const account = row === undefined ? undefined : await findAccountById(ctx.store.db, row.userId);
    return row === undefined || account === undefined
      ? undefined
      : { token: row, account, lastUsedAt: row.lastUsedAt };
  });
  const now = ctx.clock();
  if (known === undefined) return undefined;
  const actor = actorOfToken(known, now);
  if (actor === null) return undefined;
  if (useToNote(known, now)) {
    await touchToken(ctx.store.db, known.token.id, now);
    known.lastUsedAt = now;
  }
  return actor;
}

// The account behind a single sign-on (decision 011): found by the provider's subject, else linked
// by a verified email, else made; its role and scopes are the provider's at every sign-in.
import type { Actor } from '../../core/actor.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import type { SsoIdentity } from '../../core/sso-claims.js';
import {
  findAccountByEmail,
  findAccountById,
  findAccountBySubject,
  updateSsoUser,
  type Account,
} from '../../store/access.repository.js';
import { findSchoolRow } from '../../store/catalog-admin.repository.js';
import type { Executor } from '../../store/database.js';
import { findCountryRow } from '../../store/reference.repository.js';
import type { AppContext } from '../context.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';
import { applyAddUser, userView } from './account.service.js';

/**
 * The subject as stored: qualified by the issuer, since a `sub` is unique only at its provider. A
 * new provider's subjects then never match an old one's, however they are numbered.
 */
export function subjectKey(issuer: URL, subject: string): string {
  return `${issuer.href} ${subject}`;
}

function issuerOf(key: string): string {
  return key.slice(0, key.indexOf(' '));
}

function refusal(reason: string, message: string): DomainError {
  return { code: 'FORBIDDEN', reason, message };
}

const DISABLED = refusal(
  'SSO.DISABLED',
  'your Attaché account is disabled: ask your administrator',
);

/**
 * Who writes an account on the provider's word. The audit log names the person signing in; the
 * authority is the provider an operator configured, not the person's role (an SCO may not manage
 * accounts, yet signing in makes theirs), so the write runs with the account manager's rights.
 * It never leaves this module.
 */
function provisioner(identity: SsoIdentity): Actor {
  return { id: `user:${identity.email}`, role: 'admin' };
}

/**
 * Finds, links or makes the account of a signed-on person and brings it to what the provider
 * says, in one audited write. Refused, with nothing written: a disabled account; an account of
 * that email that the provider does not vouch for (`email_verified`), or that is linked to another
 * person at this provider; a country or school Attaché does not know.
 */
export async function provisionSsoAccount(
  ctx: AppContext,
  issuer: URL,
  identity: SsoIdentity,
): Promise<Result<Account>> {
  return writeTransaction(ctx, provisioner(identity), 'users.manage', (tx, now) =>
    applySsoSignIn(tx, ctx, now, issuer, identity),
  );
}

async function applySsoSignIn(
  tx: Executor,
  ctx: AppContext,
  now: string,
  issuer: URL,
  identity: SsoIdentity,
): Promise<Result<WorkOutcome<Account>>> {
  const scopes = await knownScopes(tx, identity);
  if (!scopes.ok) return scopes;
  const key = subjectKey(issuer, identity.subject);
  const linked = await findAccountBySubject(tx, key);
  if (linked !== undefined) {
    if (linked.disabledAt !== null) return err(DISABLED);
    if (linked.email !== identity.email) {
      const holder = await findAccountByEmail(tx, identity.email);
      if (holder !== undefined)
        return err(
          refusal(
            'SSO.EMAIL_TAKEN',
            `another Attaché account holds ${identity.email}, the address your identity provider now gives you: ask your administrator`,
          ),
        );
    }
    return update(tx, linked, key, identity, 'user.sso-update');
  }
  const same = await findAccountByEmail(tx, identity.email);
  if (same === undefined) return create(tx, ctx, now, key, identity);
  // An account of this email exists (an admin made it, or a provider used before). Joining it is
  // taking it over: only when the provider vouches for the address, and never from another
  // person at this provider.
  if (same.oidcSubject !== null && issuerOf(same.oidcSubject) === issuer.href)
    return err(
      refusal(
        'SSO.LINKED_ELSEWHERE',
        `the Attaché account ${identity.email} is joined to another sign-in at your identity provider: ask your administrator`,
      ),
    );
  if (!identity.emailVerified)
    return err(
      refusal(
        'SSO.EMAIL_UNVERIFIED',
        `an Attaché account ${identity.email} exists, and your identity provider does not confirm that address is yours: ask your administrator`,
      ),
    );
  if (same.disabledAt !== null) return err(DISABLED);
  return update(tx, same, key, identity, 'user.sso-link');
}

/** The countries and schools named must be Attaché's: a typo at the provider is refused, not kept. */
async function knownScopes(tx: Executor, identity: SsoIdentity): Promise<Result<void>> {
  for (const iso3 of identity.countries)
    if ((await findCountryRow(tx, iso3)) === undefined)
      return err(
        refusal(
          'SSO.UNKNOWN_SCOPE',
          `your identity provider names a country Attaché does not know (${iso3}): ask your administrator`,
        ),
      );
  for (const id of identity.schools)
    if ((await findSchoolRow(tx, id)) === undefined)
      return err(
        refusal(
          'SSO.UNKNOWN_SCOPE',
          `your identity provider names a school Attaché does not know (${id}): ask your administrator`,
        ),
      );
  return ok(undefined);
}

async function create(
  tx: Executor,
  ctx: AppContext,
  now: string,
  key: string,
  identity: SsoIdentity,
): Promise<Result<WorkOutcome<Account>>> {
  const added = await applyAddUser(tx, ctx, now, identity, null, key);
  if (!added.ok) return added;
  const account = await findAccountById(tx, added.value.value.id);
  if (account === undefined) throw new Error(`account ${added.value.value.id} vanished`);
  return ok({ value: account, audit: added.value.audit });
}

async function update(
  tx: Executor,
  account: Account,
  key: string,
  identity: SsoIdentity,
  action: 'user.sso-update' | 'user.sso-link',
): Promise<Result<WorkOutcome<Account>>> {
  const same =
    account.oidcSubject === key &&
    account.passwordHash === null &&
    account.email === identity.email &&
    account.displayName === identity.displayName &&
    account.role === identity.role &&
    account.countries.join() === identity.countries.join() &&
    account.schools.join() === identity.schools.join();
  // Nothing changed: a sign-in like any other, with no audit entry (a password sign-in has none).
  if (same) return ok({ value: account, audit: [] });
  await updateSsoUser(
    tx,
    account.id,
    {
      email: identity.email,
      displayName: identity.displayName,
      role: identity.role,
      oidcSubject: key,
    },
    identity,
  );
  const after = await findAccountById(tx, account.id);
  if (after === undefined) throw new Error(`account ${account.id} vanished`);
  return ok({
    value: after,
    audit: [
      {
        action,
        entityType: 'user',
        entityId: account.id,
        before: { ...userView(account), password: account.passwordHash !== null },
        after: { ...userView(after), password: false },
      },
    ],
  });
}

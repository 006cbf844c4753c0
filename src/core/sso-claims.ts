// Single sign-on (decision 011): what an identity provider's claims make of a person in Attaché —
// one role, and the countries or schools it is scoped to. Pure: the claims come in, a decision out.
import { ROLES, type Role } from './actor.js';
import { err, ok, type DomainError, type Result } from './result.js';

/** Which claims carry the role and the scopes, and what each role value means. */
export interface ClaimMapping {
  readonly roleClaim: string;
  /** A claim value (e.g. a group name) and the role it grants; values not listed grant nothing. */
  readonly roleValues: Readonly<Record<string, Role>>;
  readonly countriesClaim: string;
  readonly schoolsClaim: string;
}

/** The claims Attaché's roles are known by when nothing else is configured: the role's own name. */
export const DEFAULT_ROLE_VALUES: Readonly<Record<string, Role>> = Object.fromEntries(
  ROLES.map((role) => [role, role]),
);

/** A person as the identity provider describes them, mapped onto Attaché's access model. */
export interface SsoIdentity {
  /** The provider's subject (`sub`): stable for the person at that provider. */
  readonly subject: string;
  /** Lower-cased; the login and the audit log's name for the person. */
  readonly email: string;
  /** Only a provider that says so (`email_verified: true`) may link an existing account. */
  readonly emailVerified: boolean;
  readonly displayName: string;
  readonly role: Role;
  readonly countries: readonly string[];
  readonly schools: readonly string[];
}

const ISO3 = /^[A-Z]{3}$/;
const SCHOOL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

function refusal(reason: string, message: string): DomainError {
  return { code: 'FORBIDDEN', reason, message };
}

/** A claim as a list of strings: an array of strings, or one string of values split on spaces or commas. */
function listClaim(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string')
    return value
      .split(/[\s,]+/)
      .map((v) => v.trim())
      .filter((v) => v !== '');
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string'))
    return value.map((v) => v.trim()).filter((v) => v !== '');
  return undefined;
}

/**
 * Maps a provider's claims to a role and scopes. Refused (403) when the claims grant no role or
 * more than one, when an SCO is given no country or an IMSO no school, or when a claim Attaché
 * needs is missing or malformed. Scopes a role does not use (countries for an admin) are dropped:
 * those roles see everything anyway.
 *
 * @example
 * identityFromClaims({ sub: 'u1', email: 'a@x.org', attache_role: 'sco', attache_countries: ['PAK'] }, mapping)
 * // → ok({ subject: 'u1', email: 'a@x.org', role: 'sco', countries: ['PAK'], … })
 */
export function identityFromClaims(
  claims: Readonly<Record<string, unknown>>,
  mapping: ClaimMapping,
): Result<SsoIdentity> {
  const subject = claims['sub'];
  if (typeof subject !== 'string' || subject === '' || subject.length > 255)
    return err(refusal('SSO.CLAIMS', 'the identity provider sent no usable subject (sub)'));
  const email = typeof claims['email'] === 'string' ? claims['email'].trim().toLowerCase() : '';
  if (email.length > 254 || !EMAIL.test(email))
    return err(
      refusal(
        'SSO.NO_EMAIL',
        'the identity provider sent no email address for you: Attaché needs one to name you',
      ),
    );
  const values = listClaim(claims[mapping.roleClaim]);
  if (values === undefined)
    return err(
      refusal('SSO.CLAIMS', `the claim ${mapping.roleClaim} is not text or a list of text`),
    );
  const roles = [
    ...new Set(
      values.flatMap((v) => (Object.hasOwn(mapping.roleValues, v) ? [mapping.roleValues[v]!] : [])),
    ),
  ];
  if (roles.length === 0)
    return err(
      refusal(
        'SSO.NO_ROLE',
        `your identity provider grants you no Attaché role (claim ${mapping.roleClaim}): ask your administrator for access`,
      ),
    );
  if (roles.length > 1)
    return err(
      refusal(
        'SSO.ROLE_AMBIGUOUS',
        `your identity provider grants you more than one Attaché role (${roles.sort().join(', ')}): one person holds one role, ask your administrator`,
      ),
    );
  const role = roles[0]!;
  const countries = listClaim(claims[mapping.countriesClaim])?.map((c) => c.toUpperCase());
  const schools = listClaim(claims[mapping.schoolsClaim]);
  if (countries === undefined || countries.some((c) => !ISO3.test(c)))
    return err(
      refusal(
        'SSO.CLAIMS',
        `the claim ${mapping.countriesClaim} must list ISO 3166 alpha-3 country codes, e.g. PAK`,
      ),
    );
  if (schools === undefined || schools.some((s) => !SCHOOL_ID.test(s)))
    return err(refusal('SSO.CLAIMS', `the claim ${mapping.schoolsClaim} must list school ids`));
  if (role === 'sco' && countries.length === 0)
    return err(
      refusal(
        'SSO.NO_SCOPE',
        `your identity provider makes you an SCO but names no country (claim ${mapping.countriesClaim}): ask your administrator`,
      ),
    );
  if (role === 'imso' && schools.length === 0)
    return err(
      refusal(
        'SSO.NO_SCOPE',
        `your identity provider makes you a school officer but names no school (claim ${mapping.schoolsClaim}): ask your administrator`,
      ),
    );
  const name = typeof claims['name'] === 'string' ? claims['name'].trim().slice(0, 200) : '';
  return ok({
    subject,
    email,
    // Some providers send the flag as text.
    emailVerified: claims['email_verified'] === true || claims['email_verified'] === 'true',
    displayName: name === '' ? email : name,
    role,
    countries: role === 'sco' ? [...new Set(countries)].sort() : [],
    schools: role === 'imso' ? [...new Set(schools)].sort() : [],
  });
}

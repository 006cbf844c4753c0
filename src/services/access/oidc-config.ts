// Single sign-on's configuration (decision 011): the identity provider, this client, and which
// claims carry the role and the scopes. Off unless ATTACHE_OIDC_ISSUER is set; half a
// configuration stops the start with the variable that is missing.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROLES, type Role } from '../../core/actor.js';
import { err, ok, type Result } from '../../core/result.js';
import { DEFAULT_ROLE_VALUES, type ClaimMapping } from '../../core/sso-claims.js';

/** What single sign-on needs to run, read from the environment. */
export interface OidcSettings {
  /** The provider's issuer identifier; its discovery document is read from it. */
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The public URL of GET /api/v1/session/oidc/callback, as registered with the provider. */
  readonly redirectUrl: URL;
  /** The provider's name on the sign-in page: "Sign in with <name>". */
  readonly name: string;
  /** Scopes asked for; `openid` always among them. */
  readonly scopes: readonly string[];
  readonly claims: ClaimMapping;
}

export const OIDC_VARIABLES = [
  [
    'ATTACHE_OIDC_ISSUER',
    '(unset)',
    'issuer URL of the OpenID Connect provider (its discovery document is read from it); setting it turns single sign-on on, and then the client id, secret and redirect URL are required',
  ],
  ['ATTACHE_OIDC_CLIENT_ID', '(unset)', 'client id Attaché is registered with at the provider'],
  [
    'ATTACHE_OIDC_CLIENT_SECRET_FILE',
    '(unset)',
    'file holding the client secret (readable by the service only); or give the secret itself in `ATTACHE_OIDC_CLIENT_SECRET`, not both',
  ],
  ['ATTACHE_OIDC_CLIENT_SECRET', '(unset)', 'the client secret, when no file can be used'],
  [
    'ATTACHE_OIDC_REDIRECT_URL',
    '(unset)',
    'public URL of `/api/v1/session/oidc/callback` as registered with the provider (https, or http on loopback)',
  ],
  ['ATTACHE_OIDC_NAME', 'single sign-on', 'the provider’s name on the button “Sign in with …”'],
  [
    'ATTACHE_OIDC_SCOPES',
    'openid email profile',
    'scopes asked for, space-separated (add the one that releases the role and scope claims)',
  ],
  [
    'ATTACHE_OIDC_ROLE_CLAIM',
    'attache_role',
    'claim carrying the role (text or a list, e.g. groups)',
  ],
  [
    'ATTACHE_OIDC_ROLE_VALUES',
    '(the role names)',
    'comma-separated `value=role` pairs (e.g. `Attache-PM=program-manager`); roles: admin, program-manager, sco, imso, analyst. Unset: the claim holds the role names',
  ],
  [
    'ATTACHE_OIDC_COUNTRIES_CLAIM',
    'attache_countries',
    'claim listing an SCO’s countries (ISO3 codes)',
  ],
  ['ATTACHE_OIDC_SCHOOLS_CLAIM', 'attache_schools', 'claim listing an IMSO’s schools (school ids)'],
] as const;

type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const CLAIM_NAME = /^[A-Za-z0-9_.:/-]{1,100}$/;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** An https URL, or http on this machine (a provider run for tests or development). */
function webUrl(name: string, text: string): Result<URL, string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(`${name}: must be a URL like https://idp.example.org (got "${text}")`);
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure) return err(`${name}: must be an https URL (http only on localhost) (got "${text}")`);
  if (url.hash !== '' || url.search !== '')
    return err(`${name}: must have no query or fragment (got "${text}")`);
  return ok(url);
}

function claimName(env: Env, name: string, fallback: string): Result<string, string> {
  const claim = value(env, name) ?? fallback;
  return CLAIM_NAME.test(claim)
    ? ok(claim)
    : err(`${name}: must be a claim name (letters, digits, _ . : / -) (got "${claim}")`);
}

function roleValues(text: string | undefined): Result<Record<string, Role>, string> {
  if (text === undefined) return ok({ ...DEFAULT_ROLE_VALUES });
  const map: Record<string, Role> = {};
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const at = pair.lastIndexOf('=');
    const claimValue = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || claimValue === '' || !(ROLES as readonly string[]).includes(role))
      return err(
        `ATTACHE_OIDC_ROLE_VALUES: each entry is value=role with a role among ${ROLES.join(', ')} (got "${pair}")`,
      );
    if (Object.hasOwn(map, claimValue))
      return err(`ATTACHE_OIDC_ROLE_VALUES: "${claimValue}" is given twice`);
    map[claimValue] = role as Role;
  }
  if (Object.keys(map).length === 0)
    return err('ATTACHE_OIDC_ROLE_VALUES: must map at least one value to a role');
  return ok(map);
}

function clientSecret(env: Env): Result<string, string> {
  const file = value(env, 'ATTACHE_OIDC_CLIENT_SECRET_FILE');
  const inline = value(env, 'ATTACHE_OIDC_CLIENT_SECRET');
  if (file !== undefined && inline !== undefined)
    return err(
      'ATTACHE_OIDC_CLIENT_SECRET: give the secret in ATTACHE_OIDC_CLIENT_SECRET_FILE or here, not both',
    );
  if (inline !== undefined) return ok(inline);
  if (file === undefined)
    return err(
      'ATTACHE_OIDC_CLIENT_SECRET_FILE: required when ATTACHE_OIDC_ISSUER is set (or ATTACHE_OIDC_CLIENT_SECRET)',
    );
  // No check of the file's mode: container platforms mount secrets readable by all (0644) inside
  // a container only the service runs in.
  const path = resolve(file);
  try {
    if (statSync(path).isDirectory())
      return err(`ATTACHE_OIDC_CLIENT_SECRET_FILE: ${path} is a folder, not a file`);
    const secret = readFileSync(path, 'utf8').trim();
    if (secret === '') return err(`ATTACHE_OIDC_CLIENT_SECRET_FILE: ${path} is empty`);
    return ok(secret);
  } catch {
    return err(`ATTACHE_OIDC_CLIENT_SECRET_FILE: cannot read ${path}`);
  }
}

/**
 * Single sign-on's settings from the environment: undefined when it is off (no variable set), an
 * error naming the first variable that is missing or wrong when it is half configured.
 */
export function loadOidcSettings(env: Env): Result<OidcSettings | undefined, string> {
  const issuerText = value(env, 'ATTACHE_OIDC_ISSUER');
  if (issuerText === undefined) {
    const stray = OIDC_VARIABLES.map(([name]) => name).find(
      (name) => value(env, name) !== undefined,
    );
    return stray === undefined
      ? ok(undefined)
      : err(
          `ATTACHE_OIDC_ISSUER: required when ${stray} is set (single sign-on is off without it)`,
        );
  }
  const issuer = webUrl('ATTACHE_OIDC_ISSUER', issuerText);
  if (!issuer.ok) return issuer;
  const clientId = value(env, 'ATTACHE_OIDC_CLIENT_ID');
  if (clientId === undefined)
    return err('ATTACHE_OIDC_CLIENT_ID: required when ATTACHE_OIDC_ISSUER is set');
  const secret = clientSecret(env);
  if (!secret.ok) return secret;
  const redirectText = value(env, 'ATTACHE_OIDC_REDIRECT_URL');
  if (redirectText === undefined)
    return err('ATTACHE_OIDC_REDIRECT_URL: required when ATTACHE_OIDC_ISSUER is set');
  const redirectUrl = webUrl('ATTACHE_OIDC_REDIRECT_URL', redirectText);
  if (!redirectUrl.ok) return redirectUrl;
  const scopes = (value(env, 'ATTACHE_OIDC_SCOPES') ?? 'openid email profile').split(/\s+/);
  if (!scopes.includes('openid'))
    return err('ATTACHE_OIDC_SCOPES: must include openid (got "' + scopes.join(' ') + '")');
  const name = value(env, 'ATTACHE_OIDC_NAME') ?? 'single sign-on';
  if (name.length > 60) return err('ATTACHE_OIDC_NAME: at most 60 characters');
  const roleClaim = claimName(env, 'ATTACHE_OIDC_ROLE_CLAIM', 'attache_role');
  if (!roleClaim.ok) return roleClaim;
  const values = roleValues(value(env, 'ATTACHE_OIDC_ROLE_VALUES'));
  if (!values.ok) return values;
  const countriesClaim = claimName(env, 'ATTACHE_OIDC_COUNTRIES_CLAIM', 'attache_countries');
  if (!countriesClaim.ok) return countriesClaim;
  const schoolsClaim = claimName(env, 'ATTACHE_OIDC_SCHOOLS_CLAIM', 'attache_schools');
  if (!schoolsClaim.ok) return schoolsClaim;
  return ok({
    issuer: issuer.value,
    clientId,
    clientSecret: secret.value,
    redirectUrl: redirectUrl.value,
    name,
    scopes: [...new Set(scopes)],
    claims: {
      roleClaim: roleClaim.value,
      roleValues: values.value,
      countriesClaim: countriesClaim.value,
      schoolsClaim: schoolsClaim.value,
    },
  });
}

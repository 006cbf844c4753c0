// Single sign-on with OpenID Connect (decision 011): the redirect to the identity provider and the
// callback that turns its answer into a session, exactly as a password sign-in opens one.
import { createHmac } from 'node:crypto';
import * as client from 'openid-client';
import { identityFromClaims } from '../../core/sso-claims.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import { insertOidcFlow, takeOidcFlow } from '../../store/access.repository.js';
import type { AppContext } from '../context.js';
import type { OidcSettings } from './oidc-config.js';
import { generateSecret, sha256 } from './secrets.js';
import { openSession, signOut, type SignedIn } from './session.service.js';
import { provisionSsoAccount } from './sso-account.service.js';

/** A sign-on must come back from the provider within this time. */
export const FLOW_MINUTES = 10;
/** The longest wait for the provider, per request. */
const TIMEOUT_SECONDS = 10;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The configured provider, its metadata read at first use and kept while the process runs. */
export interface SingleSignOn {
  readonly settings: OidcSettings;
  configuration(): Promise<client.Configuration>;
}

/** Where the service tells its operator what went wrong (the person is told much less). */
export type SsoLog = (message: string, error?: unknown) => void;

/**
 * The provider, discovered lazily: a server starts while its provider is down (password sign-in
 * still works) and a failed discovery is tried again at the next sign-on. `fetch` is for tests.
 */
export function singleSignOn(
  settings: OidcSettings,
  options: { readonly fetch?: client.CustomFetch } = {},
): SingleSignOn {
  let discovered: Promise<client.Configuration> | undefined;
  const discover = async () => {
    const config = await client.discovery(
      settings.issuer,
      settings.clientId,
      { client_secret: settings.clientSecret },
      client.ClientSecretBasic(settings.clientSecret),
      {
        timeout: TIMEOUT_SECONDS,
        // Plain http only to a provider on this machine (tests, development); config refuses others.
        ...(settings.issuer.protocol === 'http:' && LOOPBACK.has(settings.issuer.hostname)
          ? { execute: [client.allowInsecureRequests] }
          : {}),
        ...(options.fetch === undefined ? {} : { [client.customFetch]: options.fetch }),
      },
    );
    config.timeout = TIMEOUT_SECONDS;
    // The library trusts an ID token from the token endpoint on the strength of TLS alone (OIDC
    // Core 3.1.3.7 allows it); we check its signature too, so a token altered between the
    // provider and us, or by a proxy that ends TLS, signs no one in.
    client.enableNonRepudiationChecks(config);
    return config;
  };
  return {
    settings,
    configuration() {
      discovered ??= discover().catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
      return discovered;
    },
  };
}

const NOT_COMPLETED: DomainError = {
  code: 'UNAUTHENTICATED',
  reason: 'SSO.NOT_COMPLETED',
  message: 'single sign-on did not complete: start again from the sign-in page',
};

function unavailable(sso: SingleSignOn): DomainError {
  return {
    code: 'UNAVAILABLE',
    reason: 'SSO.UNAVAILABLE',
    message: `${sso.settings.name} cannot be reached now: try again later, or sign in with a password if you have one`,
  };
}

/**
 * State, nonce and PKCE verifier, derived from the secret the browser holds in its cookie: the
 * database keeps only that secret's hash, so a copy of it finishes no sign-on, and the state in
 * the URL (which logs and the provider see) gives away neither the verifier nor the cookie.
 */
function flowValues(secret: string) {
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest('base64url');
  return { state: derive('state'), nonce: derive('nonce'), codeVerifier: derive('pkce') };
}

export interface SsoStart {
  /** The provider's authorization URL to redirect the browser to. */
  readonly location: string;
  /** For the browser's short-lived cookie: it binds the callback to this browser. */
  readonly flowSecret: string;
  readonly expiresAt: string;
}

/** Starts a sign-on: a flow row, and the provider's URL with state, nonce and PKCE challenge. */
export async function beginSingleSignOn(
  ctx: AppContext,
  sso: SingleSignOn,
  log: SsoLog,
): Promise<Result<SsoStart>> {
  let config: client.Configuration;
  try {
    config = await sso.configuration();
  } catch (error) {
    log('single sign-on: the identity provider’s discovery failed', error);
    return err(unavailable(sso));
  }
  const now = ctx.clock();
  const flowSecret = generateSecret('sso');
  const expiresAt = new Date(Date.parse(now) + FLOW_MINUTES * 60_000).toISOString();
  await insertOidcFlow(ctx.store.db, { secretHash: sha256(flowSecret), createdAt: now, expiresAt });
  const { state, nonce, codeVerifier } = flowValues(flowSecret);
  const location = client.buildAuthorizationUrl(config, {
    redirect_uri: sso.settings.redirectUrl.href,
    scope: sso.settings.scopes.join(' '),
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return ok({ location: location.href, flowSecret, expiresAt });
}

export interface SsoCallback {
  /** The callback's query string as received (code, state, iss; or the provider's error). */
  readonly query: string;
  /** The flow cookie's value, if the browser sent one. */
  readonly flowSecret: string | undefined;
  /** The session cookie sent with the callback, ended like at a password sign-in. */
  readonly previousSecret: string | undefined;
}

/**
 * Finishes a sign-on: takes the flow (once), exchanges the code with the PKCE verifier, checks the
 * ID token (signature, issuer, audience, expiry, nonce) and the state, reads the claims, brings the
 * account to them and opens a session. Whatever part fails answers one 401, its cause only logged;
 * a person the claims do not admit gets a 403 saying why; a provider that cannot answer, a 503.
 */
export async function finishSingleSignOn(
  ctx: AppContext,
  sso: SingleSignOn,
  callback: SsoCallback,
  log: SsoLog,
): Promise<Result<SignedIn>> {
  const secret = callback.flowSecret;
  if (secret === undefined || !/^sso_[A-Za-z0-9_-]{43}$/.test(secret)) {
    log('single sign-on: callback without a flow cookie');
    return err(NOT_COMPLETED);
  }
  const flow = await takeOidcFlow(ctx.store.db, sha256(secret));
  if (flow === undefined || flow.expiresAt <= ctx.clock()) {
    log('single sign-on: callback for an unknown, finished or expired flow');
    return err(NOT_COMPLETED);
  }
  const { state, nonce, codeVerifier } = flowValues(secret);
  let claims: Record<string, unknown>;
  try {
    const config = await sso.configuration();
    // The URL the provider was told, not the Host this request names (a proxy may rewrite it).
    const current = new URL(sso.settings.redirectUrl);
    current.search = callback.query;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (idClaims === undefined) throw new client.ClientError('no ID token');
    // Many providers release the claims of a scope at the userinfo endpoint only.
    const userinfo =
      config.serverMetadata().userinfo_endpoint !== undefined && tokens.access_token !== ''
        ? await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)
        : {};
    claims = { ...userinfo, ...idClaims };
  } catch (error) {
    const kind = failureKind(error);
    log(`single sign-on: ${kind === 'unavailable' ? 'the provider failed' : 'refused'}`, error);
    return err(kind === 'unavailable' ? unavailable(sso) : NOT_COMPLETED);
  }
  const identity = identityFromClaims(claims, sso.settings.claims);
  if (!identity.ok) {
    log(`single sign-on: ${identity.error.message}`);
    return identity;
  }
  const account = await provisionSsoAccount(ctx, sso.settings.issuer, identity.value);
  if (!account.ok) {
    log(`single sign-on: ${identity.value.email}: ${account.error.message}`);
    return account;
  }
  if (callback.previousSecret !== undefined) await signOut(ctx, callback.previousSecret);
  return ok(await openSession(ctx, account.value, ctx.clock()));
}

const UNAVAILABLE_CODES = new Set([
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_TIMEOUT',
  'OAUTH_ABORT',
]);

/**
 * `unavailable`: the provider could not be reached or answered with a server error. `refused`:
 * it answered, and the answer does not sign anyone in (a wrong state, a used code, a token that
 * fails a check). Anything else is a bug here, and is thrown.
 */
function failureKind(error: unknown): 'unavailable' | 'refused' {
  if (error instanceof client.ResponseBodyError)
    return error.status >= 500 ? 'unavailable' : 'refused';
  if (
    error instanceof client.AuthorizationResponseError ||
    error instanceof client.WWWAuthenticateChallengeError
  )
    return 'refused';
  if (error instanceof client.ClientError)
    return UNAVAILABLE_CODES.has(error.code ?? '') ? 'unavailable' : 'refused';
  // fetch's own failures (refused connection, reset, DNS): a TypeError without an argument code.
  if (error instanceof TypeError && !String((error as { code?: unknown }).code).startsWith('ERR_'))
    return 'unavailable';
  throw error;
}

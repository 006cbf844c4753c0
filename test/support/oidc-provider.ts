// A local OpenID Connect provider for single sign-on tests (oidc-provider on a random loopback
// port): one client, accounts whose claims a test sets, the provider's own login and consent
// forms driven over real HTTP, and its signing key, so a test can sign tokens with any claims.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type JWK } from 'oidc-provider';
import { loadOidcSettings, type OidcSettings } from '../../src/services/access/oidc-config.js';

export const CLIENT_ID = 'attache-test';
export const CLIENT_SECRET = 'attache-test-secret-0123456789abcdef';
/** Where the provider sends browsers back by default: API tests inject, so no port listens there. */
export const REDIRECT_URL = 'http://127.0.0.1:8080/api/v1/session/oidc/callback';

export interface TestProvider {
  readonly issuer: string;
  readonly redirectUrl: string;
  /** Claims of each login the form accepts (any password); `sub` is the login. */
  readonly accounts: Map<string, Record<string, unknown>>;
  /** Attaché's settings for this provider (the scope `attache` releases the role and scopes). */
  settings(env?: Record<string, string>): OidcSettings;
  /** A JWT signed with the provider's own key, as its ID tokens are. */
  sign(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startTestProvider(redirectUrl = REDIRECT_URL): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: 'test-key', alg: 'RS256' };
  const accounts = new Map<string, Record<string, unknown>>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      attache: ['attache_role', 'attache_countries', 'attache_schools'],
    },
    // eslint-disable-next-line @typescript-eslint/require-await
    findAccount: async (_ctx, id) => {
      const claims = accounts.get(id);
      if (claims === undefined) return undefined;
      // eslint-disable-next-line @typescript-eslint/require-await
      return { accountId: id, claims: async () => ({ ...claims, sub: id }) };
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['attache-test-cookie-key'] },
    ttl: {
      AuthorizationCode: 60,
      IdToken: 600,
      AccessToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    jwks: { keys: [jwk] },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => void handle(req, res));
  return {
    issuer,
    redirectUrl,
    accounts,
    settings: (env = {}) => {
      const loaded = loadOidcSettings({
        ATTACHE_OIDC_ISSUER: issuer,
        ATTACHE_OIDC_CLIENT_ID: CLIENT_ID,
        ATTACHE_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        ATTACHE_OIDC_REDIRECT_URL: redirectUrl,
        ATTACHE_OIDC_NAME: 'Test IdP',
        ATTACHE_OIDC_SCOPES: 'openid email profile attache',
        ...env,
      });
      if (!loaded.ok) throw new Error(`settings: ${loaded.error}`);
      if (loaded.value === undefined) throw new Error('settings: single sign-on is off');
      return loaded.value;
    },
    sign: (claims) => signJwt(privateKey, claims),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

function signJwt(key: KeyObject, claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid: 'test-key' })}.${part(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

/** A browser's cookies for one origin, from Set-Cookie headers. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line);
      if (expired) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Plays the person at the provider: from its authorization URL, signs in as `login` on the login
 * form and continues on the consent form, following redirects, until the provider sends the
 * browser back to Attaché. Returns that callback URL (path and query).
 */
export async function signOnAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  let request: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    if (url.href.startsWith(REDIRECT_URL)) return `${url.pathname}${url.search}`;
    const response = await fetch(url, {
      ...request,
      redirect: 'manual',
      headers: { ...(request.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(response);
    request = {};
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      url = new URL(location, url);
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || action === undefined || prompt === undefined)
      throw new Error(`the provider answered ${response.status}: ${page.slice(0, 300)}`);
    url = new URL(action.replaceAll('&amp;', '&'), url);
    const form = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      form.set('login', login);
      form.set('password', 'any');
    }
    request = {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('the provider never sent the browser back');
}

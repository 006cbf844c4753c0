import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { loadOidcSettings } from './oidc-config.js';

const dir = mkdtempSync(join(tmpdir(), 'attache-oidc-'));
const secretFile = join(dir, 'client-secret');
writeFileSync(secretFile, 's3cret-from-file\n', { mode: 0o600 });

const full = {
  ATTACHE_OIDC_ISSUER: 'https://idp.agency.gov/realms/attache',
  ATTACHE_OIDC_CLIENT_ID: 'attache',
  ATTACHE_OIDC_CLIENT_SECRET_FILE: secretFile,
  ATTACHE_OIDC_REDIRECT_URL: 'https://attache.agency.gov/api/v1/session/oidc/callback',
};

describe('loadOidcSettings', () => {
  it('is off when nothing is set', () => {
    expect(loadOidcSettings({})).toEqual({ ok: true, value: undefined });
  });

  it('reads a full configuration with the default claims, the secret from its file', () => {
    const settings = loadOidcSettings(full);
    expect(settings.ok).toBe(true);
    if (!settings.ok || settings.value === undefined) return;
    expect(settings.value).toMatchObject({
      clientId: 'attache',
      clientSecret: 's3cret-from-file',
      name: 'single sign-on',
      scopes: ['openid', 'email', 'profile'],
      claims: {
        roleClaim: 'attache_role',
        countriesClaim: 'attache_countries',
        schoolsClaim: 'attache_schools',
        roleValues: { admin: 'admin', sco: 'sco', analyst: 'analyst' },
      },
    });
    expect(settings.value.issuer.href).toBe('https://idp.agency.gov/realms/attache');
  });

  it('maps claim values to roles when told', () => {
    const settings = loadOidcSettings({
      ...full,
      ATTACHE_OIDC_ROLE_CLAIM: 'groups',
      ATTACHE_OIDC_ROLE_VALUES: 'Attache-PM=program-manager, Attache-SCO=sco',
    });
    expect(settings.ok && settings.value?.claims).toMatchObject({
      roleClaim: 'groups',
      roleValues: { 'Attache-PM': 'program-manager', 'Attache-SCO': 'sco' },
    });
  });

  it.each([
    [
      { ATTACHE_OIDC_CLIENT_ID: 'attache' },
      'ATTACHE_OIDC_ISSUER: required when ATTACHE_OIDC_CLIENT_ID is set (single sign-on is off without it)',
    ],
    [
      { ...full, ATTACHE_OIDC_CLIENT_ID: '' },
      'ATTACHE_OIDC_CLIENT_ID: required when ATTACHE_OIDC_ISSUER is set',
    ],
    [
      { ...full, ATTACHE_OIDC_CLIENT_SECRET_FILE: undefined },
      'ATTACHE_OIDC_CLIENT_SECRET_FILE: required when ATTACHE_OIDC_ISSUER is set (or ATTACHE_OIDC_CLIENT_SECRET)',
    ],
    [
      { ...full, ATTACHE_OIDC_CLIENT_SECRET: 'also' },
      'ATTACHE_OIDC_CLIENT_SECRET: give the secret in ATTACHE_OIDC_CLIENT_SECRET_FILE or here, not both',
    ],
    [
      { ...full, ATTACHE_OIDC_CLIENT_SECRET_FILE: join(dir, 'missing') },
      `ATTACHE_OIDC_CLIENT_SECRET_FILE: cannot read ${join(dir, 'missing')}`,
    ],
    [
      { ...full, ATTACHE_OIDC_REDIRECT_URL: undefined },
      'ATTACHE_OIDC_REDIRECT_URL: required when ATTACHE_OIDC_ISSUER is set',
    ],
    [
      { ...full, ATTACHE_OIDC_ISSUER: 'http://idp.agency.gov' },
      'ATTACHE_OIDC_ISSUER: must be an https URL (http only on localhost) (got "http://idp.agency.gov")',
    ],
    [
      { ...full, ATTACHE_OIDC_SCOPES: 'email profile' },
      'ATTACHE_OIDC_SCOPES: must include openid (got "email profile")',
    ],
    [
      { ...full, ATTACHE_OIDC_ROLE_VALUES: 'Attache-PM=manager' },
      'ATTACHE_OIDC_ROLE_VALUES: each entry is value=role with a role among admin, program-manager, sco, imso, analyst (got "Attache-PM=manager")',
    ],
    [
      { ...full, ATTACHE_OIDC_ROLE_CLAIM: 'a claim' },
      'ATTACHE_OIDC_ROLE_CLAIM: must be a claim name (letters, digits, _ . : / -) (got "a claim")',
    ],
  ])('refuses %j, naming the variable, also at start-up', (env, message) => {
    expect(loadOidcSettings(env)).toEqual({ ok: false, error: message });
    expect(loadConfig(env)).toEqual({ ok: false, error: message });
  });

  it('takes http for a provider on this machine (tests, development)', () => {
    const settings = loadOidcSettings({
      ...full,
      ATTACHE_OIDC_ISSUER: 'http://127.0.0.1:4000',
      ATTACHE_OIDC_REDIRECT_URL: 'http://localhost:8080/api/v1/session/oidc/callback',
    });
    expect(settings.ok).toBe(true);
  });
});

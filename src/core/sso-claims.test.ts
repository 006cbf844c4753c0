import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_VALUES, identityFromClaims, type ClaimMapping } from './sso-claims.js';

const mapping: ClaimMapping = {
  roleClaim: 'attache_role',
  roleValues: DEFAULT_ROLE_VALUES,
  countriesClaim: 'attache_countries',
  schoolsClaim: 'attache_schools',
};
const base = { sub: 'u-1', email: ' Ayesha.Khan@Example.org ', email_verified: true };

describe('identityFromClaims', () => {
  it('maps an SCO with countries, lower-casing the email and sorting the scope', () => {
    expect(
      identityFromClaims(
        { ...base, name: 'Ayesha Khan', attache_role: 'sco', attache_countries: ['pak', 'AFG'] },
        mapping,
      ),
    ).toEqual({
      ok: true,
      value: {
        subject: 'u-1',
        email: 'ayesha.khan@example.org',
        emailVerified: true,
        displayName: 'Ayesha Khan',
        role: 'sco',
        countries: ['AFG', 'PAK'],
        schools: [],
      },
    });
  });

  it.each([
    ['a string of values', { attache_role: 'imso', attache_schools: 'CGSC NWC' }, ['CGSC', 'NWC']],
    ['a list', { attache_role: 'imso', attache_schools: ['NWC'] }, ['NWC']],
  ])('reads schools from %s', (_, claims, schools) => {
    const mapped = identityFromClaims({ ...base, ...claims }, mapping);
    expect(mapped.ok && mapped.value.schools).toEqual(schools);
  });

  it('drops scopes of a role that sees everything, and names a person by email without a name', () => {
    const mapped = identityFromClaims(
      { ...base, attache_role: 'admin', attache_countries: ['PAK'], email_verified: 'true' },
      mapping,
    );
    expect(mapped).toMatchObject({
      ok: true,
      value: { role: 'admin', countries: [], displayName: 'ayesha.khan@example.org' },
    });
    expect(mapped.ok && mapped.value.emailVerified).toBe(true);
  });

  it('maps group names to roles when told, ignoring groups that grant nothing', () => {
    const groups: ClaimMapping = {
      ...mapping,
      roleClaim: 'groups',
      roleValues: { 'Attache-PM': 'program-manager', 'Attache-Analysts': 'analyst' },
    };
    const mapped = identityFromClaims({ ...base, groups: ['Staff', 'Attache-PM'] }, groups);
    expect(mapped.ok && mapped.value.role).toBe('program-manager');
    expect(identityFromClaims({ ...base, groups: ['admin'] }, groups)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'SSO.NO_ROLE' },
    });
  });

  it.each([
    ['no role', { attache_role: 'wizard' }, 'SSO.NO_ROLE'],
    ['a missing role claim', {}, 'SSO.NO_ROLE'],
    ['a role that is no text', { attache_role: 7 }, 'SSO.CLAIMS'],
    ['two roles', { attache_role: ['admin', 'analyst'] }, 'SSO.ROLE_AMBIGUOUS'],
    ['an SCO without a country', { attache_role: 'sco' }, 'SSO.NO_SCOPE'],
    ['an IMSO without a school', { attache_role: 'imso', attache_schools: [] }, 'SSO.NO_SCOPE'],
    [
      'a country that is no ISO3 code',
      { attache_role: 'sco', attache_countries: ['PK'] },
      'SSO.CLAIMS',
    ],
    ['no email', { attache_role: 'admin', email: undefined }, 'SSO.NO_EMAIL'],
    ['an email that is none', { attache_role: 'admin', email: 'nobody' }, 'SSO.NO_EMAIL'],
    ['no subject', { attache_role: 'admin', sub: '' }, 'SSO.CLAIMS'],
  ])('refuses %s', (_, claims, reason) => {
    expect(identityFromClaims({ ...base, ...claims }, mapping)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason },
    });
  });

  it('treats an email as unverified unless the provider says it is', () => {
    const mapped = identityFromClaims(
      { ...base, email_verified: undefined, attache_role: 'analyst' },
      mapping,
    );
    expect(mapped.ok && mapped.value.emailVerified).toBe(false);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadHttpPolicy } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database under ./data on port 8080', () => {
    expect(loadConfig({})).toEqual({
      ok: true,
      value: {
        port: 8080,
        host: 'localhost',
        logLevel: 'info',
        store: { kind: 'pglite', dataDir: resolve('./data') },
        screening: { leahyValidMonths: 12, eclValidMonths: 6 },
      },
    });
  });

  it('reads how long screenings stay valid, and refuses a bad period naming the variable', () => {
    const config = loadConfig({ ATTACHE_LEAHY_VALID_MONTHS: '18', ATTACHE_ECL_VALID_MONTHS: '3' });
    expect(config.ok && config.value.screening).toEqual({
      leahyValidMonths: 18,
      eclValidMonths: 3,
    });
    expect(loadConfig({ ATTACHE_LEAHY_VALID_MONTHS: '0' })).toEqual({
      ok: false,
      error: 'ATTACHE_LEAHY_VALID_MONTHS: must be a whole number of months from 1 to 60 (got "0")',
    });
    expect(loadConfig({ ATTACHE_ECL_VALID_MONTHS: 'six' }).ok).toBe(false);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db.example:5432/attache',
      PORT: '9000',
    });
    expect(config).toMatchObject({ ok: true, value: { port: 9000, store: { kind: 'postgres' } } });
  });

  it.each([
    [{ PORT: '0' }, 'PORT: must be a whole number from 1 to 65535 (got "0")'],
    [{ PORT: '8080.5' }, 'PORT: must be a whole number from 1 to 65535 (got "8080.5")'],
    [{ PORT: '-1' }, 'PORT: must be a whole number from 1 to 65535 (got "-1")'],
    [
      { DATABASE_URL: 'not a url' },
      'DATABASE_URL: must be a URL like postgres://user:password@host:5432/database',
    ],
    [
      { DATABASE_URL: 'http://localhost/db' },
      'DATABASE_URL: must be a URL like postgres://user:password@host:5432/database',
    ],
    [{ ATTACHE_DATA_DIR: '   ' }, 'ATTACHE_DATA_DIR: must be a folder path'],
    [
      { LOG_LEVEL: 'chatty' },
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    ],
  ])('refuses %j', (env, message) => {
    expect(loadConfig(env)).toEqual({ ok: false, error: message });
  });

  it('refuses a data dir that is a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'attache-config-')), 'file');
    writeFileSync(file, '');
    expect(loadConfig({ ATTACHE_DATA_DIR: file })).toEqual({
      ok: false,
      error: `ATTACHE_DATA_DIR: ${file} is a file, not a folder`,
    });
  });

  describe('audit keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attache-keys-'));
    const pair = generateKeyPairSync('ed25519');
    const signing = join(dir, 'signing.pem');
    writeFileSync(signing, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    const open = join(dir, 'open.pem');
    writeFileSync(open, readFileSync(signing), { mode: 0o644 });
    chmodSync(open, 0o644);
    const pub = join(dir, 'signing.pub');
    writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const rsa = join(dir, 'rsa.pem');
    writeFileSync(
      rsa,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }),
      { mode: 0o600 },
    );

    it('reads the signing and public keys at start, with the same key id', () => {
      const config = loadConfig({
        ATTACHE_AUDIT_SIGNING_KEY_FILE: signing,
        ATTACHE_AUDIT_PUBLIC_KEY_FILE: pub,
      });
      if (!config.ok) throw new Error(config.error);
      expect(config.value.auditSigningKey?.file).toBe(signing);
      expect(config.value.auditSigningKey?.keyId).toMatch(/^[0-9a-f]{64}$/);
      expect(config.value.auditPublicKey?.keyId).toBe(config.value.auditSigningKey?.keyId);
      expect(loadConfig({ ATTACHE_AUDIT_SIGNING_KEY_FILE: '' })).toMatchObject({ ok: true });
    });

    it.each([
      [
        'ATTACHE_AUDIT_SIGNING_KEY_FILE',
        open,
        `ATTACHE_AUDIT_SIGNING_KEY_FILE: ${open} is open to group or others (mode 644): a signing key must be its owner's alone; run chmod 600 ${open}`,
      ],
      [
        'ATTACHE_AUDIT_SIGNING_KEY_FILE',
        join(dir, 'missing.pem'),
        `ATTACHE_AUDIT_SIGNING_KEY_FILE: ${join(dir, 'missing.pem')} does not exist`,
      ],
      [
        'ATTACHE_AUDIT_SIGNING_KEY_FILE',
        rsa,
        `ATTACHE_AUDIT_SIGNING_KEY_FILE: ${rsa} holds an rsa key; audit checkpoints are signed with Ed25519 (attache audit keygen --out FILE makes one)`,
      ],
      [
        'ATTACHE_AUDIT_SIGNING_KEY_FILE',
        dir,
        `ATTACHE_AUDIT_SIGNING_KEY_FILE: ${dir} is a folder, not a file`,
      ],
      [
        'ATTACHE_AUDIT_PUBLIC_KEY_FILE',
        join(dir, 'none.pub'),
        `ATTACHE_AUDIT_PUBLIC_KEY_FILE: ${join(dir, 'none.pub')} does not exist`,
      ],
    ])('refuses %s=%s naming what is wrong', (variable, file, message) => {
      expect(loadConfig({ [variable]: file })).toEqual({ ok: false, error: message });
    });
  });
});

describe('loadHttpPolicy', () => {
  it('answers loopback and HOST, with CORS closed and a 1 MiB body limit, by default', () => {
    expect(loadHttpPolicy({})).toEqual({
      ok: true,
      value: {
        allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
        corsOrigins: [],
        bodyLimitBytes: 1_048_576,
        rateLimits: { perCaller: 3000, perAddress: 6000 },
        trustProxy: false,
      },
    });
    expect(loadHttpPolicy({ HOST: 'Attache.Example.org' })).toMatchObject({
      ok: true,
      value: { allowedHosts: ['localhost', '127.0.0.1', '[::1]', 'attache.example.org'] },
    });
    expect(loadHttpPolicy({ HOST: '::1' })).toMatchObject({
      value: { allowedHosts: ['localhost', '127.0.0.1', '[::1]'] },
    });
    // A wildcard interface is no name a browser uses: only the configured names are added.
    expect(
      loadHttpPolicy({ HOST: '0.0.0.0', ATTACHE_ALLOWED_HOSTS: 'a.example, B.example.' }),
    ).toMatchObject({
      value: { allowedHosts: ['localhost', '127.0.0.1', '[::1]', 'a.example', 'b.example'] },
    });
    expect(loadHttpPolicy({ ATTACHE_ALLOWED_HOSTS: '*' })).toMatchObject({
      value: { allowedHosts: ['*'] },
    });
  });

  it('reads CORS origins and the body limit', () => {
    expect(
      loadHttpPolicy({
        ATTACHE_CORS_ORIGINS: 'https://app.example.org, http://localhost:5173',
        ATTACHE_BODY_LIMIT_BYTES: '2048',
      }),
    ).toMatchObject({
      value: {
        corsOrigins: ['https://app.example.org', 'http://localhost:5173'],
        bodyLimitBytes: 2048,
      },
    });
  });

  it('reads the rate limits and the proxies to trust', () => {
    expect(
      loadHttpPolicy({ ATTACHE_RATE_LIMIT_CALLER: '120', ATTACHE_RATE_LIMIT_ADDRESS: 'off' }),
    ).toMatchObject({ value: { rateLimits: { perCaller: 120, perAddress: Infinity } } });
    expect(
      loadHttpPolicy({ ATTACHE_RATE_LIMIT_CALLER: 'OFF', ATTACHE_RATE_LIMIT_ADDRESS: 'off' }),
    ).toMatchObject({ value: { rateLimits: null } });
    expect(loadHttpPolicy({ ATTACHE_TRUST_PROXY: '10.0.0.0/8, ::1' })).toMatchObject({
      value: { trustProxy: ['10.0.0.0/8', '::1'] },
    });
    expect(loadHttpPolicy({ ATTACHE_TRUST_PROXY: '2' })).toMatchObject({
      value: { trustProxy: 2 },
    });
  });

  it.each([
    [
      { ATTACHE_RATE_LIMIT_CALLER: '0' },
      'ATTACHE_RATE_LIMIT_CALLER: must be a whole number of units a minute from 1 to 1000000000, or off (got "0")',
    ],
    [
      { ATTACHE_RATE_LIMIT_ADDRESS: '1e3' },
      'ATTACHE_RATE_LIMIT_ADDRESS: must be a whole number of units a minute from 1 to 1000000000, or off (got "1e3")',
    ],
    [
      { ATTACHE_TRUST_PROXY: '10.0.0.0/33' },
      'ATTACHE_TRUST_PROXY: must be IP addresses or CIDR ranges, comma-separated, or a number of hops (got "10.0.0.0/33")',
    ],
    [
      { ATTACHE_TRUST_PROXY: 'proxy.example' },
      'ATTACHE_TRUST_PROXY: must be IP addresses or CIDR ranges, comma-separated, or a number of hops (got "proxy.example")',
    ],
    [
      { ATTACHE_ALLOWED_HOSTS: 'example.org:8080' },
      'ATTACHE_ALLOWED_HOSTS: must be host names without a port, comma-separated, or * (got "example.org:8080")',
    ],
    [
      { ATTACHE_CORS_ORIGINS: 'https://app.example.org/path' },
      'ATTACHE_CORS_ORIGINS: must be origins like https://app.example.org (scheme, host and port only), comma-separated (got "https://app.example.org/path")',
    ],
    [
      { ATTACHE_CORS_ORIGINS: '*' },
      'ATTACHE_CORS_ORIGINS: must be origins like https://app.example.org (scheme, host and port only), comma-separated (got "*")',
    ],
    [
      { ATTACHE_BODY_LIMIT_BYTES: '10' },
      'ATTACHE_BODY_LIMIT_BYTES: must be a whole number of bytes from 1024 to 104857600 (got "10")',
    ],
  ])('refuses %j, also at start-up', (env, message) => {
    expect(loadHttpPolicy(env)).toEqual({ ok: false, error: message });
    expect(loadConfig(env)).toEqual({ ok: false, error: message });
  });
});

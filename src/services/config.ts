// Configuration from environment variables, validated once at start-up with one clear line per problem.
import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.js';
import type { ScreeningPolicy } from '../core/students/gates.js';
import type { StoreConfig } from '../store/database.js';
import {
  readSigningKey,
  readVerifyingKey,
  type SigningKey,
  type VerifyingKey,
} from './audit/audit-keys.js';
import { loadOidcSettings, OIDC_VARIABLES } from './access/oidc-config.js';
import type { RateLimits } from './access/rate-limit.service.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly store: StoreConfig;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly screening: ScreeningPolicy;
  /** The key that signs audit checkpoints, when one is configured (read and checked at start). */
  readonly auditSigningKey?: SigningKey;
  /** The key checkpoints are verified with, when one is configured. */
  readonly auditPublicKey?: VerifyingKey;
}

// ---- HTTP: who may call the server from where, and how much it reads (`attache serve`) ----

/** The HTTP server's limits; `loadHttpPolicy` reads them. */
export interface HttpPolicy {
  /** Host names (no port) a request's Host header may name, lower case; `*` alone: any. */
  readonly allowedHosts: readonly string[];
  /** Origins (`https://app.example.org`) whose pages may call the API; none: CORS closed. */
  readonly corsOrigins: readonly string[];
  /** The largest request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Units a minute per caller and per address (decision 019); null: no limits. */
  readonly rateLimits: RateLimits | null;
  /**
   * Which peers are proxies whose X-Forwarded-For names the client (for the address limit and the
   * logs): their addresses or CIDR ranges, or how many hops; false: none, the peer is the client.
   */
  readonly trustProxy: readonly string[] | number | false;
}

/** The Host names every server answers: this machine's loopback, by name or address. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;
const DEFAULT_BODY_LIMIT = 1_048_576;
/** Units a minute: a caller, and an address (one office behind one NAT holds several callers). */
const DEFAULT_CALLER_LIMIT = 3_000;
const DEFAULT_ADDRESS_LIMIT = 6_000;
const MAX_BODY_LIMIT = 104_857_600;

const HTTP_VARIABLES = [
  [
    'ATTACHE_ALLOWED_HOSTS',
    '(loopback and HOST)',
    'comma-separated host names the Host header may name besides localhost, 127.0.0.1, [::1] and `HOST` (any port); `*` for any. Other hosts get 421 (DNS rebinding defence)',
  ],
  [
    'ATTACHE_CORS_ORIGINS',
    '(unset)',
    'comma-separated origins (e.g. `https://app.example.org`) whose pages may call the API from a browser; unset: no cross-origin calls',
  ],
  [
    'ATTACHE_BODY_LIMIT_BYTES',
    '1048576',
    'the largest request body in bytes (1024–104857600); a larger one gets 413',
  ],
  [
    'ATTACHE_RATE_LIMIT_CALLER',
    String(DEFAULT_CALLER_LIMIT),
    'units a minute one API token, or one account signed in by browser, may spend (a request is 1, a batch of eligibility questions 1 more per 100); `off` for none. Past it: 429 with Retry-After',
  ],
  [
    'ATTACHE_RATE_LIMIT_ADDRESS',
    String(DEFAULT_ADDRESS_LIMIT),
    'units a minute one client address may spend, signed in or not; `off` for none',
  ],
  [
    'ATTACHE_TRUST_PROXY',
    '(unset)',
    'the proxies in front of the servers, whose X-Forwarded-For names the client: comma-separated addresses or CIDR ranges (`10.0.0.0/8`), or a number of hops; unset: the peer is the client',
  ],
] as const;

const HOST_NAME =
  /^(\*|\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/;

const httpSchema = {
  ATTACHE_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const names = list(v).map((n) => n.toLowerCase().replace(/\.$/, ''));
      const bad = names.find((n) => !HOST_NAME.test(n));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be host names without a port, comma-separated, or * (got "${bad}")`,
        });
        return z.NEVER;
      }
      return names;
    }),
  ATTACHE_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const origins = list(v);
      const bad = origins.find((o) => originOf(o) !== o);
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be origins like https://app.example.org (scheme, host and port only), comma-separated (got "${bad}")`,
        });
        return z.NEVER;
      }
      return origins;
    }),
  ATTACHE_BODY_LIMIT_BYTES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return DEFAULT_BODY_LIMIT;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1024 || n > MAX_BODY_LIMIT) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number of bytes from 1024 to ${MAX_BODY_LIMIT} (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    }),
  ATTACHE_RATE_LIMIT_CALLER: rateLimit(DEFAULT_CALLER_LIMIT),
  ATTACHE_RATE_LIMIT_ADDRESS: rateLimit(DEFAULT_ADDRESS_LIMIT),
  ATTACHE_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): readonly string[] | number | false => {
      if (v === undefined || v.trim() === '') return false;
      if (/^\d{1,2}$/.test(v.trim())) return Number(v.trim());
      const proxies = list(v);
      const bad = proxies.find((p) => !isAddressRange(p));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be IP addresses or CIDR ranges, comma-separated, or a number of hops (got "${bad}")`,
        });
        return z.NEVER;
      }
      return proxies;
    }),
};

/** A per-minute limit: a whole number from 1 to 10^9, or `off` (null). */
function rateLimit(fallback: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx): number | null => {
      if (v === undefined || v === '') return fallback;
      if (v.trim().toLowerCase() === 'off') return null;
      const n = Number(v);
      if (!/^\d{1,10}$/.test(v) || n < 1 || n > 1e9) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number of units a minute from 1 to 1000000000, or off (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    });
}

/** `10.0.0.1`, `::1`, `10.0.0.0/8` or `fd00::/8`. */
function isAddressRange(text: string): boolean {
  const [address = '', bits, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (version === 4 ? 32 : 128);
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The origin of a URL as a browser sends it (no path, no default port), or undefined. */
function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== 'null'
      ? url.origin
      : undefined;
  } catch {
    return undefined;
  }
}

/** The host name `HOST` answers to, when it names one (not a wildcard such as 0.0.0.0). */
function hostOfListen(host: string): string | undefined {
  const name = host.toLowerCase();
  if (name === '0.0.0.0' || name === '::' || name === '[::]') return undefined;
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

/**
 * The HTTP server's limits from the environment: the Host names it answers (loopback, `HOST` when
 * it is a name or an address, and `ATTACHE_ALLOWED_HOSTS`), the CORS origins, the body limit.
 */
export function loadHttpPolicy(
  env: Readonly<Record<string, string | undefined>>,
): Result<HttpPolicy, string> {
  const parsed = z.object(httpSchema).safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err(`${String(issue?.path[0] ?? 'environment')}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const listen = hostOfListen(
    env['HOST'] === undefined || env['HOST'] === '' ? 'localhost' : env['HOST'],
  );
  const configured = e.ATTACHE_ALLOWED_HOSTS;
  return ok({
    allowedHosts: configured.includes('*')
      ? ['*']
      : [...new Set([...LOOPBACK_HOSTS, ...(listen === undefined ? [] : [listen]), ...configured])],
    corsOrigins: e.ATTACHE_CORS_ORIGINS,
    bodyLimitBytes: e.ATTACHE_BODY_LIMIT_BYTES,
    rateLimits:
      e.ATTACHE_RATE_LIMIT_CALLER === null && e.ATTACHE_RATE_LIMIT_ADDRESS === null
        ? null
        : {
            perCaller: e.ATTACHE_RATE_LIMIT_CALLER ?? Infinity,
            perAddress: e.ATTACHE_RATE_LIMIT_ADDRESS ?? Infinity,
          },
    trustProxy: e.ATTACHE_TRUST_PROXY,
  });
}

/** Every variable Attaché reads: name, default and meaning (the README's table is this list). */
export const CONFIG_VARIABLES = [
  ['PORT', '8080', 'HTTP port of `attache serve` (1–65535)'],
  ['HOST', 'localhost', 'interface to listen on (`0.0.0.0` for all)'],
  [
    'DATABASE_URL',
    '(unset)',
    'a `postgres://` URL: use that PostgreSQL server instead of the embedded database',
  ],
  [
    'ATTACHE_DATA_DIR',
    './data',
    'folder of the embedded database (created with its parents); one process at a time',
  ],
  ['LOG_LEVEL', 'info', 'pino log level: fatal, error, warn, info, debug, trace or silent'],
  ['ATTACHE_ACTOR', 'cli:<login name>', 'who CLI writes are attributed to in the audit log'],
  [
    'ATTACHE_CHECK_RESPONSES',
    '(unset)',
    '`true`: check every API answer against the OpenAPI document; one that differs becomes a 500 naming the difference (tests, development)',
  ],
  [
    'ATTACHE_LEAHY_VALID_MONTHS',
    '12',
    'months a Leahy approval (person or unit) stays valid, counted to the class start (1–60)',
  ],
  [
    'ATTACHE_ECL_VALID_MONTHS',
    '6',
    'months an ECL score stays valid, counted to the report date (1–24)',
  ],
  [
    'ATTACHE_AUDIT_SIGNING_KEY_FILE',
    '(unset)',
    'Ed25519 private key (PKCS8 PEM, mode 600) that signs `attache audit checkpoint`',
  ],
  [
    'ATTACHE_AUDIT_PUBLIC_KEY_FILE',
    '(unset)',
    'public key checkpoints are verified with (default: the signing key’s)',
  ],
  ...HTTP_VARIABLES,
  ...OIDC_VARIABLES,
] as const;

const schema = z.object({
  PORT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return 8080;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 65535) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number from 1 to 65535 (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    }),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (v) => {
        if (v === undefined || v === '') return true;
        try {
          const url = new URL(v);
          return (
            (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
          );
        } catch {
          return false;
        }
      },
      { message: 'must be a URL like postgres://user:password@host:5432/database' },
    ),
  ATTACHE_DATA_DIR: z
    .string()
    .optional()
    .refine((v) => v === undefined || (v.trim() !== '' && !v.includes('\0')), {
      message: 'must be a folder path',
    }),
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  ATTACHE_LEAHY_VALID_MONTHS: months(12, 60),
  ATTACHE_ECL_VALID_MONTHS: months(6, 24),
  ATTACHE_AUDIT_SIGNING_KEY_FILE: keyFile(),
  ATTACHE_AUDIT_PUBLIC_KEY_FILE: keyFile(),
  ...httpSchema,
});

/** A key file's path: unset or empty means none. */
function keyFile() {
  return z
    .string()
    .optional()
    .refine((v) => v === undefined || !v.includes('\0'), { message: 'must be a file path' })
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : resolve(v)));
}

/** A whole number of months from 1 to `max`, `fallback` when unset. */
function months(fallback: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number of months from 1 to ${max} (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    });
}

/** Reads the configuration; the error names the variable and what is wrong with it. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
): Result<AppConfig, string> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const message =
      issue?.code === 'invalid_value'
        ? `must be one of ${LOG_LEVELS.join(', ')}`
        : (issue?.message ?? 'invalid');
    return err(`${variable}: ${message}`);
  }
  const e = parsed.data;
  const http = loadHttpPolicy(env);
  if (!http.ok) return http;
  // Checked here so a half-configured single sign-on stops every start; `serve` reads it again.
  const oidc = loadOidcSettings(env);
  if (!oidc.ok) return oidc;
  let store: StoreConfig;
  if (e.DATABASE_URL !== undefined && e.DATABASE_URL !== '') {
    store = { kind: 'postgres', url: e.DATABASE_URL };
  } else {
    const dataDir = resolve(e.ATTACHE_DATA_DIR ?? './data');
    const kind = pathKind(dataDir);
    if (kind === 'file') return err(`ATTACHE_DATA_DIR: ${dataDir} is a file, not a folder`);
    store = { kind: 'pglite', dataDir };
  }
  const keys = auditKeys(e.ATTACHE_AUDIT_SIGNING_KEY_FILE, e.ATTACHE_AUDIT_PUBLIC_KEY_FILE);
  if (!keys.ok) return keys;
  return ok({
    port: e.PORT,
    host: e.HOST ?? 'localhost',
    store,
    logLevel: e.LOG_LEVEL ?? 'info',
    screening: {
      leahyValidMonths: e.ATTACHE_LEAHY_VALID_MONTHS,
      eclValidMonths: e.ATTACHE_ECL_VALID_MONTHS,
    },
    ...keys.value,
  });
}

/** The audit keys configured, read and checked now so a bad one is reported at start. */
function auditKeys(
  signingFile: string | undefined,
  publicFile: string | undefined,
): Result<Pick<AppConfig, 'auditSigningKey' | 'auditPublicKey'>, string> {
  const keys: { auditSigningKey?: SigningKey; auditPublicKey?: VerifyingKey } = {};
  if (signingFile !== undefined) {
    const key = readSigningKey(signingFile);
    if (!key.ok) return err(`ATTACHE_AUDIT_SIGNING_KEY_FILE: ${key.error}`);
    keys.auditSigningKey = key.value;
  }
  if (publicFile !== undefined) {
    const key = readVerifyingKey(publicFile);
    if (!key.ok) return err(`ATTACHE_AUDIT_PUBLIC_KEY_FILE: ${key.error}`);
    keys.auditPublicKey = key.value;
  }
  return ok(keys);
}

function pathKind(path: string): 'missing' | 'dir' | 'file' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

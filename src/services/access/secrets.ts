// Secrets handed out once (passwords, session cookies, API tokens) and how they are kept: argon2id
// for passwords (slow on purpose), sha256 for random secrets (they carry 256 bits already).
import { hash as digestOf, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** A generated password: 24 characters of base64url, 144 random bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A random secret with a readable prefix, e.g. `att_…` for a token. */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function sha256(text: string): string {
  return digestOf('sha256', text, 'hex');
}

/** Equal hex digests, compared in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password); // argon2id, the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum)
}

/**
 * Checks a password against its hash; for an unknown account pass no hash, and a dummy hash is
 * checked instead, so an unknown login takes as long as a wrong password.
 */
export async function checkPassword(
  password: string,
  passwordHash: string | null,
): Promise<boolean> {
  const target = passwordHash ?? (await dummyHash());
  try {
    const good = await verify(target, password);
    return good && passwordHash !== null;
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hash(randomBytes(18).toString('base64url'));
  return dummy;
}

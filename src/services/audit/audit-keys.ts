// The keys that sign and verify audit checkpoints, and checkpoint files: made, read and checked
// here (owner-only private key, Ed25519 only), each failure one sentence naming the file.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import {
  CHECKPOINT_FORMAT,
  anchorSpacing,
  keyIdOf,
  type Checkpoint,
} from '../../core/audit-checkpoint.js';
import { err, ok, type Result } from '../../core/result.js';

export interface VerifyingKey {
  readonly file: string;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

export interface SigningKey extends VerifyingKey {
  readonly privateKey: KeyObject;
}

/** How to make a key, for every message that finds none. */
export const KEYGEN_HINT = 'attache audit keygen --out FILE';

/** A file's text, or why it cannot be read. */
function readText(file: string): Result<string, string> {
  try {
    if (statSync(file).isDirectory()) return err(`${file} is a folder, not a file`);
    return ok(readFileSync(file, 'utf8'));
  } catch (error) {
    return err(`${file} ${cannot(error)}`);
  }
}

function cannot(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    default:
      return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

function mustBeEd25519(file: string, key: KeyObject): Result<KeyObject, string> {
  return key.asymmetricKeyType === 'ed25519'
    ? ok(key)
    : err(
        `${file} holds an ${key.asymmetricKeyType ?? 'unknown'} key; audit checkpoints are signed with Ed25519 (${KEYGEN_HINT} makes one)`,
      );
}

/**
 * Reads the private key that signs checkpoints: a PKCS8 PEM Ed25519 key in a file only its owner
 * can read (a key others can read signs for anyone).
 */
export function readSigningKey(file: string): Result<SigningKey, string> {
  const text = readText(file);
  if (!text.ok) return text;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text.value, format: 'pem' });
  } catch {
    return err(`${file} is not a PEM private key (${KEYGEN_HINT} makes one)`);
  }
  const ed25519 = mustBeEd25519(file, privateKey);
  if (!ed25519.ok) return ed25519;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    return err(
      `${file} is open to group or others (mode ${mode.toString(8).padStart(3, '0')}): a signing key must be its owner's alone; run chmod 600 ${file}`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return ok({ file, privateKey, publicKey, keyId: keyIdOf(publicKey) });
}

/** Reads a public key (SPKI PEM, as keygen prints it) to verify checkpoints with. */
export function readVerifyingKey(file: string): Result<VerifyingKey, string> {
  const text = readText(file);
  if (!text.ok) return text;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: text.value, format: 'pem' });
  } catch {
    return err(`${file} is not a PEM public key (${KEYGEN_HINT} prints one)`);
  }
  const ed25519 = mustBeEd25519(file, publicKey);
  if (!ed25519.ok) return ed25519;
  return ok({ file, publicKey, keyId: keyIdOf(publicKey) });
}

export interface GeneratedKey {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string | null;
  readonly keyId: string;
  /** The public key, SPKI PEM: what verifiers are given. */
  readonly publicKey: string;
}

/** Writes `text` to a new file; never replaces one. */
function writeNew(file: string, text: string, mode: number): Result<void, string> {
  try {
    writeFileSync(file, text, { mode, flag: 'wx' });
    return ok(undefined);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return err(`${file} already exists: it is never overwritten`);
    if (code === 'ENOENT') return err(`${file}: its folder does not exist`);
    if (code === 'EACCES' || code === 'EPERM')
      return err(`${file} cannot be written (permission denied)`);
    if (code === 'EISDIR') return err(`${file} is a folder, not a file`);
    throw new Error(`writing ${file}`, { cause: error });
  }
}

/**
 * Makes a new Ed25519 key pair: the private key into `privateKeyFile` (mode 600, never replacing a
 * file), the public key into `publicKeyFile` when given, and returns the public key.
 */
export function generateSigningKey(
  privateKeyFile: string,
  publicKeyFile?: string,
): Result<GeneratedKey, string> {
  const pair = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  if (publicKeyFile !== undefined && publicKeyFile === privateKeyFile)
    return err(`the public key cannot go to the private key's file ${privateKeyFile}`);
  // Checked first, so a refused public key file leaves no private key behind.
  if (publicKeyFile !== undefined && existsSync(publicKeyFile))
    return err(`${publicKeyFile} already exists: it is never overwritten`);
  const written = writeNew(privateKeyFile, pair.privateKey, 0o600);
  if (!written.ok) return written;
  if (publicKeyFile !== undefined) {
    const pub = writeNew(publicKeyFile, pair.publicKey, 0o644);
    if (!pub.ok) return pub;
  }
  return ok({
    privateKeyFile,
    publicKeyFile: publicKeyFile ?? null,
    keyId: keyIdOf(createPublicKey(pair.publicKey)),
    publicKey: pair.publicKey,
  });
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

const CheckpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    seq: z.number().int().min(0),
    headHash: hex64,
    recordedAt: z.string().min(1).max(100),
    keyId: hex64,
    anchors: z.object({
      every: z.number().int().min(1),
      hashes: z.array(hex64),
    }),
    signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .strict()
  .refine((c) => c.anchors.every === anchorSpacing(c.seq), {
    path: ['anchors', 'every'],
    message: 'does not match the sequence',
  })
  .refine((c) => c.anchors.hashes.length === Math.floor(c.seq / c.anchors.every), {
    path: ['anchors', 'hashes'],
    message: 'do not match the sequence',
  });

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Reads a checkpoint file; says which field is wrong when it is not one. */
export function readCheckpointFile(file: string): Result<Checkpoint, string> {
  const text = readText(file);
  if (!text.ok) return text;
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch (error) {
    return err(
      `${file} is not JSON (${oneLine(error instanceof Error ? error.message : String(error))}): not an audit checkpoint`,
    );
  }
  const parsed = parseCheckpoint(json);
  if (!parsed.ok) {
    const where = parsed.error.path === '' ? '' : `${parsed.error.path} `;
    return err(`${file} is not an audit checkpoint: ${where}${parsed.error.message}`);
  }
  return parsed;
}

/** A checkpoint from parsed JSON (a file, a request); else the path in it at fault and why. */
export function parseCheckpoint(
  json: unknown,
): Result<Checkpoint, { readonly path: string; readonly message: string }> {
  const parsed = CheckpointSchema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return err({ path: issue?.path.join('.') ?? '', message: issue?.message ?? 'invalid' });
}

/** Writes a checkpoint to a new file (never replacing one: an old checkpoint is evidence too). */
export function writeCheckpointFile(file: string, checkpoint: Checkpoint): Result<void, string> {
  return writeNew(file, `${JSON.stringify(checkpoint, null, 2)}\n`, 0o644);
}

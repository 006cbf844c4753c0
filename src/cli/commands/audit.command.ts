// `attache audit`: verify the hash chain (against a signed checkpoint, and the records with --deep),
// sign checkpoints, and make the key that signs them.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Checkpoint } from '../../core/audit-checkpoint.js';
import {
  KEYGEN_HINT,
  generateSigningKey,
  readCheckpointFile,
  readSigningKey,
  readVerifyingKey,
  writeCheckpointFile,
  type SigningKey,
  type VerifyingKey,
} from '../../services/audit/audit-keys.js';
import {
  describeFinding,
  makeCheckpoint,
  verifyAudit,
  type AuditVerification,
  type DeepReport,
} from '../../services/audit/audit.service.js';
import { cliPath, configFromEnv, withApp } from '../context.js';
import { CliFailure, EXIT, printJson, type Output } from '../output.js';

/** The signing key: `--key`, else the configured one; none is bad input, with how to make one. */
function signingKey(flag: string | undefined): SigningKey {
  if (flag !== undefined) {
    const key = readSigningKey(cliPath(flag));
    if (!key.ok) throw new CliFailure(`--key: ${key.error}`, EXIT.badInput);
    return key.value;
  }
  const configured = configFromEnv().auditSigningKey;
  if (configured === undefined) {
    throw new CliFailure(
      `no audit signing key: make one with \`${KEYGEN_HINT}\`, then set ATTACHE_AUDIT_SIGNING_KEY_FILE=FILE (or pass --key FILE)`,
      EXIT.badInput,
    );
  }
  return configured;
}

/** The key a checkpoint must be signed with: never one the checkpoint names or carries. */
function verifyingKey(flag: string | undefined): VerifyingKey {
  if (flag !== undefined) {
    const key = readVerifyingKey(cliPath(flag));
    if (!key.ok) throw new CliFailure(`--public-key: ${key.error}`, EXIT.badInput);
    return key.value;
  }
  const config = configFromEnv();
  const configured = config.auditPublicKey ?? config.auditSigningKey;
  if (configured === undefined) {
    throw new CliFailure(
      '--checkpoint: no key to check its signature with: pass --public-key FILE or set ATTACHE_AUDIT_PUBLIC_KEY_FILE (a checkpoint is never trusted with a key of its own)',
      EXIT.badInput,
    );
  }
  return configured;
}

function checkpointFrom(file: string): Checkpoint {
  const checkpoint = readCheckpointFile(cliPath(file));
  if (!checkpoint.ok) throw new CliFailure(`--checkpoint: ${checkpoint.error}`, EXIT.badInput);
  return checkpoint.value;
}

const short = (hash: string) => `${hash.slice(0, 16)}…`;

function printDeep(output: Output, deep: DeepReport): void {
  const compared = Object.values(deep.compared).reduce((a, b) => a + b, 0);
  output.out(
    `deep: ${deep.entries} entries replayed against ${compared} records (${Object.entries(
      deep.compared,
    )
      .filter(([, n]) => n > 0)
      .map(([record, n]) => `${record} ${n}`)
      .join(', ')})${deep.reads > 0 ? `; ${deep.reads} read entries` : ''}`,
  );
  if (deep.notCompared.length > 0) {
    output.out(
      `deep: not compared (entries no rule reads): ${deep.notCompared
        .map((n) => `${n.entityType} ${n.action} ×${n.entries}`)
        .join(', ')}`,
    );
  }
  for (const limit of deep.limits) output.out(`deep: not compared: ${limit}`);
  for (const finding of deep.differences) output.out(`difference: ${describeFinding(finding)}`);
  if (deep.ok) output.out('deep: every compared record matches the log');
}

function printVerification(output: Output, result: AuditVerification): void {
  if (result.break === undefined)
    output.out(`audit chain intact: ${result.entries} entries, head ${result.headHash}`);
  const cp = result.checkpoint;
  if (cp !== undefined && cp.holds) {
    output.out(
      `checkpoint holds: entry ${cp.seq} (head ${short(cp.headHash)}) signed by key ${short(cp.keyId)} at ${cp.recordedAt}${cp.entriesSince === 0 || cp.entriesSince === null ? '' : `; ${cp.entriesSince} entries written since are not covered by it`}`,
    );
  }
  if (result.deep !== undefined) printDeep(output, result.deep);
}

export function registerAuditCommands(program: Command, output: Output): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit log');
  audit
    .command('verify')
    .description(
      'verify the hash chain (against a signed checkpoint; against the records with --deep); exit 1 naming the first entry that breaks',
    )
    .option(
      '--checkpoint <file>',
      'a checkpoint (`attache audit checkpoint`) the log must bear out',
    )
    .option(
      '--public-key <file>',
      'the public key the checkpoint must be signed with (default: ATTACHE_AUDIT_PUBLIC_KEY_FILE, else the signing key’s)',
    )
    .option(
      '--deep',
      'also replay the log against the records: name every record changed without an entry',
    )
    .option('--json', 'print the verification object')
    .action(
      async (opts: { checkpoint?: string; publicKey?: string; deep?: boolean; json?: boolean }) => {
        if (opts.publicKey !== undefined && opts.checkpoint === undefined)
          throw new CliFailure(
            '--public-key: checks a checkpoint: give --checkpoint FILE too',
            EXIT.badInput,
          );
        const checkpoint =
          opts.checkpoint === undefined
            ? undefined
            : { checkpoint: checkpointFrom(opts.checkpoint), key: verifyingKey(opts.publicKey) };
        const result = await withApp((ctx) =>
          verifyAudit(ctx, {
            ...(checkpoint === undefined ? {} : { checkpoint }),
            deep: opts.deep === true,
          }),
        );
        if (opts.json === true) printJson(output, result);
        else printVerification(output, result);
        if (!result.ok)
          throw new CliFailure(result.message ?? 'audit verification failed', EXIT.refused);
      },
    );
  audit
    .command('checkpoint')
    .description(
      'sign the head of the audit chain (sequence, head hash, time) with the audit key; print it, or write it with --out',
    )
    .option('--out <file>', 'write the checkpoint to this new file (never overwritten)')
    .option('--key <file>', 'the private key (default: ATTACHE_AUDIT_SIGNING_KEY_FILE)')
    .option('--json', 'print the checkpoint object')
    .action(async (opts: { out?: string; key?: string; json?: boolean }) => {
      const key = signingKey(opts.key);
      const out = opts.out === undefined ? undefined : cliPath(opts.out);
      if (out !== undefined && existsSync(out))
        throw new CliFailure(
          `--out: ${out} already exists: it is never overwritten`,
          EXIT.badInput,
        );
      const made = await withApp((ctx) => makeCheckpoint(ctx, key));
      if (!made.ok) {
        throw new CliFailure(
          `no checkpoint of a broken chain: ${made.error.message}`,
          EXIT.refused,
        );
      }
      const checkpoint = made.value;
      if (out !== undefined) {
        const written = writeCheckpointFile(out, checkpoint);
        if (!written.ok) throw new CliFailure(`--out: ${written.error}`, EXIT.badInput);
      }
      if (opts.json === true || out === undefined) return printJson(output, checkpoint);
      output.out(
        `checkpoint of audit entry ${checkpoint.seq} (head ${short(checkpoint.headHash)}) signed by key ${short(checkpoint.keyId)} at ${checkpoint.recordedAt}: ${out}`,
      );
    });
  audit
    .command('keygen')
    .description(
      'make an Ed25519 key to sign audit checkpoints: writes the private key (mode 600), prints the public key',
    )
    .requiredOption('--out <file>', 'the new private key file (never overwritten)')
    .option('--public-out <file>', 'also write the public key to this new file')
    .option('--json', 'print the key object')
    .action((opts: { out: string; publicOut?: string; json?: boolean }) => {
      const made = generateSigningKey(
        cliPath(opts.out),
        opts.publicOut === undefined ? undefined : cliPath(opts.publicOut),
      );
      if (!made.ok) throw new CliFailure(made.error, EXIT.badInput);
      if (opts.json === true) return printJson(output, made.value);
      const { privateKeyFile, publicKeyFile, keyId, publicKey } = made.value;
      output.out(`private key written to ${privateKeyFile} (readable by you alone)`);
      output.out(`key id ${keyId}`);
      output.out(
        `sign with ATTACHE_AUDIT_SIGNING_KEY_FILE=${privateKeyFile}; verifiers need only the public key${publicKeyFile === null ? '' : `, written to ${publicKeyFile}`}:`,
      );
      output.out(publicKey.trimEnd());
    });
}

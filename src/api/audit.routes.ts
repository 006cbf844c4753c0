// The audit log for its readers: the log at a glance, its entries filtered and paged, verification
// now, and a signed checkpoint as a file. Every route only reads (DESIGN §6).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHECKPOINT_FORMAT } from '../core/audit-checkpoint.js';
import type { Result } from '../core/result.js';
import {
  DEFAULT_AUDIT_PAGE,
  MAX_AUDIT_PAGE,
  MAX_LISTED_DIFFERENCES,
  PUBLIC_KEY_VARIABLE,
  SIGNING_KEY_VARIABLE,
  auditKeysFromEnv,
  auditKeysStamp,
  auditOverview,
  exportCheckpoint,
  listAuditEntries,
  verifyAuditNow,
  type AuditKeys,
} from '../services/audit/audit-query.service.js';
import type { AppContext } from '../services/context.js';
import { submitJob } from '../services/jobs/job.service.js';
import { problems, responseHeaders } from './contract.js';
import { instant } from './fields.js';
import { actorOf, writers } from './http.js';
import { JobSchema, sendAccepted } from './job.routes.js';
import { sendResult } from './reply.js';

const WHO = `Who: ${writers('audit.read')} (audit.read); any other role gets 403 ACCESS.FORBIDDEN.`;
const READS_ONLY =
  'It writes nothing: no record and no audit entry (a look at the log is not itself logged).';

const hash = (description: string) =>
  z.string().meta({
    description,
    example: 'f0816135274b94c8abe72ce459df7d7f8c1396a3032abfc7f332a5325c15f764',
  });

const ValueCount = z.object({
  value: z.string(),
  entries: z.number().int().meta({ description: 'entries with this value' }),
});

const AuditOverviewSchema = z
  .object({
    entries: z.number().int().meta({ description: 'entries in the log' }),
    head: z
      .object({
        seq: z.number().int().meta({ description: 'the last entry’s sequence' }),
        hash: hash('the last entry’s hash: it covers every entry before it through the chain'),
        recordedAt: instant('when the last entry was written'),
      })
      .nullable()
      .meta({ description: 'the last entry; null for an empty log' }),
    entityTypes: z.array(ValueCount).readonly().meta({ description: 'entity types, by name' }),
    actions: z.array(ValueCount).readonly().meta({ description: 'actions, by name' }),
    actors: z.array(ValueCount).readonly().meta({ description: 'actors, by name' }),
    keys: z.object({
      signingKeyId: z
        .string()
        .nullable()
        .meta({
          description: `the id (sha256 of the public key) of the key that signs checkpoints; null: none is configured (${SIGNING_KEY_VARIABLE}), so none can be exported`,
        }),
      verifyingKeyId: z
        .string()
        .nullable()
        .meta({
          description: `the id of the key a checkpoint’s signature is checked with (${PUBLIC_KEY_VARIABLE}, else the signing key); null: none can be checked`,
        }),
    }),
  })
  .meta({ id: 'AuditOverview' });

const Change = z.object({
  field: z.string().meta({ description: 'a top-level field of the record ("" for a whole value)' }),
  before: z.unknown().meta({ description: 'its value before (null: absent)' }),
  after: z.unknown().meta({ description: 'its value after (null: absent)' }),
});

export const AuditEntrySchema = z
  .object({
    seq: z.number().int().meta({ description: 'the entry’s place in the chain, from 1' }),
    recordedAt: instant('when the write was made'),
    actor: z.string().meta({
      description: 'who made it: `user:<email>` for a person, `system:<task>` for the system',
      example: 'user:pm@demo.attache',
    }),
    action: z.string().meta({ example: 'seat.cancel' }),
    entityType: z.string().meta({ example: 'seat' }),
    entityId: z.string().meta({ example: 'seat_00bf1838f4d2' }),
    reason: z.string().nullable().meta({ description: 'why, when the writer gave a reason' }),
    before: z.unknown().meta({
      description:
        'the record before the write as the entry states it (its canonical JSON, parsed); null for a creation or a read',
    }),
    after: z.unknown().meta({
      description: 'the record after the write; null for a read. Some entries state a summary',
    }),
    changes: z.array(Change).readonly().meta({
      description:
        'the top-level fields whose values differ between before and after, by name (every field of a creation)',
    }),
    prevHash: hash('the hash of the entry before (64 zeros for the first)'),
    hash: hash(
      'sha256 of prevHash, a newline and the entry’s canonical text: [seq, recordedAt, actor, action, entityType, entityId, before, after, reason] as JSON, before and after as canonical JSON text',
    ),
  })
  .meta({ id: 'AuditEntry' });

const filterText = (description: string, example: string) =>
  z
    .string()
    .optional()
    .meta({ description: `${description} (exact match)`, example });

const EntriesQuery = z.object({
  actor: filterText('who made the write, e.g. user:pm@demo.attache', 'system:demo'),
  action: filterText('the action', 'seat.cancel'),
  entityType: filterText('the kind of record', 'seat'),
  entityId: filterText('the record’s id', 'seat_00bf1838f4d2'),
  from: z.string().optional().meta({
    description:
      'recorded on or after: a calendar date YYYY-MM-DD (from its start, UTC) or an ISO 8601 instant',
    example: '2026-11-01',
  }),
  to: z.string().optional().meta({
    description:
      'recorded on or before: a calendar date YYYY-MM-DD (to its end, UTC) or an ISO 8601 instant (included)',
    example: '2026-11-30',
  }),
  limit: z
    .string()
    .optional()
    .meta({
      description: `page size, 1–${MAX_AUDIT_PAGE} (default ${DEFAULT_AUDIT_PAGE})`,
      example: '50',
    }),
  offset: z
    .string()
    .optional()
    .meta({ description: 'matching entries to skip (default 0)', example: '0' }),
  before: z.string().optional().meta({
    description:
      'a cursor: only entries with a sequence below this (the `nextBefore` of the page before)',
    example: '4453',
  }),
});

const EntryPage = z
  .object({
    items: z.array(AuditEntrySchema).readonly(),
    total: z.number().int().meta({ description: 'entries matching the filters (and cursor)' }),
    limit: z.number().int(),
    offset: z.number().int(),
    nextBefore: z.number().int().nullable().meta({
      description:
        'the `before` of the next page (the lowest sequence here); null on the last page',
    }),
  })
  .meta({ id: 'AuditEntryPage' });

const hex64 = (description: string) => z.string().meta({ description, pattern: '^[0-9a-f]{64}$' });

export const CheckpointSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    seq: z.number().int().meta({ description: 'the last entry it covers (0: an empty log)' }),
    headHash: hex64('that entry’s hash'),
    recordedAt: z.string().meta({ format: 'date-time', description: 'when it was made' }),
    keyId: hex64('the signing key’s id: sha256 of its public key (SPKI DER), hex'),
    anchors: z
      .object({
        every: z.number().int().meta({ description: 'spacing of the anchored entries' }),
        hashes: z.array(z.string()).readonly().meta({
          description: 'hashes of entries every, 2 × every, … up to seq',
        }),
      })
      .meta({ description: 'at most 512 hashes: they locate a rewrite of the chain' }),
    signature: z.string().meta({ description: 'Ed25519 signature (base64) of the rest' }),
  })
  .meta({ id: 'AuditCheckpoint', description: 'a signed checkpoint (decision 008)' });

const BREAK_KINDS = [
  'hash-mismatch',
  'link-mismatch',
  'sequence-gap',
  'checkpoint-mismatch',
  'truncated',
  'checkpoint-key',
  'checkpoint-signature',
] as const;
const FINDING_KINDS = ['field-differs', 'row-missing', 'row-unaudited'] as const;

const VerificationSchema = z
  .object({
    ok: z.boolean().meta({ description: 'the chain (and the checkpoint, and the records) hold' }),
    checkedAt: instant('when it was verified'),
    entries: z.number().int().meta({
      description: 'entries verified: all when the chain holds, else those before the break',
    }),
    headHash: hash('the hash of the last entry verified'),
    summary: z.string().meta({ description: 'the outcome in a sentence or two, for people' }),
    break: z
      .object({
        kind: z.enum(BREAK_KINDS),
        seq: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'the entry at fault; null when it is the checkpoint' }),
        description: z.string().meta({
          example: 'audit entry 17 was changed: its hash no longer matches its content',
        }),
      })
      .nullable()
      .meta({ description: 'the first thing wrong; null when nothing is' }),
    checkpoint: z
      .object({
        seq: z.number().int(),
        headHash: z.string(),
        recordedAt: z.string(),
        keyId: z.string(),
        holds: z.boolean().meta({ description: 'the log bears the checkpoint out' }),
        entriesSince: z.number().int().nullable().meta({
          description: 'entries written after it (not covered by it); null when it does not hold',
        }),
      })
      .nullable()
      .meta({ description: 'the checkpoint given, and whether it holds; null when none given' }),
    deep: z
      .object({
        ok: z.boolean(),
        entries: z.number().int().meta({ description: 'entries replayed' }),
        reads: z.number().int().meta({ description: '`read` entries among them' }),
        compared: z
          .array(z.object({ record: z.string(), count: z.number().int() }))
          .readonly()
          .meta({ description: 'records compared, by kind' }),
        notCompared: z
          .array(
            z.object({ entityType: z.string(), action: z.string(), entries: z.number().int() }),
          )
          .readonly()
          .meta({ description: 'entries of actions no rule compares' }),
        limits: z
          .array(z.string())
          .readonly()
          .meta({ description: 'what deep verification does not compare, in words' }),
        differenceCount: z.number().int(),
        differences: z
          .array(
            z.object({
              kind: z.enum(FINDING_KINDS),
              record: z.string(),
              id: z.string(),
              version: z.number().int().nullable(),
              field: z.string().nullable(),
              seq: z.number().int().nullable().meta({ description: 'the entry contradicted' }),
              description: z.string(),
            }),
          )
          .readonly()
          .meta({
            description: `records that differ from the log (the first ${MAX_LISTED_DIFFERENCES})`,
          }),
      })
      .nullable()
      .meta({ description: 'the replay against the records; null unless `deep` was asked' }),
  })
  .meta({ id: 'AuditVerification' });

const VerifyBody = z
  .object({
    deep: z.boolean().optional().meta({
      description: 'also replay the log against the records (slower)',
    }),
    checkpoint: CheckpointSchema.optional().meta({
      description: 'a checkpoint exported earlier, as its file holds it',
    }),
  })
  .meta({ example: { deep: false } });

/**
 * The audit routes. `keys` reads the server's audit keys at each use (by default from the
 * process's environment, as `attache serve` and the CLI in its process read them).
 */
export function auditRoutes(
  ctx: AppContext,
  keys: () => Result<AuditKeys> = () => auditKeysFromEnv(),
  keysStamp: () => string = () => auditKeysStamp(),
): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/audit',
      {
        // Kept until an entry is appended (a read's too: it is counted), or the keys' files move.
        config: { kept: true, keptWith: 'audit-log', keptAlong: keysStamp },
        schema: {
          operationId: 'auditOverview',
          tags: ['audit'],
          summary: 'The audit log at a glance',
          description: `How many entries the log holds, its head (last sequence, hash, time), the entity types, actions and actors in it with their counts (for filters), and which audit keys the server has. ${WHO} ${READS_ONLY} Refusals: 503 AUDIT.KEY_UNREADABLE (a configured key file cannot be read).`,
          response: { 200: AuditOverviewSchema, ...problems(403, 503) },
        },
      },
      async (request, reply) => sendResult(reply, await auditOverview(ctx, actorOf(request), keys)),
    );
    app.get(
      '/audit/entries',
      {
        // Its pages are kept in memory until any entry is appended (decision 019).
        config: { kept: true, keptWith: 'audit-log' },
        schema: {
          operationId: 'listAuditEntries',
          tags: ['audit'],
          summary: 'Audit entries, filtered, newest first',
          description: `The log's entries matching every filter given (actor, action, entity type and id exactly; a time range), newest (highest sequence) first, a page at a time: by \`limit\` and \`offset\`, or by the cursor \`before\`. Each entry as it is chained: sequence, time, actor, action, entity, reason, the record before and after, the fields that changed, and its hashes. ${WHO} ${READS_ONLY} Refusals: 400 INPUT.INVALID naming \`from\` or \`to\` (not a date or instant, or \`to\` before \`from\`), \`limit\`, \`offset\`, \`before\`, or a filter longer than 200 characters.`,
          querystring: EntriesQuery,
          response: { 200: EntryPage, ...problems(403) },
        },
      },
      async (request, reply) =>
        sendResult(reply, await listAuditEntries(ctx, actorOf(request), request.query)),
    );
    app.post(
      '/audit/verify',
      {
        schema: {
          operationId: 'verifyAudit',
          tags: ['audit'],
          summary: 'Verify the audit chain now',
          description: `Walks the whole chain as \`attache audit verify\` does: every entry's hash against its content and its link to the entry before; against a checkpoint exported earlier when one is given (its signature checked with the server's key, never one the checkpoint brings); and, with \`deep\`, replays the log against the records and names each record changed without an entry. Answers 200 whatever it finds: \`ok\`, the first break in words (the entry at fault), the checkpoint's standing, the deep report (POST /audit/verifications runs the same as a job). ${WHO} ${READS_ONLY} Refusals: 400 INPUT.INVALID naming the field of \`checkpoint\` that is not a checkpoint's; 422 AUDIT.NO_VERIFYING_KEY (a checkpoint given, but the server has no key to check it with); 503 AUDIT.KEY_UNREADABLE.`,
          body: VerifyBody,
          response: { 200: VerificationSchema, ...problems(403, 422, 503) },
        },
      },
      async (request, reply) =>
        sendResult(reply, await verifyAuditNow(ctx, actorOf(request), request.body, keys)),
    );
    app.post(
      '/audit/verifications',
      {
        schema: {
          operationId: 'startAuditVerification',
          tags: ['audit', 'jobs'],
          summary: 'Verify the audit chain as a job',
          description: `The verification of POST /audit/verify (the same body, the same report) run as a job, for a log too long to wait on: answers 202 at once with the job (Location: /jobs/{id}), whose progress counts the entries verified of all and whose result is the report as a JSON file. The job runs as the caller, with the audit keys of the server that runs it. ${WHO} ${READS_ONLY} Refusals: 400 INPUT.INVALID naming \`deep\` or the field of \`checkpoint\` that is not a checkpoint's; 503 JOBS.NOT_RUNNING (this server runs no jobs). A refusal met when it runs (AUDIT.NO_VERIFYING_KEY, AUDIT.KEY_UNREADABLE) fails the job, named in its outcome.`,
          body: VerifyBody,
          response: { 202: JobSchema, ...problems(403, 503) },
          ...responseHeaders({ 202: ['Location'] }),
        },
      },
      async (request, reply) =>
        sendAccepted(reply, await submitJob(ctx, actorOf(request), 'audit.verify', request.body)),
    );
    app.post(
      '/audit/checkpoints',
      {
        schema: {
          operationId: 'exportAuditCheckpoint',
          tags: ['audit'],
          summary: 'Export a signed checkpoint of the audit chain',
          description: `Signs the chain's head (sequence, head hash, time, up to 512 anchors) with the server's audit key, as \`attache audit checkpoint\` does, and answers it as a JSON file to keep where the database's administrators cannot change it (decision 008): \`attache audit verify --checkpoint FILE\`, or POST /audit/verify, later proves the log up to it unchanged. It vouches only for a chain that verifies. ${WHO} Readers may take one because it writes nothing: no record and no entry (the signature is made with the server's key, of what anyone who may read the log can see). A POST, not a GET: each answer is a new signature at a new time. Refusals: 422 AUDIT.NO_SIGNING_KEY (no key configured: an unsigned checkpoint vouches for nothing), AUDIT.CHAIN_BROKEN (the chain does not verify; \`details.seq\` names the entry); 503 AUDIT.KEY_UNREADABLE.`,
          response: { 200: CheckpointSchema, ...problems(403, 422, 503) },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) => {
        const made = await exportCheckpoint(ctx, actorOf(request), keys);
        if (!made.ok) return sendResult(reply, made);
        reply.header('content-disposition', `attachment; filename="${made.value.fileName}"`);
        reply.header('cache-control', 'no-store');
        return made.value.checkpoint;
      },
    );
  };
}

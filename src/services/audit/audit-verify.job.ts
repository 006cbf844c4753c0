// Audit verification as a job (`audit.verify`): the same verification as POST /audit/verify and
// `attache audit verify`, with its progress, its report kept as a JSON file to download.
import { invalid, err, ok, type Result } from '../../core/result.js';
import type { JobHandler } from '../jobs/job-handler.js';
import {
  auditKeysFromEnv,
  readCheckpoint,
  verifyAuditNow,
  type VerifyRequest,
} from './audit-query.service.js';

export const auditVerifyJob: JobHandler<VerifyRequest> = {
  kind: 'audit.verify',
  capability: 'audit.read',
  // It reads; run again from the start when its server dies.
  rerunnable: true,
  parseInput(input: unknown): Result<VerifyRequest> {
    const body = input ?? {};
    if (typeof body !== 'object' || Array.isArray(body))
      return err(invalid('body', 'an object: { deep?, checkpoint? }'));
    const { deep, checkpoint, ...other } = body as Record<string, unknown>;
    const unknown = Object.keys(other)[0];
    if (unknown !== undefined) return err(invalid(unknown, 'not a field of a verification'));
    if (deep !== undefined && typeof deep !== 'boolean')
      return err(invalid('deep', 'true or false'));
    if (checkpoint !== undefined) {
      const read = readCheckpoint(checkpoint);
      if (!read.ok) return read;
    }
    return ok({
      ...(deep === undefined ? {} : { deep }),
      ...(checkpoint === undefined ? {} : { checkpoint }),
    });
  },
  describeInput: (input) => ({
    deep: input.deep === true,
    checkpoint:
      input.checkpoint === undefined
        ? null
        : { seq: (input.checkpoint as { seq?: unknown }).seq ?? null },
  }),
  async run(ctx, actor, input, progress) {
    // The keys of the process that runs it, as `attache serve` reads them.
    const verified = await verifyAuditNow(ctx, actor, input, () => auditKeysFromEnv(), progress);
    if (!verified.ok) return verified;
    const stamp = verified.value.checkedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    return ok({
      fileName: `attache-audit-verification-${stamp}.json`,
      contentType: 'application/json',
      bytes: Buffer.from(`${JSON.stringify(verified.value, null, 2)}\n`),
      summary: {
        ok: verified.value.ok,
        entries: verified.value.entries,
        summary: verified.value.summary,
      },
    });
  },
};

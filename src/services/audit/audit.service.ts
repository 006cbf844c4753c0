// Audit verification: walks the hash chain page by page and names the first entry that breaks.
import { verifyChain, CHAIN_START, type ChainBreak } from '../../core/audit-chain.js';
import { readAuditPage } from '../../store/audit.repository.js';
import type { AppContext } from '../context.js';

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly break: ChainBreak;
      readonly message: string;
    };

const PAGE = 5_000;

export async function verifyAudit(ctx: AppContext): Promise<AuditVerification> {
  let cursor = CHAIN_START;
  for (;;) {
    const page = await readAuditPage(ctx.store.db, cursor.nextSeq - 1, PAGE);
    const result = verifyChain(page, cursor);
    if (!result.ok) {
      return {
        ok: false,
        entries: cursor.nextSeq - 1,
        break: result.break,
        message: describeBreak(result.break),
      };
    }
    cursor = result.cursor;
    if (page.length < PAGE)
      return { ok: true, entries: cursor.nextSeq - 1, headHash: cursor.headHash };
  }
}

function describeBreak(b: ChainBreak): string {
  switch (b.kind) {
    case 'hash-mismatch':
      return `audit entry ${b.seq} was changed: its hash no longer matches its content`;
    case 'link-mismatch':
      return `audit entry ${b.seq} does not link to entry ${b.seq - 1}: the entry before it was replaced`;
    case 'sequence-gap':
      return `audit entry ${b.expectedSeq} is missing (next entry found: ${b.seq})`;
  }
}

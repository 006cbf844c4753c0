// Who a job runs as: the person who submitted it, with their role and scope as they stand when it
// starts (a job outlives the request, and an account may be disabled or narrowed meanwhile).
import { systemActor, type Actor } from '../../core/actor.js';
import { err, ok, type Result } from '../../core/result.js';
import { findAccountByEmail } from '../../store/access.repository.js';
import { actorOf } from '../access/session.service.js';
import type { AppContext } from '../context.js';

/** The person behind an actor id: `user:a@b.c/token:tok_1` and `user:a@b.c` are one owner. */
export function ownerOf(actorId: string): string {
  const slash = actorId.indexOf('/');
  return slash < 0 ? actorId : actorId.slice(0, slash);
}

/** The actor of `createdBy` now; refused when the account is gone or disabled. */
export async function actorOfSubmitter(ctx: AppContext, createdBy: string): Promise<Result<Actor>> {
  if (createdBy.startsWith('system:')) return ok(systemActor(createdBy.slice('system:'.length)));
  const email = /^user:([^/]+)/.exec(createdBy)?.[1];
  const account = email === undefined ? undefined : await findAccountByEmail(ctx.store.db, email);
  if (account === undefined || account.disabledAt !== null)
    return err({
      code: 'FORBIDDEN',
      reason: 'JOB.SUBMITTER_DISABLED',
      message: `${createdBy.replace(/^user:/, '')} may no longer sign in, so the job did not run`,
    });
  return ok({ ...actorOf(account), id: createdBy });
}

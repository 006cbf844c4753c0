// A congressional notification is recorded the same way for a relief and for an allocation change.
import type { Actor } from '../../core/actor.js';
import type { CongressionalNotification } from '../../core/restrictions.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { insertNotification } from '../../store/restriction.repository.js';

/** Records `notification` in `tx` at `now`; returns its audit entry. */
export async function applyRecordNotification(
  tx: Executor,
  actor: Actor,
  now: string,
  notification: CongressionalNotification,
  reason?: string,
): Promise<AuditRecord> {
  await insertNotification(tx, notification, now, actor.id);
  return {
    action: 'notification.record',
    entityType: 'notification',
    entityId: notification.id,
    after: notification,
    ...(reason === undefined ? {} : { reason }),
  };
}

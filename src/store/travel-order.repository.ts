// Invitational travel orders as issued: one row per revision, the order's fields kept as canonical JSON.
import { and, desc, eq, like, sql } from 'drizzle-orm';
import type { TravelOrder } from '../core/students/travel-order.js';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';
import { travelOrders } from './schema.js';

export async function insertTravelOrder(
  tx: Executor,
  order: TravelOrder,
  content: string,
  now: string,
  actor: string,
): Promise<void> {
  await tx.insert(travelOrders).values({
    number: order.number,
    revision: order.revision,
    seatId: order.seatId,
    studentId: order.student.id,
    issuedOn: order.issuedOn,
    content,
    reason: order.amendmentReason,
    recordedAt: now,
    recordedBy: actor,
  });
}

/** The seat's latest order (or revision `revision` of it). */
export async function findLatestTravelOrder(
  db: Executor,
  seatId: string,
  revision?: number,
): Promise<TravelOrder | undefined> {
  const [row] = await db
    .select({ content: travelOrders.content })
    .from(travelOrders)
    .where(
      and(
        eq(travelOrders.seatId, seatId),
        revision === undefined ? undefined : eq(travelOrders.revision, revision),
      ),
    )
    .orderBy(desc(travelOrders.revision))
    .limit(1);
  if (row === undefined) return undefined;
  // Orders stored before late reasons existed were all on time.
  return { lateReason: null, ...(JSON.parse(row.content) as Omit<TravelOrder, 'lateReason'>) };
}

/** The next serial of a country's orders for a fiscal year (ITO-PAK-2020-0001, -0002, ...). */
export async function nextTravelOrderSerial(
  db: Executor,
  country: string,
  fiscalYear: number,
): Promise<number> {
  const prefix = `ITO-${country}-${fiscalYear}-`;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct ${travelOrders.number})::int as n from ${travelOrders}
        where ${like(travelOrders.number, `${prefix}%`)}`,
  );
  return Number(row?.n ?? 0) + 1;
}

// Training lines and their seats.
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from './database.js';
import { insertChunked } from './raw-sql.js';
import { seats, trainingLines } from './schema.js';

export type TrainingLineRow = typeof trainingLines.$inferInsert;
export type SeatRow = typeof seats.$inferInsert;

export async function insertTrainingLine(
  tx: Executor,
  line: TrainingLineRow,
  lineSeats: readonly SeatRow[],
): Promise<void> {
  await tx.insert(trainingLines).values(line);
  await insertChunked(tx, seats, lineSeats);
}

/** Seats of a country's fiscal year, optionally of one status, in line and ordinal order. */
export async function listSeats(
  db: Executor,
  countryIso3: string,
  fiscalYear: number,
  status?: string,
): Promise<{ seat: typeof seats.$inferSelect; line: typeof trainingLines.$inferSelect }[]> {
  const conditions = [
    eq(trainingLines.countryIso3, countryIso3),
    eq(trainingLines.fiscalYear, fiscalYear),
  ];
  if (status !== undefined) conditions.push(eq(seats.status, status));
  return db
    .select({ seat: seats, line: trainingLines })
    .from(seats)
    .innerJoin(trainingLines, eq(seats.lineId, trainingLines.id))
    .where(and(...conditions))
    .orderBy(asc(trainingLines.classStart), asc(trainingLines.id), asc(seats.ordinal));
}

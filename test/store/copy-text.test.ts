// COPY into a table inside a transaction, on the backend the suite runs on (PGlite reads a blob,
// PostgreSQL a stream): what goes in comes back exactly, and a failure leaves nothing written.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTextField } from '../../src/services/text-input.js';
import { findPgError } from '../../src/store/pg-error.js';
import { copyLine, copyText, queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('empty');
  await db.store.db.execute(sql`create table copy_probe (n int not null, a text, b text)`);
});
afterAll(async () => db.close());

type Row = readonly [number, string | null, string | null];

async function rows(): Promise<Row[]> {
  const read = await queryRows<{ n: number; a: string | null; b: string | null }>(
    db.store.db,
    sql`select n, a, b from copy_probe order by n`,
  );
  return read.map((r) => [r.n, r.a, r.b]);
}

/** Copies `batch` in pieces of `size` lines, in one transaction that is then rolled back or kept. */
async function copy(batch: readonly Row[], size = 2): Promise<void> {
  await db.store.db.transaction(async (tx) => {
    const lines = batch.map((row) => copyLine(row));
    function* pieces() {
      for (let i = 0; i < lines.length; i += size) yield `${lines.slice(i, i + size).join('\n')}\n`;
    }
    await copyText(tx, 'copy_probe', ['n', 'a', 'b'], pieces());
  });
}

describe(`copyText on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('stores every text exactly: tabs, newlines, carriage returns, backslashes, \\N, null', async () => {
    await db.store.db.execute(sql`delete from copy_probe`);
    const batch: Row[] = [
      [1, 'a\tb', 'line\nbreak'],
      [2, 'back\\slash', 'carriage\rreturn'],
      [3, '\\N', null],
      [4, null, ''],
      [5, '\\\\t\\n', 'é 😀 \u2028'],
    ];
    await copy(batch);
    expect(await rows()).toEqual(batch);
  });

  it('round-trips any storable text', async () => {
    // Storable: no NUL, no lone surrogate (the edges refuse those before a write is made).
    // COPY's own characters often, any other character too.
    const unit = fc.oneof(
      fc.constantFrom('\t', '\n', '\r', '\\', 'N', '.'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const storable = fc.string({ unit }).filter((s) => checkTextField('text', s, Infinity).ok);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(storable), fc.option(storable)), { maxLength: 7 }),
        async (pairs) => {
          await db.store.db.execute(sql`delete from copy_probe`);
          const batch = pairs.map(([a, b], n): Row => [n, a, b]);
          await copy(batch, 3);
          expect(await rows()).toEqual(batch);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('writes nothing when the database refuses a row, and says why', async () => {
    await db.store.db.execute(sql`delete from copy_probe`);
    const refused = await copy([
      [1, 'kept?', null],
      [2, 'no', null],
      // A null where the column allows none.
      [null as unknown as number, 'bad', null],
    ]).catch((e: unknown) => e);
    expect(findPgError(refused)?.code).toBe('23502');
    expect(await rows()).toEqual([]);
  });

  it('writes nothing when making a piece throws part-way', async () => {
    await db.store.db.execute(sql`delete from copy_probe`);
    const failed = await db.store.db
      .transaction(async (tx) => {
        function* pieces() {
          yield `${copyLine([1, 'first', null])}\n`;
          throw new Error('the second piece could not be made');
        }
        await copyText(tx, 'copy_probe', ['n', 'a', 'b'], pieces());
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/second piece/);
    expect(await rows()).toEqual([]);
    // The connection is fit for the next write.
    await copy([[9, 'after', null]]);
    expect(await rows()).toEqual([[9, 'after', null]]);
  });

  it('runs only inside a transaction', async () => {
    await expect(copyText(db.store.db, 'copy_probe', ['n'], ['1\n'])).rejects.toThrow(
      /not inside a transaction/,
    );
  });
});

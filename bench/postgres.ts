// The PostgreSQL server the benchmarks make their databases on (BENCH_POSTGRES, else the local
// one), and a connection to it for making and dropping them.
import pg from 'pg';

export const BENCH_POSTGRES =
  process.env.BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the server of `url`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs `work` on a connection of its own to the benchmarks' server, closed after. */
export async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

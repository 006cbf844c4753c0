// The credentials a test's write requests carry: one place, so the way writers identify themselves
// changes for every test at once. A program manager's API token, made on the test's database.
import type { AppContext } from '../../src/services/context.js';
import { tokenFor } from './accounts.js';

let current: Record<string, string> | undefined;

/** Makes the program manager whose token writerHeaders() sends, on this database. */
export async function signInWriter(ctx: AppContext): Promise<void> {
  current = await tokenFor(ctx, 'writer', { role: 'program-manager' });
}

/** Headers that make a request a program manager's write (after signInWriter). */
export function writerHeaders(): Record<string, string> {
  if (current === undefined) throw new Error('call signInWriter(ctx) in beforeAll first');
  return current;
}

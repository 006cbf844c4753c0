// The credentials a test's write requests carry: one place, so the way writers identify themselves
// (today the X-Actor header; sign-in next) changes for every test at once.

/** Headers that make a request a program manager's write. */
export function writerHeaders(): Record<string, string> {
  return { 'x-actor': 'user:pm' };
}

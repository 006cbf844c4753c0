// Waiting, in a test, for what another connection or server makes true a little later.

/** Resolves once `check` holds, asking every few milliseconds; throws past `limitMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  limitMs = 5_000,
): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// The rules a country's IMET list for a fiscal year must keep (DESIGN §4.2), as pure functions:
// the list check (`attache program check`), the end-of-year view and the re-programming optimizer
// (core/reprogram) ask the same ones, so a proposal that passes here passes the list check.

/** Priority A lines within the allocation: at most 100% of it. */
export function priorityAWithinAllocation(
  priorityACents: number,
  allocationCents: number,
): boolean {
  return priorityACents <= allocationCents;
}

/** PME lines at least half of the allocation, in whole cents (49.99% fails). */
export function pmeAtLeastHalf(pmeCents: number, allocationCents: number): boolean {
  return pmeCents * 2 >= allocationCents;
}

/** A line as the end-of-year rule sees it (stored lines carry their priority and category as text). */
export interface EndOfYearLine {
  readonly priority: string;
  readonly category: string;
  readonly eImet: boolean;
}

/**
 * End-of-year money goes only to priority B lines of PME or E-IMET courses, never to technical or
 * English-instructor lines (SCENARIOS 12).
 */
export function takesEndOfYearMoney(line: EndOfYearLine): boolean {
  return (
    line.priority === 'B' &&
    (line.category === 'PME' || line.eImet) &&
    line.category !== 'technical' &&
    line.category !== 'english'
  );
}

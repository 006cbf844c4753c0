// Money and dates as every page shows them: exact cents as US dollars, calendar dates as the API
// sends them (YYYY-MM-DD, no time zone), written for people and never shifted by the browser's zone.

/** Integer cents as US dollars: `$4,800,000`, or `$1,234.50` when there are cents. */
export function formatUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.trunc(abs / 100).toLocaleString('en-US');
  const rest = abs % 100;
  return rest === 0 ? `${sign}$${dollars}` : `${sign}$${dollars}.${String(rest).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A calendar date `YYYY-MM-DD` as `4 Jan 2018`; a date known only to the month or year is shown
 * only that far (`May 2006`, `1990`), never as an exact day. Anything else is shown as it came.
 */
export function formatDate(date: string, precision: 'day' | 'month' | 'year' = 'day'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return date;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const monthName = MONTHS[Number(month) - 1];
  if (monthName === undefined) return date;
  if (precision === 'year') return year;
  if (precision === 'month') return `${monthName} ${year}`;
  return `${Number(day)} ${monthName} ${year}`;
}

/** Today in the browser's calendar as `YYYY-MM-DD`: the default "on" date of a form or control. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The US fiscal year a date falls in (FY2020 runs 1 Oct 2019 – 30 Sep 2020). */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 10 ? year + 1 : year;
}

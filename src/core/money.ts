// Money as integer US cents; never floating point.

export interface Money {
  readonly cents: number;
  readonly currency: 'USD';
}

export function usd(cents: number): Money {
  if (!Number.isSafeInteger(cents)) throw new Error(`money must be whole cents: ${cents}`);
  return { cents, currency: 'USD' };
}

/** Whole thousands of dollars (as budget tables state them) to cents. */
export function thousandsToCents(thousands: number): number {
  return thousands * 100_000;
}

/** `$4,800,000.00` */
export function formatUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.trunc(abs / 100).toLocaleString('en-US');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

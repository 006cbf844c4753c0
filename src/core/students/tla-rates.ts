// The TLA rate table (resources/reference/tla-rates.json) checked into typed rates; the caller reads the file.
import { z } from 'zod';
import {
  DEFAULT_RATE_SCHOOL_ID,
  INCIDENTALS_CENTS_PER_DAY,
  isDependentShare,
  type AllowanceRate,
} from './allowance.js';

/** The rate table as the allowance uses it. */
export interface TlaRates {
  readonly incidentalsCentsPerDay: number;
  readonly dependentShare: number;
  readonly rates: AllowanceRate[];
}

const cents = z.number().int().nonnegative();

const rateSchema = z
  .strictObject({
    schoolId: z.string().trim().min(1),
    installation: z.string().trim().min(1),
    lodgingMaxCents: cents,
    mealsCents: cents,
    messMealsCents: cents,
    governmentQuartersCents: cents,
    /** Where the figures come from: documentation only, not kept. */
    source: z.string().optional(),
  })
  .superRefine((rate, ctx) => {
    // Quarters and mess reduce the allowance; a table where they raise it is a data error.
    if (rate.governmentQuartersCents > rate.lodgingMaxCents) {
      ctx.addIssue({
        code: 'custom',
        path: ['governmentQuartersCents'],
        message: `exceeds lodgingMaxCents (${rate.lodgingMaxCents})`,
      });
    }
    if (rate.messMealsCents > rate.mealsCents) {
      ctx.addIssue({
        code: 'custom',
        path: ['messMealsCents'],
        message: `exceeds mealsCents (${rate.mealsCents})`,
      });
    }
  });

const tableSchema = z
  .strictObject({
    source: z.string().trim().min(1),
    notes: z.string().trim().min(1),
    incidentalsCentsPerDay: z.literal(INCIDENTALS_CENTS_PER_DAY, {
      error: `must be ${INCIDENTALS_CENTS_PER_DAY}: the $11 a day is fixed by the allowance rule`,
    }),
    dependentShare: z.number().refine(isDependentShare, {
      message: 'must be a fraction from 0 to 1 with at most four decimals',
    }),
    rates: z.array(rateSchema).min(1),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    table.rates.forEach((rate, i) => {
      if (seen.has(rate.schoolId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rates', i, 'schoolId'],
          message: `duplicate school ${rate.schoolId}`,
        });
      }
      seen.add(rate.schoolId);
    });
    if (!seen.has(DEFAULT_RATE_SCHOOL_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rates'],
        message: `no default rate (schoolId "${DEFAULT_RATE_SCHOOL_ID}")`,
      });
    }
  });

/**
 * The rate table from already-parsed JSON; throws an Error naming the first bad field
 * (e.g. `tla-rates: rates[3].mealsCents: ...`).
 */
export function parseTlaRates(json: unknown): TlaRates {
  const parsed = tableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : `${fieldPath(issue.path)}: `;
    throw new Error(`tla-rates: ${where}${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  const { incidentalsCentsPerDay, dependentShare, rates } = parsed.data;
  return {
    incidentalsCentsPerDay,
    dependentShare,
    rates: rates.map((r): AllowanceRate => ({
      schoolId: r.schoolId,
      installation: r.installation,
      lodgingMaxCents: r.lodgingMaxCents,
      mealsCents: r.mealsCents,
      messMealsCents: r.messMealsCents,
      governmentQuartersCents: r.governmentQuartersCents,
    })),
  };
}

/** `['rates', 3, 'mealsCents']` → `rates[3].mealsCents`. */
function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

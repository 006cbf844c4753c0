// Response schemas of the recorded restrictions, reliefs and notifications (shared by several routes).
import { z } from 'zod';
import { PROGRAM_GROUPS, PROGRAMS } from '../core/programs.js';
import {
  DATE_QUALITIES,
  RELIEF_TYPES,
  RESTRICTION_KINDS,
  SEAT_POLICIES,
  WAIVER_GROUNDS,
} from '../core/restrictions.js';
import { SEAT_STATUSES } from '../core/training.js';
import { cents, instant, isoDate, oneOfValues } from './fields.js';
import { constrainedText } from './http.js';
import {
  IMPACT_EXAMPLE,
  NOTIFICATION_EXAMPLE,
  RELIEF_EXAMPLE,
  RESTRICTION_EXAMPLE,
} from './examples.js';

const strings = z.array(z.string()).readonly();

/** Programs as the record holds them: a scope or a relief expanded to program codes. */
export const programCodes = () => z.array(oneOfValues(PROGRAMS)).readonly();

/** What a scope may name: program codes and groups of them (`security-assistance`). */
export const SCOPE_TERMS = [...PROGRAMS, ...Object.keys(PROGRAM_GROUPS)];

export const RestrictionSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3' }),
    kind: oneOfValues(RESTRICTION_KINDS),
    scope: z
      .array(constrainedText(SCOPE_TERMS))
      .readonly()
      .meta({ description: 'as recorded: program codes and group names' }),
    programs: programCodes().meta({ description: 'the scope expanded to programs' }),
    courseFilter: z
      .string()
      .nullable()
      .meta({ description: 'the courses a proviso allows (E-IMET); null for other kinds' }),
    dateQuality: oneOfValues(DATE_QUALITIES).nullable().meta({
      description:
        'how precisely `from` is known: month (the day was set to the 1st), year (1 January, or 1 October for a fiscal year), approx (within days); null: as recorded',
    }),
    untilQuality: oneOfValues(DATE_QUALITIES)
      .nullable()
      .meta({ description: 'how precisely `until` is known; null when open or as recorded' }),
    basis: z.string(),
    authority: z.string(),
    determinedOn: isoDate().nullable(),
    from: isoDate('the first day it applies'),
    until: isoDate('the first day it no longer applies; null while open-ended').nullable(),
    seatPolicy: oneOfValues(SEAT_POLICIES, 'what happens to the seats it reaches'),
    source: z.string().nullable(),
    description: z.string().nullable(),
    liftNotificationId: z.string().nullable().meta({
      description:
        'the report to Congress its end waited on (a terrorism-list rescission, 22 USC 2371(c))',
    }),
    importRunId: z
      .string()
      .nullable()
      .meta({ description: 'the import run (file and sha256) that recorded this version' }),
    recordedAt: instant('when this version was recorded'),
    supersededAt: instant('when a later version replaced it; null for the current one').nullable(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Restriction', example: RESTRICTION_EXAMPLE });

export const ReliefSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    restrictionId: z.string(),
    type: oneOfValues(RELIEF_TYPES),
    grounds: oneOfValues(WAIVER_GROUNDS)
      .nullable()
      .meta({ description: "a waiver's grounds; null for other types" }),
    programs: programCodes(),
    courseIds: strings.nullable().meta({ description: 'the courses it is limited to; null: all' }),
    schoolIds: strings.nullable().meta({ description: 'the schools it is limited to; null: all' }),
    notificationId: z.string().nullable(),
    from: isoDate('the first day it relieves'),
    until: isoDate('the first day it no longer relieves; null while open-ended').nullable(),
    dateQuality: oneOfValues(DATE_QUALITIES)
      .nullable()
      .meta({ description: 'how precisely `from` is known' }),
    untilQuality: oneOfValues(DATE_QUALITIES)
      .nullable()
      .meta({ description: 'how precisely `until` is known' }),
    scopeStated: z.boolean().meta({
      description:
        'false when its source does not say which programs it covers: shown, never relied on',
    }),
    authority: z.string(),
    justification: z.string(),
    source: z.string().nullable(),
    importRunId: z.string().nullable(),
    recordedAt: instant('when this version was recorded'),
    supersededAt: instant('when a later version replaced it; null for the current one').nullable(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Relief', example: RELIEF_EXAMPLE });

export const NotificationSchema = z
  .object({
    id: z.string(),
    country: z.string(),
    subject: z.string(),
    notifiedOn: isoDate('the day Congress was notified'),
    waitDays: z.number().int(),
    windowEndsOn: isoDate('the first day the notified action may take effect'),
    source: z.string().nullable(),
  })
  .meta({ id: 'CongressionalNotification', example: NOTIFICATION_EXAMPLE });

/** The parts every impact report shares: seats by status and course, students, money. */
export const ImpactTotals = z.object({
  seats: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()).meta({
    description: 'seats by the status the change gives them (`flagged`: in training, to decide)',
  }),
  byCourse: z
    .array(z.object({ courseId: z.string(), seats: z.number().int(), releasedCents: cents() }))
    .readonly(),
  students: strings,
  releasedCents: cents('tuition and allowance of the seats cancelled: the money that comes back'),
  penaltiesCents: cents('penalties charged: none when the US cancels'),
});

/** What a restriction or relief did to seats (or, in a dry run, would do). */
export const ImpactSchema = ImpactTotals.extend({
  releasedTuitionCents: cents(),
  releasedAllowanceCents: cents(),
  heldCents: cents('tuition and allowance of the seats held: not spent, not yet released'),
  changes: z
    .array(
      z.object({
        kind: z.enum(['cancel', 'hold', 'flag', 'release']),
        seatId: z.string(),
        from: oneOfValues(SEAT_STATUSES),
        to: oneOfValues(SEAT_STATUSES),
        on: isoDate(
          'the day eligibility turned for the seat (not the day the change was recorded): its cancelledOn, heldOn or flaggedOn',
        ),
        restrictionId: z.string().nullable(),
        reason: z.string(),
        penaltyCents: cents(),
      }),
    )
    .readonly(),
}).meta({ id: 'Impact', example: IMPACT_EXAMPLE });

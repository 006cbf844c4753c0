// Response schemas of the recorded restrictions, reliefs and notifications (shared by several routes).
import { z } from 'zod';
import {
  IMPACT_EXAMPLE,
  NOTIFICATION_EXAMPLE,
  RELIEF_EXAMPLE,
  RESTRICTION_EXAMPLE,
} from './examples.js';

const strings = z.array(z.string()).readonly();

export const RestrictionSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    country: z.string(),
    kind: z.string(),
    scope: strings,
    programs: strings,
    courseFilter: z.string().nullable(),
    dateQuality: z.string().nullable(),
    basis: z.string(),
    authority: z.string(),
    determinedOn: z.string().nullable(),
    from: z.string(),
    until: z.string().nullable(),
    seatPolicy: z.string(),
    source: z.string().nullable(),
    description: z.string().nullable(),
    recordedAt: z.string(),
    supersededAt: z.string().nullable(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Restriction', example: RESTRICTION_EXAMPLE });

export const ReliefSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    restrictionId: z.string(),
    type: z.string(),
    grounds: z.string().nullable(),
    programs: strings,
    courseIds: strings.nullable(),
    schoolIds: strings.nullable(),
    notificationId: z.string().nullable(),
    from: z.string(),
    until: z.string().nullable(),
    authority: z.string(),
    justification: z.string(),
    source: z.string().nullable(),
    recordedAt: z.string(),
    supersededAt: z.string().nullable(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Relief', example: RELIEF_EXAMPLE });

export const NotificationSchema = z
  .object({
    id: z.string(),
    country: z.string(),
    subject: z.string(),
    notifiedOn: z.string(),
    waitDays: z.number().int(),
    windowEndsOn: z.string(),
    source: z.string().nullable(),
  })
  .meta({ id: 'CongressionalNotification', example: NOTIFICATION_EXAMPLE });

/** The parts every impact report shares: seats by status and course, students, money. */
export const ImpactTotals = z.object({
  seats: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byCourse: z
    .array(
      z.object({ courseId: z.string(), seats: z.number().int(), releasedCents: z.number().int() }),
    )
    .readonly(),
  students: strings,
  releasedCents: z.number().int(),
  penaltiesCents: z.number().int(),
});

/** What a restriction or relief did to seats (or, in a dry run, would do). */
export const ImpactSchema = ImpactTotals.extend({
  releasedTuitionCents: z.number().int(),
  releasedAllowanceCents: z.number().int(),
  heldCents: z.number().int(),
  changes: z
    .array(
      z.object({
        kind: z.enum(['cancel', 'hold', 'flag', 'release']),
        seatId: z.string(),
        from: z.string(),
        to: z.string(),
        on: z.string().meta({
          description:
            'the day eligibility turned for the seat (not the day the change was recorded): its cancelledOn, heldOn or flaggedOn',
        }),
        restrictionId: z.string().nullable(),
        reason: z.string(),
        penaltyCents: z.number().int(),
      }),
    )
    .readonly(),
}).meta({ id: 'Impact', example: IMPACT_EXAMPLE });

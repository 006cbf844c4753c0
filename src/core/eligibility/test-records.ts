// Builders for eligibility records in tests and benchmarks: the Pakistan story of DESIGN §1 and defaults.
import { addDays, type IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type {
  CongressionalNotification,
  ReliefVersion,
  RestrictionVersion,
} from '../restrictions.js';
import type { EligibilityRecords } from './engine.js';

export const RECORDED = '2026-01-01T00:00:00.000Z';

export function restrictionVersion(
  overrides: Partial<RestrictionVersion> & Pick<RestrictionVersion, 'id'>,
): RestrictionVersion {
  return {
    version: 1,
    country: 'PAK',
    kind: 'policy',
    scope: ['IMET'],
    programs: ['IMET'],
    courseFilter: null,
    dateQuality: null,
    basis: 'test basis',
    authority: 'Secretary of State',
    determinedOn: null,
    from: '2018-01-04' as IsoDate,
    until: null,
    seatPolicy: 'cancel',
    source: null,
    description: null,
    untilQuality: null,
    liftNotificationId: null,
    importRunId: null,
    recordedAt: RECORDED,
    supersededAt: null,
    recordedBy: 'test',
    ...overrides,
  };
}

export function reliefVersion(
  overrides: Partial<ReliefVersion> & Pick<ReliefVersion, 'id' | 'restrictionId'>,
): ReliefVersion {
  return {
    version: 1,
    type: 'exception',
    grounds: null,
    programs: ['IMET'] as ProgramCode[],
    courseIds: null,
    schoolIds: null,
    notificationId: null,
    from: '2018-01-04' as IsoDate,
    until: null,
    dateQuality: null,
    untilQuality: null,
    scopeStated: true,
    authority: 'Secretary of State',
    justification: 'test',
    source: null,
    importRunId: null,
    recordedAt: RECORDED,
    supersededAt: null,
    recordedBy: 'test',
    ...overrides,
  };
}

/** DESIGN §1: R (policy, security assistance, 2018-01-04, open); E1 IMET [2018-01-04, 2018-08-01); CN 2019-12-19 + 15 days; E2 IMET from 2020-01-03. */
export function pakistanStory(): EligibilityRecords {
  const notification: CongressionalNotification = {
    id: 'cn_e2',
    country: 'PAK',
    subject: 'IMET exception',
    notifiedOn: '2019-12-19' as IsoDate,
    waitDays: 15,
    windowEndsOn: addDays('2019-12-19' as IsoDate, 15),
    source: null,
  };
  return {
    restrictions: [
      restrictionVersion({
        id: 'rst_r',
        scope: ['security-assistance'],
        programs: ['FMF', 'IMET', 'INCLE', 'NADR', 'PKO'],
        basis: 'Presidential policy decision (4 January 2018)',
      }),
    ],
    reliefs: [
      reliefVersion({ id: 'rlf_e1', restrictionId: 'rst_r', until: '2018-08-01' as IsoDate }),
      reliefVersion({
        id: 'rlf_e2',
        restrictionId: 'rst_r',
        from: notification.windowEndsOn,
        notificationId: notification.id,
      }),
    ],
    notifications: [notification],
  };
}

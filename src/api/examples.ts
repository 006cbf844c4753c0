// Response examples for the OpenAPI document: the demo's Pakistan story (DESIGN §1) as the API
// returns it. The document test's Spectral rules check each against its schema (and
// test/api/eligibility.test.ts the eligibility ones with Zod).

export const RESTRICTION_EXAMPLE = {
  id: 'rst_pak-policy-2018',
  version: 1,
  country: 'PAK',
  kind: 'policy',
  scope: ['security-assistance'],
  programs: ['FMF', 'IMET', 'INCLE', 'NADR', 'PKO'],
  courseFilter: null,
  dateQuality: 'exact',
  basis: 'Presidential policy decision: suspension of security assistance to Pakistan',
  authority: 'President; Secretary of State',
  determinedOn: '2018-01-04',
  from: '2018-01-04',
  until: null,
  seatPolicy: 'cancel',
  source: 'https://www.thenews.com.pk/latest/592411',
  description: 'Security assistance to Pakistan suspended, with case-by-case exceptions',
  untilQuality: null,
  liftNotificationId: null,
  importRunId: 'imp_5d0c11a2b3c4',
  recordedAt: '2018-01-05T14:02:11.000Z',
  supersededAt: null,
  recordedBy: 'user:pm',
};

export const NOTIFICATION_EXAMPLE = {
  id: 'cn_pak-imet-exception-2020',
  country: 'PAK',
  subject: 'exception of rst_pak-policy-2018 for IMET',
  notifiedOn: '2019-12-19',
  waitDays: 15,
  windowEndsOn: '2020-01-03',
  source: 'https://dawn.com/news/1526332',
};

export const RELIEF_EXAMPLE = {
  id: 'rlf_pak-imet-exception-2020',
  version: 1,
  restrictionId: 'rst_pak-policy-2018',
  type: 'exception',
  grounds: null,
  programs: ['IMET'],
  courseIds: null,
  schoolIds: null,
  notificationId: 'cn_pak-imet-exception-2020',
  from: '2020-01-03',
  until: null,
  dateQuality: 'exact',
  untilQuality: null,
  scopeStated: true,
  authority: 'President (authorised); Department of State',
  justification: 'Narrow exception: IMET for Pakistan resumes while the suspension remains',
  source: 'https://dawn.com/news/1526332',
  importRunId: 'imp_5d0c11a2b3c4',
  recordedAt: '2019-12-19T16:40:00.000Z',
  supersededAt: null,
  recordedBy: 'user:pm',
};

/** The 2018 suspension's impact: one FY2018 seat of the Pakistan story, cancelled. */
export const IMPACT_EXAMPLE = {
  seats: 1,
  byStatus: { cancelled: 1 },
  byCourse: [{ courseId: 'B171005', seats: 1, releasedCents: 4452500 }],
  students: [],
  releasedCents: 4452500,
  penaltiesCents: 0,
  releasedTuitionCents: 2227500,
  releasedAllowanceCents: 2225000,
  heldCents: 0,
  changes: [
    {
      kind: 'cancel',
      seatId: 'seat_5f0c2a7e',
      from: 'programmed',
      to: 'cancelled',
      on: '2018-08-01',
      restrictionId: 'rst_pak-policy-2018',
      reason:
        'US decision: policy restriction rst_pak-policy-2018 blocks IMET from 2018-08-01 (class starts 2018-09-10); cancelled, no penalty',
      penaltyCents: 0,
    },
  ],
};

export const DECISION_EXAMPLE = {
  country: 'PAK',
  program: 'IMET',
  on: '2020-01-02',
  knownOn: null,
  asOf: '2019-12-19T16:40:00.000Z',
  course: null,
  eligible: false,
  conditions: [],
  restrictions: [
    {
      id: 'rst_pak-policy-2018',
      version: 1,
      kind: 'policy',
      basis: 'Presidential policy decision',
      authority: 'President; Secretary of State',
      source: null,
      from: '2018-01-04',
      until: null,
      fromQuality: 'exact',
      untilQuality: null,
      liftNotifiedOn: null,
      status: 'blocking',
      seatPolicy: 'cancel',
      reliefId: null,
      relief: null,
      reason:
        'policy restriction … blocks IMET; no relief in force: exception rlf_pak-imet-exception-2018 for IMET ended 2018-08 (month only)',
    },
  ],
  pending: [
    {
      reliefId: 'rlf_pak-imet-exception-2020',
      restrictionId: 'rst_pak-policy-2018',
      effectiveFrom: '2020-01-03',
      reason:
        'exception … for IMET: Congress notified 2019-12-19, waiting period of 15 days ends 2020-01-03',
    },
  ],
  precision: [],
  coverage: {
    partial: [
      {
        kind: 'coup',
        note: 'coup restrictions since 2000 are recorded where a source was found; resources/history/README.md lists the gaps',
      },
    ],
    note: 'the recorded history is partial here for coup restrictions: an answer of "no restriction" for those kinds means none is recorded, not that none existed',
  },
};

export const TIMELINE_EXAMPLE = {
  country: 'PAK',
  knownOn: null,
  events: [
    {
      date: '2018-01-04',
      dateQuality: 'exact',
      type: 'restriction.start',
      id: 'rst_pak-policy-2018',
      summary: 'policy restriction of security-assistance (Presidential policy decision)',
    },
    {
      date: '2019-12-19',
      dateQuality: 'exact',
      type: 'notification',
      id: 'cn_pak-imet-exception-2020',
      summary:
        'Congress notified: exception of rst_pak-policy-2018 for IMET; waiting period of 15 days ends 2020-01-03',
    },
    {
      date: '2020-01-03',
      dateQuality: 'exact',
      type: 'relief.start',
      id: 'rlf_pak-imet-exception-2020',
      summary: 'exception of rst_pak-policy-2018 for IMET in force',
    },
  ],
  restrictions: [RESTRICTION_EXAMPLE],
  reliefs: [RELIEF_EXAMPLE],
  notifications: [NOTIFICATION_EXAMPLE],
};

/** Pakistan's FY2018 IMET as justified: the first allocation of the year, so not notified. */
export const ALLOCATION_EXAMPLE = {
  id: 'alc_3b9d0e41',
  country: 'PAK',
  program: 'IMET',
  fiscalYear: 2018,
  amountCents: 400_000_000,
  effectiveFrom: '2017-10-02',
  reason: 'FY2018 IMET for Pakistan as justified',
  source: null,
  notificationId: null,
  notification: null,
  budgetStage: null,
  recordedAt: '2017-10-02T15:20:00.000Z',
  supersededAt: null,
  recordedBy: 'user:pm@example.org',
};

/** The demo's program manager, signed in with a password. */
export const USER_EXAMPLE = {
  id: 'usr_pm',
  email: 'pm@example.org',
  displayName: 'Program Manager',
  role: 'program-manager',
  countries: [],
  schools: [],
  sso: false,
  disabled: false,
  createdAt: '2026-11-01T09:00:00.000Z',
};

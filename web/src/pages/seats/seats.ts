// The seats board's view logic, pure: the filters as URL search params, and the words and tones a
// seat's status, a history entry and its changed fields are shown with. No rule of the seats here:
// which moves are allowed, the penalty and the money come from the API.
import type { MethodResponse } from 'openapi-fetch';
import type { ApiHttp } from '../../api/client.js';
import { formatDate, formatUsd } from '../../format.js';
import type { Tone } from '../../ui/Badge.js';

export type SeatBoard = MethodResponse<ApiHttp, 'get', '/api/v1/seats'>;
export type BoardSeat = SeatBoard['items'][number];
export type SeatDetail = MethodResponse<ApiHttp, 'get', '/api/v1/seats/{id}'>;
export type SeatStatus = BoardSeat['status'];
export type HistoryEntry = SeatDetail['history'][number];

/** Every status, in the order of a seat's path, with the words shown for it. */
export const STATUS_LABELS: Readonly<Record<SeatStatus, string>> = {
  planned: 'Planned',
  programmed: 'Programmed',
  nominated: 'Nominated',
  cleared: 'Cleared',
  'ito-issued': 'ITO issued',
  'in-training': 'In training',
  completed: 'Completed',
  'not-completed': 'Not completed',
  held: 'Held',
  cancelled: 'Cancelled',
};

export const STATUSES = Object.keys(STATUS_LABELS) as SeatStatus[];

export function statusLabel(status: SeatStatus): string {
  return STATUS_LABELS[status];
}

/** The badge tone of a status: the words always say it too. */
export function statusTone(status: SeatStatus): Tone {
  switch (status) {
    case 'cancelled':
    case 'not-completed':
      return 'blocked';
    case 'held':
      return 'warn';
    case 'completed':
      return 'ok';
    case 'in-training':
      return 'relieved';
    default:
      return 'neutral';
  }
}

/** The board's filters, as the address keeps them. */
export interface BoardFilters {
  readonly country: string;
  readonly fy: string;
  readonly status: string;
  readonly course: string;
  readonly restriction: string;
  readonly offset: number;
}

export const FILTER_KEYS = ['country', 'fy', 'status', 'course', 'restriction'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function filtersFromParams(params: URLSearchParams): BoardFilters {
  const offset = Number(params.get('offset') ?? '0');
  return {
    country: (params.get('country') ?? '').toUpperCase(),
    fy: params.get('fy') ?? '',
    status: params.get('status') ?? '',
    course: params.get('course') ?? '',
    restriction: params.get('restriction') ?? '',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The address of the filters: empty ones left out, the page back to the first on any change. */
export function paramsWith(
  current: URLSearchParams,
  key: FilterKey | 'offset',
  value: string,
): URLSearchParams {
  const next = new URLSearchParams(current);
  if (value === '' || (key === 'offset' && value === '0')) next.delete(key);
  else next.set(key, value);
  if (key !== 'offset') next.delete('offset');
  return next;
}

/** Whether the filters name what the API needs to list: a country or a restriction. */
export function hasScope(filters: BoardFilters): boolean {
  return filters.country !== '' || filters.restriction !== '';
}

/** The query the API is asked, from the filters (the API checks every value). */
export function boardQuery(filters: BoardFilters): Record<string, string | number> {
  const query: Record<string, string | number> = {};
  for (const key of FILTER_KEYS) if (filters[key] !== '') query[key] = filters[key];
  if (filters.offset > 0) query.offset = filters.offset;
  return query;
}

/** Fiscal years offered in the filter: from FY2000 to two years past `current`, newest first. */
export function fiscalYearChoices(current: number): number[] {
  const years: number[] = [];
  for (let fy = current + 2; fy >= 2000; fy--) years.push(fy);
  return years;
}

/** The date a status is dated by, when the seat keeps one. */
export function statusDate(seat: BoardSeat): string | null {
  if (seat.status === 'cancelled') return seat.cancelledOn;
  if (seat.status === 'held') return seat.heldOn;
  return null;
}

const ACTIONS: Readonly<Record<string, string>> = {
  'seat.add': 'Programmed on a new line',
  'seat.cancel': 'Cancelled',
  'seat.hold': 'Held',
  'seat.flag': 'Flagged',
  'seat.release': 'Released',
  'seat.nominate': 'Student nominated',
};

/** A history entry's action in words: `seat.cancel` → Cancelled, `seat.nominated` → Moved to nominated. */
export function actionLabel(action: string): string {
  const known = ACTIONS[action];
  if (known !== undefined) return known;
  const [kind, what] = action.split('.', 2) as [string, string | undefined];
  if (kind === 'seat' && what !== undefined && what in STATUS_LABELS)
    return `Moved to ${STATUS_LABELS[what as SeatStatus]}`;
  if (kind === 'school-event' && what !== undefined)
    return `School reported: ${what.replace(/-/g, ' ')}`;
  return action;
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  status: 'Status',
  previousStatus: 'Previous status',
  reason: 'Reason',
  cancellationReason: 'Cancellation reason',
  cancelledOn: 'Cancelled on',
  heldOn: 'Held on',
  on: 'On',
  refilled: 'Refilled',
  penaltyCents: 'Penalty',
  penaltyRule: 'Penalty rule',
  restrictionId: 'Restriction',
  flagged: 'Flagged',
  flagReason: 'Flag reason',
  flaggedOn: 'Flagged on',
  studentId: 'Student',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field.replace(/([A-Z])/g, ' $1').toLowerCase();
}

/** A changed value as people read it: money in dollars, dates written out, none as a dash. */
export function changeValue(field: string, value: string | null): string {
  if (value === null || value === '') return '—';
  if (field.endsWith('Cents') && /^-?\d+$/.test(value)) return formatUsd(Number(value));
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (field === 'status' || field === 'previousStatus')
    return value in STATUS_LABELS ? STATUS_LABELS[value as SeatStatus] : value;
  if (value === 'true') return 'yes';
  if (value === 'false') return 'no';
  return value;
}

/** An instant as `27 Nov 2026, 12:00 UTC`. */
export function formatInstant(instant: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(instant);
  return match === null ? instant : `${formatDate(match[1]!)}, ${match[2]!} UTC`;
}

/** The user an audit entry names, without its `user:` prefix. */
export function actorName(actor: string): string {
  return actor.replace(/^user:/, '');
}

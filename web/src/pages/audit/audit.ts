// The audit page's view logic, pure: the filters as the address holds them, where an entry's record
// lives in the app, and instants and values written for people. The API decides everything else.
import type { MethodResponse } from 'openapi-fetch';
import type { ApiHttp } from '../../api/client.js';

export type AuditOverview = MethodResponse<ApiHttp, 'get', '/api/v1/audit'>;
export type AuditEntryPage = MethodResponse<ApiHttp, 'get', '/api/v1/audit/entries'>;
export type AuditEntry = AuditEntryPage['items'][number];
export type AuditVerification = MethodResponse<ApiHttp, 'post', '/api/v1/audit/verify'>;
export type AuditCheckpoint = MethodResponse<ApiHttp, 'post', '/api/v1/audit/checkpoints'>;

/** The filters a reader sets, each as the API takes it (empty: not filtered). */
export interface AuditFilters {
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly from: string;
  readonly to: string;
}

export const FILTER_FIELDS = ['actor', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** What the address says: the filters, the page (from 1), its size, and the entry opened. */
export interface AuditView {
  readonly filters: AuditFilters;
  readonly page: number;
  readonly size: number;
  /** The sequence of the entry whose detail is open, if any. */
  readonly open: number | null;
}

function positive(text: string | null): number | null {
  if (text === null || !/^\d{1,9}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 ? n : null;
}

/** The view an address describes; anything unreadable falls back to the default. */
export function viewFromParams(params: URLSearchParams): AuditView {
  const filters = Object.fromEntries(
    FILTER_FIELDS.map((field) => [field, params.get(field)?.trim() ?? '']),
  ) as unknown as AuditFilters;
  const size = positive(params.get('size'));
  return {
    filters,
    page: positive(params.get('page')) ?? 1,
    size:
      size !== null && (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
    open: positive(params.get('entry')),
  };
}

/** The address of a view: only what differs from the default, filters first. */
export function paramsFromView(view: AuditView): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = view.filters[field].trim();
    if (value !== '') params.set(field, value);
  }
  if (view.page > 1) params.set('page', String(view.page));
  if (view.size !== DEFAULT_PAGE_SIZE) params.set('size', String(view.size));
  if (view.open !== null) params.set('entry', String(view.open));
  return params;
}

/** The query GET /audit/entries takes for a view. */
export function entriesQuery(view: AuditView): Record<string, string> {
  const query: Record<string, string> = {};
  for (const field of FILTER_FIELDS)
    if (view.filters[field] !== '') query[field] = view.filters[field];
  query['limit'] = String(view.size);
  query['offset'] = String((view.page - 1) * view.size);
  return query;
}

export function hasFilters(filters: AuditFilters): boolean {
  return FILTER_FIELDS.some((field) => filters[field] !== '');
}

/** Where the app shows an entry's record, when it has a page for that kind of record. */
export function entityPath(entityType: string, entityId: string): string | null {
  const id = encodeURIComponent(entityId);
  switch (entityType) {
    case 'seat':
      return `/seats/${id}`;
    case 'student':
      return `/students/${id}`;
    case 'restriction':
      return `/decisions/restrictions/${id}`;
    case 'country':
      return /^[A-Z]{3}$/.test(entityId) ? `/countries/${entityId}` : null;
    default:
      return null;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An instant as the log records it, in UTC (the same for every reader, whatever their zone):
 * `27 Nov 2026, 12:00:00 UTC`. Anything else is shown as it came.
 */
export function formatInstant(instant: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$/.exec(instant);
  if (match === null) return instant;
  const [, year, month, day, hour, minute, second] = match as unknown as string[];
  const monthName = MONTHS[Number(month) - 1];
  if (monthName === undefined) return instant;
  return `${Number(day)} ${monthName} ${year}, ${hour}:${minute}:${second} UTC`;
}

/** A value of a record, short enough for a table cell: text as is, the rest as JSON. */
export function formatValue(value: unknown, max = 120): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What an entry did, in a few words: the fields it changed, or that it only read. */
export function changeSummary(
  entry: Pick<AuditEntry, 'action' | 'before' | 'after' | 'changes'>,
): string {
  if (entry.before === null && entry.after === null)
    return entry.action === 'read' ? 'read the record' : 'no record stated';
  if (entry.before === null)
    return entry.changes.length <= 3
      ? `set ${entry.changes.map((c) => c.field || 'value').join(', ')}`
      : `set ${plural(entry.changes.length, 'field')}`;
  if (entry.after === null) return 'removed';
  if (entry.changes.length === 0) return 'no field changed';
  const names = entry.changes.map((c) => c.field || 'value');
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** A hash shortened for reading (the whole is in the detail and the title). */
export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 16)}…` : hash;
}

/** Which entries a page shows: `Entries 51–100 of 4,502`. */
export function pageRange(page: { offset: number; count: number; total: number }): string {
  if (page.total === 0 || page.count === 0)
    return `No entries (of ${page.total.toLocaleString('en-US')})`;
  return `Entries ${(page.offset + 1).toLocaleString('en-US')}–${(page.offset + page.count).toLocaleString('en-US')} of ${page.total.toLocaleString('en-US')}`;
}

/** The file name a Content-Disposition header gives, else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(header ?? '');
  return match?.[1] ?? fallback;
}

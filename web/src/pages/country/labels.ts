// Words for the codes the API sends: a restriction kind, a relief type, a seat status.
import { formatFrom, formatUntil, type RecordDates } from '../../format.js';

const ACRONYMS = new Set(['imet', 'fmf', 'us', 'ito']);

/** `child-soldiers` → `Child soldiers`; `grant-imet` → `Grant IMET`. */
export function words(code: string): string {
  const text = code
    .split(/[-_\s]+/)
    .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word))
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A record's span of days [from, until), each date to its precision: `4 Jan 2018 – Aug 2018 (month
 * only)`, or `from 4 Jan 2018, no end set`.
 */
export function span(record: RecordDates): string {
  const until = formatUntil(record);
  return until === null
    ? `from ${formatFrom(record)}, no end set`
    : `${formatFrom(record)} – ${until}`;
}

/** The sources the API keeps as text: several links may be separated by ` ; `. */
export function sourceParts(source: string): { text: string; href: string | undefined }[] {
  return source
    .split(/\s+;\s+/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => ({ text: part, href: /^https?:\/\/\S+$/.test(part) ? part : undefined }));
}

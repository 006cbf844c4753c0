// How a report document's cells read as text, shared by the renderers so every format shows the
// same value: money in dollars, counts with thousands separators, dates to their known precision.
import { formatUsd } from '../core/money.js';
import {
  dateText,
  isDateCell,
  type Cell,
  type ReportColumn,
} from '../core/reports/report-document.js';

/** A cell as a person reads it (HTML, PDF); an empty cell is an empty string. */
export function displayText(cell: Cell, column: ReportColumn): string {
  if (cell === null) return '';
  if (isDateCell(cell)) return dateText(cell);
  if (typeof cell === 'number')
    return column.kind === 'money' ? formatUsd(cell) : cell.toLocaleString('en-US');
  return cell;
}

/** Whether the column's values line up on the right (numbers). */
export function alignsRight(column: ReportColumn): boolean {
  return column.kind === 'count' || column.kind === 'money';
}

/** Cents as dollars for a spreadsheet or CSV: a number, exact to the cent. */
export function dollars(cents: number): number {
  return cents / 100;
}

// The positions-of-prominence list of a country (22 USC 2347g, DESIGN §4.3): the participants who
// hold or held such a position, by category, with the instruction they received.
import type { IsoDate } from '../dates.js';
import type { CareerPosition } from '../students/types.js';
import { PROMINENCE, type Prominence } from '../students/vocabulary.js';
import { completionText, type RecordOfParticipant } from './records-report.js';
import {
  dateCell,
  fileStem,
  totalsRow,
  type Cell,
  type ReportColumn,
  type ReportDocument,
} from './report-document.js';

/** A participant with the latest position of prominence they held, as the service lists them. */
export interface ProminentParticipant {
  readonly record: RecordOfParticipant;
  readonly position: CareerPosition;
  readonly category: string;
}

/** The positions-of-prominence report of a country, drawn on `asOf`, in the list's order. */
export function buildProminenceReport(
  people: readonly ProminentParticipant[],
  country: { readonly iso3: string; readonly name: string },
  asOf: IsoDate,
): ReportDocument {
  const categoryColumns: ReportColumn[] = [
    { header: 'Category', kind: 'text', weight: 3 },
    { header: 'Participants', kind: 'count' },
  ];
  const categoryRows = (Object.keys(PROMINENCE) as Prominence[]).map((key): Cell[] => [
    PROMINENCE[key],
    people.filter((p) => p.position.prominence === key).length,
  ]);
  const listColumns: ReportColumn[] = [
    { header: 'Name', kind: 'text', weight: 1.6 },
    { header: 'Category', kind: 'text', weight: 1.4 },
    { header: 'Position', kind: 'text', weight: 2.4 },
    { header: 'Rank', kind: 'text' },
    { header: 'Since', kind: 'date' },
    { header: 'Location', kind: 'text' },
    { header: 'Still held', kind: 'text' },
    { header: 'Courses', kind: 'count' },
    { header: 'Instruction received', kind: 'text', weight: 3 },
  ];
  const listRows = people.map((p): Cell[] => [
    p.record.name,
    p.category,
    p.position.title,
    p.position.rank,
    dateCell(p.position.fromDate),
    p.position.location,
    p.record.currentPosition?.id === p.position.id ? 'yes' : 'no',
    p.record.instruction.length,
    p.record.instruction
      .map(
        (i) => `${i.courseId} ${i.startedOn?.slice(0, 4) ?? ''} (${completionText(i.completed)})`,
      )
      .join('; '),
  ]);
  return {
    kind: 'prominence',
    title: `Positions of prominence: ${country.name} (${country.iso3})`,
    subtitle: `Participants in US training who hold or held a position of prominence · as of ${asOf}`,
    asOf,
    fileStem: fileStem('prominence', country.iso3, asOf),
    orientation: 'landscape',
    sections: [
      {
        heading: 'By category',
        note: 'Each participant counts once, under the latest position of prominence held.',
        columns: categoryColumns,
        rows: categoryRows,
        totals: totalsRow('Total', categoryColumns, categoryRows),
      },
      {
        heading: 'Participants',
        columns: listColumns,
        rows: listRows,
        totals: totalsRow(`Total: ${people.length} participants`, listColumns, listRows),
      },
    ],
  };
}

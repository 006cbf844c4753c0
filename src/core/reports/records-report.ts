// The participant records export (22 USC 2347g): for each participant found, the instruction
// received (type, dates, completion), later positions and human-rights findings.
import type { IsoDate } from '../dates.js';
import type { CareerPosition, HumanRightsFinding } from '../students/types.js';
import { PROMINENCE } from '../students/vocabulary.js';
import {
  dateCell,
  fileStem,
  totalsRow,
  type Cell,
  type ReportColumn,
  type ReportDocument,
  type ReportSection,
} from './report-document.js';

/** One course of instruction as 22 USC 2347g asks: type, dates, completed or not. */
export interface RecordInstruction {
  readonly courseId: string;
  readonly title: string;
  /** The type of instruction: the course category (PME, technical, english, other). */
  readonly type: string;
  readonly schoolId: string;
  readonly program: string | null;
  readonly startedOn: IsoDate | null;
  readonly endedOn: IsoDate | null;
  /** null while in training. */
  readonly completed: boolean | null;
  readonly academicReport: string | null;
}

/** The 22 USC 2347g record of a participant: instruction, later career and findings. */
export interface RecordOfParticipant {
  readonly studentId: string;
  readonly name: string;
  readonly country: string;
  readonly unit: string | null;
  readonly rank: string | null;
  readonly usGrade: string | null;
  readonly instruction: readonly RecordInstruction[];
  /** The latest position recorded, with where it is held. */
  readonly currentPosition: CareerPosition | null;
  readonly positions: readonly CareerPosition[];
  readonly findings: readonly HumanRightsFinding[];
}

/** The records found for each thing asked: a name of a list, a unit, or a whole country. */
export interface RecordsFound {
  readonly query: string;
  readonly records: readonly RecordOfParticipant[];
}

export function completionText(completed: boolean | null): string {
  return completed === null ? 'in training' : completed ? 'completed' : 'not completed';
}

export function positionText(position: CareerPosition | null): string | null {
  if (position === null) return null;
  const rank = position.rank === null ? '' : `${position.rank}, `;
  return `${rank}${position.title} (from ${position.fromDate})`;
}

/** Each participant once, in the order first found. */
function distinct(found: readonly RecordsFound[]): RecordOfParticipant[] {
  const seen = new Map<string, RecordOfParticipant>();
  for (const f of found)
    for (const r of f.records) if (!seen.has(r.studentId)) seen.set(r.studentId, r);
  return [...seen.values()];
}

function summarySection(
  people: readonly RecordOfParticipant[],
  found: readonly RecordsFound[],
  listed: boolean,
): ReportSection {
  const courses = people.flatMap((p) => p.instruction);
  const count = (completed: boolean | null) =>
    courses.filter((c) => c.completed === completed).length;
  const columns: ReportColumn[] = [
    { header: 'Measure', kind: 'text', weight: 3 },
    { header: 'Number', kind: 'count' },
  ];
  return {
    heading: 'Summary',
    note: 'Each participant is counted once, however many names or units found them.',
    columns,
    rows: [
      ...(listed
        ? [
            ['Names or units asked', found.length],
            ['Asked with no participant found', found.filter((f) => f.records.length === 0).length],
          ]
        : []),
      ['Participants', people.length],
      ['Courses of instruction', courses.length],
      ['Completed', count(true)],
      ['Not completed', count(false)],
      ['In training', count(null)],
      [
        'Participants with a human-rights finding',
        people.filter((p) => p.findings.length > 0).length,
      ],
      [
        'Participants who held a position of prominence',
        people.filter((p) => p.positions.some((x) => x.prominence !== null)).length,
      ],
    ],
  };
}

/**
 * The records export of what was asked (`about` says what: a country, a unit, a list of names),
 * drawn on `asOf`. With several queries, each instruction row names the query that found it.
 */
export function buildRecordsReport(
  found: readonly RecordsFound[],
  about: {
    readonly country: string;
    readonly countryName: string;
    /** What was asked, for the as-of line. */
    readonly asked: string;
    /** Whether a list of names or a unit was asked (not the whole country). */
    readonly listed: boolean;
  },
  asOf: IsoDate,
): ReportDocument {
  const people = distinct(found);
  const byQuery = found.length > 1;
  const instructionColumns: ReportColumn[] = [
    ...(byQuery ? [{ header: 'Asked for', kind: 'text', weight: 1.4 } as const] : []),
    { header: 'Name', kind: 'text', weight: 1.6 },
    { header: 'Rank', kind: 'text' },
    { header: 'Unit', kind: 'text', weight: 1.4 },
    { header: 'Course', kind: 'text' },
    { header: 'Title', kind: 'text', weight: 3 },
    { header: 'Type', kind: 'text' },
    { header: 'Program', kind: 'text' },
    { header: 'School', kind: 'text' },
    { header: 'Started', kind: 'date' },
    { header: 'Ended', kind: 'date' },
    { header: 'Completion', kind: 'text' },
    { header: 'Last position', kind: 'text', weight: 2 },
  ];
  const instructionRows = found.flatMap((f) =>
    f.records.flatMap((p) =>
      p.instruction.map((i): Cell[] => [
        ...(byQuery ? [f.query] : []),
        p.name,
        p.rank,
        p.unit,
        i.courseId,
        i.title,
        i.type,
        i.program,
        i.schoolId,
        dateCell(i.startedOn),
        dateCell(i.endedOn),
        completionText(i.completed),
        positionText(p.currentPosition),
      ]),
    ),
  );
  const positionColumns: ReportColumn[] = [
    { header: 'Name', kind: 'text', weight: 1.6 },
    { header: 'From', kind: 'date' },
    { header: 'Position', kind: 'text', weight: 3 },
    { header: 'Rank', kind: 'text' },
    { header: 'US grade', kind: 'text' },
    { header: 'Location', kind: 'text' },
    { header: 'Prominence', kind: 'text', weight: 1.6 },
  ];
  const findingColumns: ReportColumn[] = [
    { header: 'Name', kind: 'text', weight: 1.6 },
    { header: 'Found on', kind: 'date' },
    { header: 'Finding', kind: 'text', weight: 4 },
    { header: 'Source', kind: 'text', weight: 2 },
  ];
  const participantColumns: ReportColumn[] = [
    { header: 'Name', kind: 'text', weight: 1.6 },
    { header: 'Rank', kind: 'text' },
    { header: 'US grade', kind: 'text' },
    { header: 'Unit', kind: 'text', weight: 1.4 },
    { header: 'Courses', kind: 'count' },
    { header: 'Completed', kind: 'count' },
    { header: 'Findings', kind: 'count' },
  ];
  const participantRows = people.map((p): Cell[] => [
    p.name,
    p.rank,
    p.usGrade,
    p.unit,
    p.instruction.length,
    p.instruction.filter((i) => i.completed === true).length,
    p.findings.length,
  ]);
  return {
    kind: 'records',
    title: `Participant records (22 USC 2347g): ${about.countryName} (${about.country})`,
    subtitle: `${about.asked} · as of ${asOf}`,
    asOf,
    fileStem: fileStem('participant-records', about.country, asOf),
    orientation: 'landscape',
    sections: [
      summarySection(people, found, about.listed),
      {
        heading: 'Participants',
        columns: participantColumns,
        rows: participantRows,
        totals: totalsRow(
          `Total: ${people.length} participants`,
          participantColumns,
          participantRows,
        ),
      },
      { heading: 'Instruction', columns: instructionColumns, rows: instructionRows },
      {
        heading: 'Later positions',
        columns: positionColumns,
        rows: people.flatMap((p) =>
          p.positions.map((x): Cell[] => [
            p.name,
            dateCell(x.fromDate),
            x.title,
            x.rank,
            x.usGrade,
            x.location,
            x.prominence === null ? null : PROMINENCE[x.prominence],
          ]),
        ),
      },
      {
        heading: 'Human-rights findings',
        columns: findingColumns,
        rows: people.flatMap((p) =>
          p.findings.map((f): Cell[] => [p.name, dateCell(f.foundOn), f.summary, f.source]),
        ),
      },
    ],
  };
}

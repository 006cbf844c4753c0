// Reads and validates the demo data shipped in resources/: budget tables, catalog, restriction histories.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PRIORITIES, SEAT_STATUSES, COURSE_CATEGORIES } from '../../core/training.js';
import { DemoStudents } from './demo-students.js';
import { importFile, type ImportFile } from '../imports/import-file.js';

export const RESOURCES_DIR = fileURLToPath(new URL('../../../resources/', import.meta.url));
/** The sourced restriction history the project ships (resources/history/README.md). */
export const HISTORY_FILE = 'history/restrictions.csv';
export const BUDGET_YEARS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const cents = z.number().int().nonnegative();

const School = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  location: z.string().min(1),
  department: z.string().min(1),
});
const Course = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  schoolId: z.string().min(1),
  category: z.enum(COURSE_CATEGORIES),
  eImet: z.boolean(),
  dedicated: z.boolean(),
  lengthWeeks: z.number().int().positive(),
  eclMin: z.number().int().min(0).max(100).nullable(),
  opiMin: z.string().nullable(),
  tuitionCents: z.record(z.string().regex(/^\d{4}$/), cents),
  tuitionIllustrative: z.boolean(),
  idIllustrative: z.boolean().optional(),
  source: z.string().nullable().optional(),
});
export const DemoCatalog = z.object({
  source: z.string(),
  schools: z.array(School),
  courses: z.array(Course),
});
export type DemoCatalog = z.infer<typeof DemoCatalog>;

/** A training line of the demo: a course on a class start, its seats, priority and allowance. */
const DemoLine = z.object({
  course: z.string(),
  classStart: isoDate,
  seats: z.number().int().positive(),
  priority: z.enum(PRIORITIES),
  allowanceCents: cents,
  /** The purpose or foreign-policy justification the FMT report gives the line. */
  purpose: z.string().min(1).optional(),
});

export const PakistanStory = z.object({
  source: z.string(),
  country: z.string(),
  program: z.string(),
  fiscalYear: z.number().int(),
  note: z.string().optional(),
  /** The day the FY2018 lines were programmed (under the IMET exception of the history). */
  programmedOn: isoDate,
  lines: z.array(
    DemoLine.extend({
      status: z.enum(SEAT_STATUSES),
      previousStatus: z.enum(SEAT_STATUSES).nullable(),
    }),
  ),
});
export type PakistanStory = z.infer<typeof PakistanStory>;

/** Lists of a fiscal year for several countries: allocations, and lines each programmed on its day. */
export const DemoLists = z.object({
  source: z.string(),
  fiscalYear: z.number().int(),
  program: z.literal('IMET'),
  /** The day the allocations (and the classes' international seats) were recorded. */
  allocatedOn: isoDate,
  /** Classes whose international seats the catalog records. */
  classes: z.array(
    z.object({
      course: z.string(),
      classStart: isoDate,
      internationalSeats: z.number().int().nonnegative(),
    }),
  ),
  countries: z.array(
    z.object({
      country: z.string(),
      allocationCents: cents,
      lines: z.array(DemoLine.extend({ programmedOn: isoDate, purpose: z.string().min(1) })),
    }),
  ),
});
export type DemoLists = z.infer<typeof DemoLists>;

export interface DemoFiles {
  readonly budgets: readonly {
    readonly fy: number;
    readonly bytes: Uint8Array;
    readonly file: string;
  }[];
  readonly catalog: DemoCatalog;
  /** The shipped restriction history, loaded through `import history` (decision 017). */
  readonly history: ImportFile;
  readonly pakistan: PakistanStory;
  readonly students: DemoStudents;
  readonly lists: DemoLists;
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(`${RESOURCES_DIR}${file}`, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `resources/${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Reads every demo file; a malformed shipped file is a bug, so this throws. */
export function readDemoFiles(): DemoFiles {
  return {
    budgets: BUDGET_YEARS.map((fy) => {
      const file = `state-budget-by-country/fy${fy}.csv`;
      return { fy, file, bytes: readFileSync(`${RESOURCES_DIR}${file}`) };
    }),
    catalog: readJson('demo/catalog.json', DemoCatalog),
    history: importFile(HISTORY_FILE, readFileSync(`${RESOURCES_DIR}${HISTORY_FILE}`)),
    pakistan: readJson('demo/pakistan-story.json', PakistanStory),
    students: readJson('demo/students.json', DemoStudents),
    lists: readJson('demo/fy2018-lists.json', DemoLists),
  };
}

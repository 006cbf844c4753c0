// Every top-level command: its one-line summary and the module that registers it, loaded only when
// that command runs, so `attache --help` and `attache --version` load no database code.
import type { Command } from 'commander';
import type { Output } from './output.js';

type Register = (program: Command, output: Output) => void;

interface CommandModule {
  /** Loads the module and returns its registration function. */
  readonly load: () => Promise<Register>;
  /** The top-level commands it registers, each with its summary (as `attache --help` lists it). */
  readonly commands: Readonly<Record<string, string>>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  {
    load: async () => (await import('./commands/serve.command.js')).registerServeCommand,
    commands: { serve: 'serve the API, its docs and the web app on PORT (default 8080)' },
  },
  {
    load: async () => (await import('./commands/db.command.js')).registerDbCommands,
    commands: { db: 'the database' },
  },
  {
    load: async () => (await import('./commands/demo.command.js')).registerDemoCommands,
    commands: { demo: 'demo data' },
  },
  {
    load: async () => (await import('./commands/country.command.js')).registerCountryCommands,
    commands: { country: 'countries, allocations and restrictions in force' },
  },
  {
    load: async () => (await import('./commands/allocation.command.js')).registerAllocationCommands,
    commands: { allocation: 'allocations per country, program and fiscal year: set, adjust, show' },
  },
  {
    load: async () =>
      (await import('./commands/restriction.command.js')).registerRestrictionCommands,
    commands: {
      restriction: 'restrictions: record, correct, end (lift), show',
      relief: 'reliefs of restrictions: record, end',
    },
  },
  {
    load: async () =>
      (await import('./commands/eligibility.command.js')).registerEligibilityCommands,
    commands: {
      eligibility:
        'is a country eligible for a program on a date, and why (exit 0 whatever the verdict)',
      timeline: "a country's restrictions, reliefs, notifications and allocations over time",
    },
  },
  {
    load: async () => (await import('./commands/training.command.js')).registerTrainingCommands,
    commands: {
      line: 'training lines',
      seat: 'seats of training lines',
      impact:
        'what a restriction did: seats by status and course, students, money released, penalties',
      program: "a country's training list",
      'end-of-year':
        'released and unprogrammed IMET money across countries, and the lines that may take it',
    },
  },
  {
    load: async () => (await import('./commands/reprogram.command.js')).registerReprogramCommands,
    commands: {
      reprogram:
        'propose the best use of released (or end-of-year) IMET money, with the rules that bind; --apply programs it',
    },
  },
  {
    load: async () => (await import('./commands/course.command.js')).registerCourseCommands,
    commands: {
      course:
        "the training catalog: add, list, show, correct, retire courses; a class's international seats",
      school: 'schools of the catalog: list, add',
    },
  },
  {
    load: async () => (await import('./commands/student.command.js')).registerStudentCommands,
    commands: {
      student: 'students: add, show, search',
      screening: 'screenings before travel: a student, a unit (Leahy), a country exemption',
      nominate: 'nominate a student to a programmed seat, the defense attaché consulted',
      gates:
        "a seat's gates before a travel order: each green, red or not applicable, with its reason",
      ito: 'invitational travel orders: issue, amend, show',
      'school-event': "record a school's report on a seat: arrival, in training, completed or not",
      career: "participants' later careers",
      instruction: 'instruction participants received before Attaché kept their seat',
      finding: 'human-rights findings about participants (appended, never edited)',
      records: '22 USC 2347g participant records',
      prominence: "a country's participants who hold or held a position of prominence",
    },
  },
  {
    load: async () => (await import('./commands/access.command.js')).registerAccessCommands,
    commands: {
      user: 'accounts: add (prints a generated password once), list',
      token: 'API tokens for scripts: create (shown once), list, revoke',
    },
  },
  {
    load: async () => (await import('./commands/report.command.js')).registerReportCommands,
    commands: {
      report:
        'reports: the Foreign Military Training report (fmt), restriction impact, country timeline, participant records, positions of prominence',
    },
  },
  {
    load: async () => (await import('./commands/import.command.js')).registerImportCommands,
    commands: {
      import:
        'import files (all or nothing, --dry-run to see first): State budget tables, a restriction history, courses, students, allocations, training lines; templates',
      export:
        'export courses, students, allocations or training lines as CSV or XLSX (importable back)',
    },
  },
  {
    load: async () => (await import('./commands/audit.command.js')).registerAuditCommands,
    commands: { audit: 'the append-only, hash-chained audit log' },
  },
];

/** The module that registers top-level command `name`, if there is one. */
export function moduleOf(name: string): CommandModule | undefined {
  return COMMAND_MODULES.find((m) => Object.hasOwn(m.commands, name));
}

// `attache career add`, `attache finding add`, `attache records search` and `attache prominence`:
// the 22 USC 2347g participant record and the answers it gives.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CareerPosition } from '../../core/students/types.js';
import {
  addCareer,
  addFinding,
  prominenceList,
  searchRecords,
  type ParticipantRecord,
} from '../../services/students/participant.service.js';
import { recordPastTraining } from '../../services/students/past-training.service.js';
import { cliActor, cliPath, withApp } from '../context.js';
import { checkFileLine, dateOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';

/** The names of a list file: one a line; blank lines and `#` comments are skipped. */
export function readNames(file: string): string[] {
  let text: string;
  try {
    // Relative to the command line's own folder, also when a server runs it.
    text = readFileSync(cliPath(file), 'utf8');
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new CliFailure(`--names: cannot read ${file}: ${why}`, EXIT.badInput);
  }
  return text
    .split(/\r?\n/)
    .map((line, i) => checkFileLine('--names', file, i + 1, line).trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export function describePosition(p: CareerPosition): string {
  const rank = [p.rank, p.usGrade === null ? null : `(${p.usGrade})`].filter((x) => x !== null);
  return [p.title, rank.length === 0 ? null : rank.join(' '), p.location, `from ${p.fromDate}`]
    .filter((x) => x !== null)
    .join(', ');
}

/** A participant record as indented lines: who, each instruction, the current position, findings. */
export function describeRecord(r: ParticipantRecord): string[] {
  const instruction = table(
    r.instruction.map((i) => [
      `    ${i.type}`,
      `${i.courseId} ${i.title}`,
      `${i.startedOn ?? '?'} to ${i.endedOn ?? '…'}`,
      i.completed === null ? 'in training' : i.completed ? 'completed' : 'not completed',
    ]),
  );
  return [
    `  ${r.name}  ${r.country}  unit ${r.unit ?? '(none recorded)'}  [${r.studentId}]`,
    ...instruction.split('\n').filter((line) => line !== ''),
    `    current position: ${r.currentPosition === null ? 'none recorded' : describePosition(r.currentPosition)}`,
    `    findings: ${r.findings.length}`,
  ];
}

export function registerParticipantCommands(program: Command, output: Output): void {
  program
    .command('career')
    .description("participants' later careers")
    .command('add')
    .description('record a later position of a participant; prints its id')
    .argument('<student>', 'student id')
    .requiredOption('--title <text>', 'position title')
    .requiredOption('--from <date>', 'held from, YYYY-MM-DD', dateOption('--from'))
    .option('--rank <text>', 'rank in the position')
    .option('--grade <grade>', 'US-equivalent grade, e.g. O-7')
    .option('--location <text>', 'where the position is held')
    .option(
      '--prominence <category>',
      'chief-of-service, general-officer, minister or attache-major-capital',
    )
    .option('--json', 'print the record')
    .action(
      async (
        student: string,
        o: {
          title: string;
          from: string;
          rank?: string;
          grade?: string;
          location?: string;
          prominence?: string;
          json?: boolean;
        },
      ) => {
        const result = await withApp((ctx) =>
          addCareer(ctx, cliActor(), {
            student,
            title: o.title,
            from: o.from,
            rank: o.rank,
            usGrade: o.grade,
            location: o.location,
            prominence: o.prominence,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        output.out(result.value.id);
      },
    );

  program
    .command('instruction')
    .description('instruction participants received before Attaché kept their seat')
    .command('add')
    .description('append a past course of instruction to a participant; prints its id')
    .argument('<student>', 'student id')
    .requiredOption('--course <id>', 'course id of the catalog')
    .requiredOption('--started <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--ended <date>', 'last day, YYYY-MM-DD')
    .requiredOption('--outcome <outcome>', 'completed or not-completed')
    .option('--cause <cause>', 'not completed: failed, withdrawn or awol')
    .option('--program <code>', 'funding program (default IMET)')
    .option('--report <text>', 'academic report')
    .option('--json', 'print the record')
    .action(
      async (
        student: string,
        o: {
          course: string;
          started: string;
          ended: string;
          outcome: string;
          cause?: string;
          program?: string;
          report?: string;
          json?: boolean;
        },
      ) => {
        const result = await withApp((ctx) =>
          recordPastTraining(ctx, cliActor(), {
            student,
            course: o.course,
            startedOn: o.started,
            endedOn: o.ended,
            outcome: o.outcome,
            cause: o.cause,
            program: o.program,
            academicReport: o.report,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        output.out(result.value.id);
      },
    );

  program
    .command('finding')
    .description('human-rights findings about participants (appended, never edited)')
    .command('add')
    .description("append a finding to a participant's record; prints its id")
    .argument('<student>', 'student id')
    .requiredOption('--on <date>', 'the date of the finding, YYYY-MM-DD', dateOption('--on'))
    .requiredOption('--summary <text>', 'what was found')
    .requiredOption('--source <text>', 'who found it, or the document')
    .option('--json', 'print the record')
    .action(
      async (
        student: string,
        o: { on: string; summary: string; source: string; json?: boolean },
      ) => {
        const result = await withApp((ctx) =>
          addFinding(ctx, cliActor(), { student, on: o.on, summary: o.summary, source: o.source }),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        output.out(result.value.id);
      },
    );

  program
    .command('records')
    .description('22 USC 2347g participant records')
    .command('search')
    .description('the records of a list of names (one a line in FILE) or of a unit')
    .option('--names <file>', 'a file of names, one a line; blank lines and # comments skipped')
    .option('--unit <text>', 'a unit')
    .option('--country <iso3>', 'only participants of this country')
    .option('--json', 'print the API object')
    .action(async (o: { names?: string; unit?: string; country?: string; json?: boolean }) => {
      if ((o.names === undefined) === (o.unit === undefined))
        throw new CliFailure('give --names FILE or --unit TEXT (one of the two)', EXIT.badInput);
      const names = o.names === undefined ? undefined : readNames(o.names);
      const result = await withApp((ctx) =>
        searchRecords(ctx, cliActor(), { names, unit: o.unit, country: o.country }),
      );
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      for (const q of result.value.results) {
        const n = q.records.length;
        output.out(
          `${o.unit === undefined ? `"${q.query}"` : `unit ${q.query}`}: ${n} record${n === 1 ? '' : 's'}`,
        );
        for (const r of q.records) for (const line of describeRecord(r)) output.out(line);
      }
    });

  program
    .command('prominence')
    .description("a country's participants who hold or held a position of prominence")
    .argument('<iso3>', 'ISO 3166-1 alpha-3 code')
    .option('--json', 'print the API object')
    .action(async (iso3: string, o: { json?: boolean }) => {
      const result = await withApp((ctx) => prominenceList(ctx, cliActor(), iso3));
      if (!result.ok) throw failureOf(result.error);
      const items = result.value;
      if (o.json === true)
        return printJson(output, {
          country: iso3.trim().toUpperCase(),
          items,
          total: items.length,
        });
      if (items.length > 0)
        output.out(
          table([
            ['NAME', 'CATEGORY', 'POSITION'],
            ...items.map((p) => [p.record.name, p.category, describePosition(p.position)]),
          ]),
        );
      output.out(`${items.length} ${items.length === 1 ? 'person' : 'people'}`);
    });
}

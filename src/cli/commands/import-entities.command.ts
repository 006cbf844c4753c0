// `attache import courses|students|allocations|lines`, `attache import template …`, `attache export …`.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ENTITY_KINDS, type EntityKind } from '../../core/imports/entity-columns.js';
import { readImportFile, type ImportFile } from '../../services/imports/import-file.js';
import {
  entityTemplate,
  exportEntities,
  importEntities,
  type EntityImportSummary,
  type ExportedFile,
} from '../../services/imports/entity-import.service.js';
import { TABLE_FORMATS, type TableFormat } from '../../services/imports/tabular-file.js';
import { cliActor, cliPath, outFilePath, withApp } from '../context.js';
import { fiscalYearOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, type Output } from '../output.js';
import { progressOn } from '../progress.js';

const WHAT: Readonly<Record<EntityKind, string>> = {
  courses: 'the course catalog (a course by its id)',
  students: 'students (by id, else by country, names and birth date)',
  allocations: 'allocations (by country, program and FY; a new amount is a new version)',
  lines: 'training lines (by id, else by country, FY, course, program and class start)',
};

function formatOption(value: string): TableFormat {
  const format = value.toLowerCase();
  if (!(TABLE_FORMATS as readonly string[]).includes(format))
    throw new CliFailure(`--format: csv or xlsx (got ${value})`, EXIT.badInput);
  return format as TableFormat;
}

function kindArgument(value: string): EntityKind {
  if (!(ENTITY_KINDS as readonly string[]).includes(value))
    throw new CliFailure(`${ENTITY_KINDS.join(', ')} (got ${value})`, EXIT.badInput);
  return value as EntityKind;
}

function countryOption(value: string): string {
  const iso3 = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(iso3))
    throw new CliFailure(
      `--country: an ISO 3166-1 alpha-3 code, e.g. PAK (got ${value})`,
      EXIT.badInput,
    );
  return iso3;
}

async function readFileArgument(path: string): Promise<ImportFile> {
  try {
    return await readImportFile(cliPath(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliFailure(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${String(error)})`,
      code === 'ENOENT' ? EXIT.notFound : EXIT.badInput,
    );
  }
}

/**
 * Writes a file to --out, or CSV to standard output; XLSX is bytes, never for a terminal or a
 * pipe of text, so it needs --out.
 */
function deliver(output: Output, file: ExportedFile, format: TableFormat, out: string | undefined) {
  if (out === undefined) {
    if (format === 'xlsx')
      throw new CliFailure('--out FILE is required for xlsx (it is not text)', EXIT.badInput);
    output.out(new TextDecoder().decode(file.bytes).replace(/\r\n$/, ''));
    return;
  }
  const path = outFilePath(out);
  writeFileSync(path, file.bytes);
  output.err(`${file.rows} rows written to ${out}`);
}

function describe(s: EntityImportSummary): string {
  const counts = `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged (${s.rows} rows)`;
  if (s.dryRun) return `${s.file}: dry run, nothing written: would be ${counts}`;
  if (s.runId === null) return `${s.file}: ${counts}; nothing to write`;
  return `${s.file}: ${counts}; import run ${s.runId} (sha256 ${s.sha256})`;
}

export function registerEntityImportCommands(
  importCommand: Command,
  exportCommand: Command,
  output: Output,
): void {
  for (const kind of ENTITY_KINDS) {
    importCommand
      .command(kind)
      .description(
        `import ${WHAT[kind]} from CSV or XLSX, all or nothing; refused rows listed by row and column`,
      )
      .argument('<file>', 'a .csv (UTF-8) or .xlsx file with the columns of the template')
      .option('--dry-run', 'check and count everything, write nothing')
      .option('--json', 'print the summary (or, refused, every row error) as JSON')
      .action(async (path: string, o: { dryRun?: boolean; json?: boolean }) => {
        const file = await readFileArgument(path);
        const progress = progressOn(`${kind} ${file.name}`);
        const result = await withApp((ctx) =>
          importEntities(
            ctx,
            cliActor(),
            kind,
            file,
            { dryRun: o.dryRun === true },
            progress.update,
          ),
        ).finally(() => progress.stop());
        if (!result.ok) {
          if (o.json === true) printJson(output, { error: result.error });
          throw failureOf(result.error);
        }
        if (o.json === true) printJson(output, result.value);
        else output.out(describe(result.value));
      });
  }

  importCommand
    .command('template')
    .description('an empty file to fill in: the header, and what each column means and allows')
    .argument('<kind>', ENTITY_KINDS.join(', '), kindArgument)
    .requiredOption('--format <format>', 'csv or xlsx', formatOption)
    .option('--out <file>', 'write the file here (required for xlsx; csv goes to standard output)')
    .action(async (kind: EntityKind, o: { format: TableFormat; out?: string }) => {
      deliver(output, await entityTemplate(kind, o.format), o.format, o.out);
    });

  exportCommand
    .argument('<kind>', ENTITY_KINDS.join(', '), kindArgument)
    .requiredOption('--format <format>', 'csv or xlsx', formatOption)
    .option('--country <iso3>', 'one country (students, allocations, lines)', countryOption)
    .option('--fy <fy>', 'one fiscal year (allocations, lines)', fiscalYearOption('--fy'))
    .option('--out <file>', 'write the file here (required for xlsx; csv goes to standard output)')
    .action(
      async (
        kind: EntityKind,
        o: { format: TableFormat; country?: string; fy?: number; out?: string },
      ) => {
        const result = await withApp((ctx) =>
          exportEntities(ctx, cliActor(), kind, o.format, {
            country: o.country,
            fiscalYear: o.fy,
          }),
        );
        if (!result.ok) throw failureOf(result.error);
        deliver(output, result.value, o.format, o.out);
      },
    );
}

// `attache report impact|timeline|records|prominence`: the record's reports in every format.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Result } from '../../core/result.js';
import type { ReportDocument } from '../../core/reports/report-document.js';
import {
  isTextFormat,
  renderDocument,
  REPORT_FORMATS,
  type ReportFormat,
} from '../../reports/document-render.js';
import type { AppContext } from '../../services/context.js';
import {
  impactReport,
  prominenceReport,
  recordsReport,
  timelineReport,
} from '../../services/reports/record-reports.service.js';
import { cliActor, outFilePath, withApp } from '../context.js';
import { CliFailure, EXIT, failureOf, type Output } from '../output.js';

interface FormatOptions {
  readonly format?: string;
  readonly out?: string;
  readonly json?: boolean;
}

function checkFormat(text: string | undefined, json: boolean): ReportFormat {
  if (json && text !== undefined && text.trim().toLowerCase() !== 'json')
    throw new CliFailure(`--json: asks for json, but --format asks for ${text}`, EXIT.badInput);
  const format = (text ?? 'json').trim().toLowerCase();
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new CliFailure(
      `--format: ${text} is not one of ${REPORT_FORMATS.join(', ')}`,
      EXIT.badInput,
    );
  return format as ReportFormat;
}

/** The file to write, checked before the report is drawn: its folder must exist. */
function checkOut(format: ReportFormat, out: string | undefined): string | undefined {
  if (out === undefined) {
    if (isTextFormat(format)) return undefined;
    throw new CliFailure(
      `--out: ${format} is binary and is not written to ${process.stdout.isTTY ? 'a terminal' : 'standard output'}: give --out FILE`,
      EXIT.badInput,
    );
  }
  const path = outFilePath(out);
  return path;
}

/** Draws the report, then prints it (text formats) or writes it to --out and says where. */
async function deliver(
  output: Output,
  options: FormatOptions,
  draw: (ctx: AppContext) => Promise<Result<ReportDocument>>,
): Promise<void> {
  const format = checkFormat(options.format, options.json === true);
  const path = checkOut(format, options.out);
  const doc = await withApp(draw);
  if (!doc.ok) throw failureOf(doc.error);
  const rendered = await renderDocument(doc.value, format);
  if (path === undefined) {
    output.out(rendered.bytes.toString('utf8').replace(/\n$/, ''));
    return;
  }
  try {
    writeFileSync(path, rendered.bytes);
  } catch (error) {
    throw new CliFailure(
      `--out: ${path} could not be written (${error instanceof Error ? error.message : String(error)})`,
      EXIT.badInput,
    );
  }
  output.err(`wrote ${path} (${format}, ${rendered.bytes.length.toLocaleString('en-US')} bytes)`);
}

function withFormat(command: Command): Command {
  return command
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')} (default json)`)
    .option('--out <file>', 'write the report to FILE (required for xlsx and pdf)')
    .option('--json', 'the report document as JSON (the default format)');
}

/** A repeated option's values gathered into a list. */
function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

export function registerRecordReportCommands(report: Command, output: Output): void {
  withFormat(
    report
      .command('impact')
      .description(
        'what a restriction or a relief did: seats, students and money by status and by course, and every seat',
      )
      .option('--restriction <id>', 'a restriction id')
      .option('--relief <id>', 'a relief id'),
  ).action(async (o: FormatOptions & { restriction?: string; relief?: string }) => {
    if ((o.restriction === undefined) === (o.relief === undefined))
      throw new CliFailure(
        '--restriction: give --restriction ID or --relief ID (one of the two)',
        EXIT.badInput,
      );
    await deliver(output, o, (ctx) =>
      impactReport(ctx, cliActor(), { restriction: o.restriction, relief: o.relief }),
    );
  });

  withFormat(
    report
      .command('timeline')
      .description(
        "a country's restrictions, reliefs, notifications and allocations over time, with a chart (html, pdf)",
      )
      .argument('<iso3>', 'ISO 3166-1 alpha-3 code')
      .option('--from <date>', 'first day shown (YYYY-MM-DD; default 1 January of the first event)')
      .option('--to <date>', 'last day shown (YYYY-MM-DD; default today)')
      .option('--known-on <instant>', 'the record as it stood at this ISO 8601 instant'),
  ).action(
    async (iso3: string, o: FormatOptions & { from?: string; to?: string; knownOn?: string }) => {
      await deliver(output, o, (ctx) =>
        timelineReport(ctx, cliActor(), {
          country: iso3,
          from: o.from,
          to: o.to,
          knownOn: o.knownOn,
        }),
      );
    },
  );

  withFormat(
    report
      .command('records')
      .description(
        'the 22 USC 2347g participant records of a country: every participant, a unit, or names',
      )
      .requiredOption('--country <iso3>', 'the country of the participants')
      .option('--unit <text>', 'only the participants of this unit')
      .option('--name <name>', 'a name to look for (repeat for several)', collect),
  ).action(async (o: FormatOptions & { country: string; unit?: string; name?: string[] }) => {
    if (o.unit !== undefined && o.name !== undefined)
      throw new CliFailure('--unit: give --unit or --name, not both', EXIT.badInput);
    await deliver(output, o, (ctx) =>
      recordsReport(ctx, cliActor(), { country: o.country, unit: o.unit, names: o.name }),
    );
  });

  withFormat(
    report
      .command('prominence')
      .description("a country's participants who hold or held a position of prominence")
      .requiredOption('--country <iso3>', 'ISO 3166-1 alpha-3 code'),
  ).action(async (o: FormatOptions & { country: string }) => {
    await deliver(output, o, (ctx) => prominenceReport(ctx, cliActor(), o.country));
  });
}

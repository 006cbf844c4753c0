// `attache report fmt` and `attache report request|requests`: the Foreign Military Training report (22 USC 2416).
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { APPROPRIATE_COMMITTEES } from '../../core/reports/fmt-exclusion.js';
import { FMT_FORMATS, isFmtFormat, renderFmt, type FmtFormat } from '../../reports/fmt-render.js';
import {
  listCommitteeRequests,
  recordCommitteeRequest,
  type CommitteeRequest,
} from '../../services/reports/committee-request.service.js';
import { fmtReport } from '../../services/reports/fmt-report.service.js';
import { cliActor, outFilePath, withApp } from '../context.js';
import { dateOption, wholeNumberOption } from '../options.js';
import { CliFailure, EXIT, failureOf, printJson, table, type Output } from '../output.js';
import { FISCAL_YEAR_RANGE } from '../../services/field-input.js';

function formatOption(value: string): FmtFormat {
  const format = value.trim().toLowerCase();
  if (!isFmtFormat(format))
    throw new CliFailure(
      `--format: unknown format ${value} (one of ${FMT_FORMATS.join(', ')})`,
      EXIT.badInput,
    );
  return format;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describeRequest(r: CommitteeRequest): string {
  const counts =
    r.exemption === null
      ? `${r.countryName} is in the ${r.reportYear} report without a request`
      : `brings ${r.countryName} into the ${r.reportYear} report (${r.exemption}; requests count up to ${r.deadline})`;
  return `${r.id}  ${r.country}  ${r.requestedOn}  ${r.committee}: ${counts}`;
}

function registerFmt(report: Command, output: Output): void {
  report
    .command('fmt')
    .description(
      'the Foreign Military Training report of a year (22 USC 2416): training of the previous FY (actual) and of the year (planned), by country and program, with every activity; NATO members, Australia, Japan and New Zealand left out unless a committee asked in time',
    )
    .requiredOption(
      '--year <year>',
      'the report year Y (due 31 January of Y): actual FY Y-1, planned FY Y',
      wholeNumberOption('--year', { min: FISCAL_YEAR_RANGE.first, max: FISCAL_YEAR_RANGE.last }),
    )
    .option('--format <format>', `${FMT_FORMATS.join(', ')}`, formatOption, 'json' as FmtFormat)
    .option(
      '--out <file>',
      'write the report to this file (required for xlsx and pdf; json, csv and html print to standard output without it)',
    )
    .action(async (o: { year: number; format: FmtFormat; out?: string }) => {
      const out = outFilePath(o.out);
      // A workbook or a PDF on a terminal (or through a pipe a server answers in lines) is noise:
      // binary formats go to a file, always.
      if (out === undefined && (o.format === 'xlsx' || o.format === 'pdf'))
        throw new CliFailure(
          `--out: a ${o.format} report is a binary file; give --out FILE.${o.format}`,
          EXIT.badInput,
        );
      const result = await withApp((ctx) => fmtReport(ctx, cliActor(), { year: o.year }));
      if (!result.ok) throw failureOf(result.error);
      const rendered = await renderFmt(result.value, o.format);
      if (out === undefined) {
        output.out((rendered.text ?? '').replace(/\n$/, ''));
        return;
      }
      try {
        writeFileSync(out, rendered.bytes);
      } catch (error) {
        throw new CliFailure(
          `--out: ${out} could not be written (${error instanceof Error ? error.message : String(error)})`,
          EXIT.badInput,
        );
      }
      const r = result.value;
      output.out(
        `FMT report ${r.year} (${o.format}, ${rendered.bytes.length} bytes) written to ${out}: ${count(r.countries.length, 'country', 'countries')}, ${count(r.activities.length, 'activity', 'activities')}, ${r.excluded.length} left out`,
      );
    });
}

export function registerFmtReportCommands(report: Command, output: Output): void {
  registerFmt(report, output);

  report
    .command('request')
    .description(
      "record a committee's written request to include a country in the FMT report (22 USC 2416(a)(2)); it counts for the first report due at least 90 days after it",
    )
    .requiredOption('--country <iso3>', 'the country, ISO 3166-1 alpha-3')
    .requiredOption(
      '--committee <name>',
      `one of ${Object.keys(APPROPRIATE_COMMITTEES).join(', ')} or the committee's full name`,
    )
    .requiredOption('--on <date>', 'the day of the request, YYYY-MM-DD', dateOption('--on'))
    .option('--source <text>', 'the letter or record the request is in')
    .option('--dry-run', 'check and show the request; record nothing')
    .option('--json', 'print the API object')
    .action(
      async (o: {
        country: string;
        committee: string;
        on: string;
        source?: string;
        dryRun?: boolean;
        json?: boolean;
      }) => {
        const result = await withApp((ctx) =>
          recordCommitteeRequest(
            ctx,
            cliActor(),
            { country: o.country, committee: o.committee, requestedOn: o.on, source: o.source },
            { dryRun: o.dryRun === true },
          ),
        );
        if (!result.ok) throw failureOf(result.error);
        if (o.json === true) return printJson(output, result.value);
        output.out(
          `${o.dryRun === true ? 'would record' : 'recorded'} ${describeRequest(result.value)}`,
        );
      },
    );

  report
    .command('requests')
    .description("committees' requests to include countries in the FMT report, oldest first")
    .option('--json', 'print the API objects')
    .action(async (o: { json?: boolean }) => {
      const result = await withApp((ctx) => listCommitteeRequests(ctx, cliActor()));
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      if (result.value.length === 0) return output.out('no committee request recorded');
      output.out(
        table([
          ['id', 'country', 'requested', 'committee', 'report', 'source'],
          ...result.value.map((r) => [
            r.id,
            r.country,
            r.requestedOn,
            r.committee,
            String(r.reportYear),
            r.source ?? '',
          ]),
        ]),
      );
    });
}

// `attache report …`: the reports the program and the law ask for, in JSON, HTML, CSV, XLSX or PDF.
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { registerFmtReportCommands } from './report-fmt.command.js';
import { registerRecordReportCommands } from './report-records.command.js';

export function registerReportCommands(program: Command, output: Output): void {
  const report = program
    .command('report')
    .description(
      'reports: the Foreign Military Training report (fmt), restriction impact, country timeline, participant records, positions of prominence',
    );
  registerFmtReportCommands(report, output);
  registerRecordReportCommands(report, output);
}

// `attache report impact|timeline|records|prominence`: the record's reports in every format.
import type { Command } from 'commander';
import type { Output } from '../output.js';

export function registerRecordReportCommands(_report: Command, _output: Output): void {}

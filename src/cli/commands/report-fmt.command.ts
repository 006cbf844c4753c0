// `attache report fmt` and `attache report request`: the Foreign Military Training report (22 USC 2416).
import type { Command } from 'commander';
import type { Output } from '../output.js';

export function registerFmtReportCommands(_report: Command, _output: Output): void {}

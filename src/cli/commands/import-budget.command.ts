// `attache import budget FILE…`: State Department country-by-account budget tables, every account.
import type { Command } from 'commander';
import type { Output } from '../output.js';

export function registerBudgetImportCommands(_importCommand: Command, _output: Output): void {}

// `attache import courses|students|allocations|lines`, `attache import template …`, `attache export …`.
import type { Command } from 'commander';
import type { Output } from '../output.js';

export function registerEntityImportCommands(
  _importCommand: Command,
  _exportCommand: Command,
  _output: Output,
): void {}

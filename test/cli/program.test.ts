// The command tree: `--help` lists every top-level command with the summary its module registers,
// without loading any module; `--version` prints the package's version.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES } from '../../src/cli/commands.js';
import { runCli } from '../../src/cli/program.js';
import { runAttache } from '../support/cli.js';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('the command tree', () => {
  it('lists for each module exactly the top-level commands it registers, with their summaries', async () => {
    for (const module of COMMAND_MODULES) {
      const program = new Command('attache');
      (await module.load())(program, { out: () => undefined, err: () => undefined });
      const registered = Object.fromEntries(
        program.commands.map((c) => [c.name(), c.description()]),
      );
      expect(registered).toEqual(module.commands);
    }
  });

  it('names each top-level command once', () => {
    const names = COMMAND_MODULES.flatMap((m) => Object.keys(m.commands));
    expect(new Set(names).size).toBe(names.length);
  });

  it('prints help listing every command, and exits 0', async () => {
    let out = '';
    const code = await runCli(['--help'], { out: (t) => (out += `${t}\n`), err: () => undefined });
    expect(code).toBe(0);
    for (const module of COMMAND_MODULES)
      for (const name of Object.keys(module.commands))
        expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('prints a command family help with its subcommands', async () => {
    let out = '';
    const code = await runCli(['restriction', '--help'], {
      out: (t) => (out += `${t}\n`),
      err: () => undefined,
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: attache restriction/m);
    expect(out).toMatch(/^ {2}add /m);
  });

  it('refuses an unknown command with exit 2', async () => {
    let err = '';
    const code = await runCli(['restrictoin'], { out: () => undefined, err: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'restrictoin'");
  });

  it('prints the version as a real process, exit 0, touching no data dir', async () => {
    const run = await runAttache(['--version'], { ATTACHE_DATA_DIR: '/proc/never-made' });
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

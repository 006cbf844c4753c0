// The command line checks text as the API does: an argument or a line of a file it reads with a NUL
// or a lone surrogate, or longer than any field takes, is refused (exit 2) naming where it was,
// before anything is opened or written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { cliOver, type CliRun } from '../support/cli.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-text-'));
let db: TestDatabase;
let run: (args: readonly string[]) => Promise<CliRun>;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  run = cliOver(db.ctx, 'user:tester');
});
afterAll(async () => {
  await db.close();
  rmSync(root, { recursive: true, force: true });
});

const restriction = (basis: string) => [
  ...['restriction', 'add', '--country', 'JOR', '--scope', 'FMF', '--kind', 'policy'],
  ...['--from', '2021-01-01', '--authority', 'Secretary of State', '--basis', basis],
];

describe('text on the command line', () => {
  it.each([
    ['a NUL', 'Policy \u0000', /^attache: --basis: contains a NUL character \(U\+0000\) at 7/],
    ['a lone surrogate', 'Policy \uD800', /^attache: --basis: contains a lone UTF-16 surrogate/],
    ['text over any limit', 'x'.repeat(10_001), /^attache: --basis: at most 10000 characters/],
  ])('refuses %s in an option, naming it, and writes nothing', async (_what, basis, message) => {
    const before = await countAuditEntries(db.store.db);
    const answer = await run(restriction(basis));
    expect(answer.code).toBe(2);
    expect(answer.stderr).toMatch(message);
    expect(await countAuditEntries(db.store.db)).toBe(before);
  });

  it('names the option of --flag=value and the position of an argument', async () => {
    expect((await run(['restriction', 'show', 'rst_\u0000'])).stderr).toMatch(
      /^attache: argument 3: contains a NUL/,
    );
    expect((await run([...restriction('ok'), '--source=\uDFFF'])).stderr).toMatch(
      /^attache: --source: contains a lone UTF-16 surrogate/,
    );
  });

  it('keeps unusual but valid text exactly', async () => {
    const basis = 'Straße 😀 e\u0301 محمد';
    const answer = await run([...restriction(basis), '--json']);
    expect(answer.stderr).toBe('');
    expect((JSON.parse(answer.stdout) as { basis: string }).basis).toBe(basis);
  });

  it('refuses a file line with a NUL, naming the file and line', async () => {
    const file = join(root, 'names.txt');
    writeFileSync(file, 'Muhammad Ali Khan\nTariq\u0000 Hussain\n');
    const answer = await run(['records', 'search', '--names', file]);
    expect(answer.code).toBe(2);
    expect(answer.stderr).toBe(
      `attache: --names: ${file} line 2: contains a NUL character (U+0000) at 5: not storable text\n`,
    );
  });
});

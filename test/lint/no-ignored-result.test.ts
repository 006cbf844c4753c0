// The local lint rule no-ignored-result (lint/no-ignored-result.js), run by ESLint's RuleTester with
// type information: a Result, or a promise of one, dropped by a statement or by `void` is an error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, it } from 'vitest';
import noIgnoredResult from '../../lint/no-ignored-result.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// A project of its own: the rule reads types, which need a program.
const dir = mkdtempSync(join(tmpdir(), 'attache-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', noEmit: true },
    include: ['*.ts'],
  }),
);
writeFileSync(
  join(dir, 'result.ts'),
  `export type Result<T, E = { code: string }> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };
export declare function updateSeat(id: string): Promise<Result<number>>;
export declare function parse(text: string): Result<string>;
export declare function save(): Promise<void>;
export declare function moved(): Promise<boolean>;
export declare function maybe(): Result<number> | undefined;
/** A result as inference leaves it, without the alias. */
export declare function inferred(): { ok: true; value: number } | { ok: false; error: string };
/** Has an ok flag but is no result: nothing carried. */
export declare function flag(): { ok: true } | { ok: false };
`,
);

let n = 0;
/** A test file beside result.ts (on disk, so the project holds it). */
function file(code: string): { name: string; code: string; filename: string } {
  const source = `import { updateSeat, parse, save, moved, maybe, inferred, flag } from './result.js';\nexport async function work(): Promise<unknown> {\n${code}\n  return undefined;\n}\n`;
  const filename = join(dir, `case${n++}.ts`);
  writeFileSync(filename, source);
  return { name: code.trim(), code: source, filename };
}

const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { project: join(dir, 'tsconfig.json'), tsconfigRootDir: dir },
  },
});

tester.run('no-ignored-result', noIgnoredResult, {
  valid: [
    file(`  const moved = await updateSeat('s1');\n  if (!moved.ok) return moved;`),
    file(`  if (!parse('x').ok) throw new Error('bad');`),
    file(`  return updateSeat('s1');`),
    file(`  await save();\n  void save();`),
    file(`  await moved();`),
    file(`  let r = parse('a');\n  r = parse('b');\n  console.log(r);`),
    file(`  flag();`),
    file(
      `  await Promise.all([updateSeat('a'), updateSeat('b')]).then((rs) => rs.map((r) => r.ok));`,
    ),
  ],
  invalid: [
    { ...file(`  await updateSeat('s1');`), errors: [{ messageId: 'ignored' }] },
    { ...file(`  updateSeat('s1');`), errors: [{ messageId: 'ignored' }] },
    { ...file(`  parse('x');`), errors: [{ messageId: 'ignored' }] },
    { ...file(`  void updateSeat('s1');`), errors: [{ messageId: 'voided' }] },
    { ...file(`  void parse('x');`), errors: [{ messageId: 'voided' }] },
    { ...file(`  maybe();`), errors: [{ messageId: 'ignored' }] },
    { ...file(`  inferred();`), errors: [{ messageId: 'ignored' }] },
    {
      ...file(`  if (Math.random() > 0.5) await updateSeat('a');\n  else parse('b');`),
      errors: [{ messageId: 'ignored' }, { messageId: 'ignored' }],
    },
  ],
});

// The CLI's one error mapper and printer: exit codes per DESIGN §8 and one line on stderr.
import type { DomainError, ErrorCode } from '../core/result.js';

export const EXIT = {
  ok: 0,
  refused: 1,
  badInput: 2,
  notFound: 3,
  notAllowed: 4,
  /** The database or data dir is unavailable (busy, unreachable). */
  unavailable: 5,
} as const;

const EXIT_FOR: Readonly<Record<ErrorCode, number>> = {
  'INPUT.INVALID': EXIT.badInput,
  UNAUTHENTICATED: EXIT.notAllowed,
  NOT_FOUND: EXIT.notFound,
  CONFLICT: EXIT.refused,
  FORBIDDEN: EXIT.notAllowed,
  'RULE.REFUSED': EXIT.refused,
  TOO_MANY: EXIT.refused,
  UNAVAILABLE: EXIT.unavailable,
};

/** An expected failure that ends the command with an exit code and one line. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

export function failureOf(error: DomainError): CliFailure {
  const field = error.field === undefined ? '' : `${error.field}: `;
  return new CliFailure(`${field}${error.message} [${error.reason}]`, EXIT_FOR[error.code]);
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

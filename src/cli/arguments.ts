// The command line's arguments, checked as the API checks text before anything reads them; light
// (no date parsers), since every command line, `--help` included, passes here first.
import { checkTextField, TEXT_LIMIT } from '../services/text-input.js';
import { CliFailure, EXIT } from './output.js';

/**
 * Every argument of a command line, checked as the API checks text before anything reads it: no
 * NUL, no lone surrogate (a command line run through a server arrives as JSON), no text longer
 * than a field takes. The refusal names the option the value belongs to, or its position.
 */
export function checkArguments(argv: readonly string[]): void {
  argv.forEach((arg, i) => {
    const inline = /^(--?[A-Za-z][\w-]*)=/.exec(arg)?.[1];
    const previous = argv[i - 1];
    const field =
      inline ??
      (previous !== undefined && /^--?[A-Za-z]/.test(previous) && !previous.includes('=')
        ? previous
        : `argument ${i + 1}`);
    const checked = checkTextField(field, arg, TEXT_LIMIT);
    if (!checked.ok) throw new CliFailure(`${field}: ${checked.error.message}`, EXIT.badInput);
  });
}

// The README's configuration table lists every variable the service reads, with its default.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../src/services/config.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** Markdown table rows as trimmed cells. */
const rows = readme
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

describe('README', () => {
  it.each(CONFIG_VARIABLES)('documents %s (default %s)', (name, defaultValue, meaning) => {
    const shownDefault = defaultValue.startsWith('(') ? defaultValue : `\`${defaultValue}\``;
    expect(rows).toContainEqual([`\`${name}\``, shownDefault, meaning]);
  });

  it('shows the two commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
  });
});

// The layer rule (DESIGN §7) is enforced by lint: an outward import fails the build.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
}

// The first lint builds the typed program of the whole project (the web app included): a minute
// on a busy machine.
describe('layer rule', { timeout: 120_000 }, () => {
  it.each([
    [
      'src/core/dates.ts',
      "import { openStore } from '../store/database.js';\nexport const x = openStore;\n",
      'src/core may not import src/store',
    ],
    [
      'src/store/schema.ts',
      "import { loadConfig } from '../services/config.js';\nexport const x = loadConfig;\n",
      'src/store may not import src/services',
    ],
    [
      'src/api/server.ts',
      "import { openStore } from '../store/database.js';\nexport const x = openStore;\n",
      'src/api may not import src/store',
    ],
    [
      'src/cli/main.ts',
      "import { openStore } from '../store/database.js';\nexport const x = openStore;\n",
      'src/cli may not import src/store',
    ],
  ])('refuses an outward import in %s', async (file, code, message) => {
    expect((await messagesFor(file, code)).join('\n')).toContain(message);
  });

  it('allows an inward import', async () => {
    const messages = await messagesFor(
      'src/services/config.ts',
      "import { parseIsoDate } from '../core/dates.js';\nexport const x = parseIsoDate;\n",
    );
    expect(messages.filter((m) => m.startsWith('import-x/no-restricted-paths'))).toEqual([]);
  });

  it('keeps the clock out of core', async () => {
    const messages = await messagesFor('src/core/dates.ts', 'export const now = new Date();\n');
    expect(messages.join('\n')).toContain('core takes time as a parameter');
  });
});

// Lint: typed rules, zero warnings, and the layer rule of DESIGN §7 (dependencies point inward).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import noIgnoredResult from './lint/no-ignored-result.js';

const layers = ['core', 'store', 'services', 'reports', 'api', 'cli'];
/** What each layer may not import (DESIGN §7). */
const forbidden = {
  core: ['store', 'services', 'reports', 'api', 'cli'],
  store: ['services', 'reports', 'api', 'cli'],
  services: ['reports', 'api', 'cli'],
  reports: ['store', 'services', 'api', 'cli'],
  api: ['store', 'cli'],
  cli: ['store'],
};

/** @type {Record<string, string[]>} */
const forbiddenTyped = forbidden;

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'web/dist/**',
      'node_modules/**',
      'data/**',
      'drizzle/**',
      'coverage/**',
      // Generated from the API document by npm run api:types.
      'web/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'lint/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {
      'import-x': importX,
      attache: { rules: { 'no-ignored-result': noIgnoredResult } },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // A write's Result is checked: a refusal ignored would let the write carry on (lint/).
      'attache/no-ignored-result': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...layers.flatMap((layer) =>
              (forbiddenTyped[layer] ?? []).map((from) => ({
                target: `./src/${layer}`,
                from: `./src/${from}`,
                message: `src/${layer} may not import src/${from} (DESIGN §7: dependencies point inward)`,
              })),
            ),
            { target: './web', from: './src', message: 'web talks to the API over HTTP only' },
          ],
        },
      ],
    },
  },
  {
    files: ['*.js', 'bin/*.js', 'lint/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'core takes time as a parameter',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'core takes time as a parameter',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'core has no randomness',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs*',
                'node:net',
                'node:http*',
                'node:child_process',
                'pg',
                '@electric-sql/*',
                'drizzle-orm*',
              ],
              message: 'core does no I/O',
            },
          ],
        },
      ],
    },
  },
  {
    // One road for every write (DESIGN §7): the demo replays its story through the apply functions
    // of the services, never by writing domain rows itself. Budgets stay an import of their own.
    files: ['src/services/demo/*.ts'],
    ignores: ['src/services/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['drizzle-orm*', '**/store/raw-sql.js'],
              message: "the demo writes through the services' apply functions, not SQL of its own",
            },
            {
              group: ['**/store/*'],
              importNamePattern:
                '^(?!insertAllocations$|insertBudgetLines$)(insert|update|upsert|supersede|set|flag|apply|delete|store|append)',
              message: "the demo writes through the services' apply functions, not the store's",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);

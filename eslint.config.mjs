// Lint: typescript-eslint's recommended rules, plus the dependency rule of STYLE.md enforced per layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Libraries never reach into the app, whatever else they may import.
const drivers = ['@nestjs/*', 'express', 'better-sqlite3', '@eventstore/*', '**/apps/**'];
const io = ['node:*', 'fs', 'fs/*', 'path', 'crypto', 'child_process', 'net', 'http', 'https', 'os'];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

// Pure code gets its clock and ids from outside, so every decider and fold is deterministic.
const impureSyntax = {
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pure code takes the time as a parameter (DecisionContext.now, asOf).' },
    { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Pure code takes the time as a parameter.' },
    { selector: "CallExpression[callee.property.name='randomUUID']", message: 'Ids come in from the application layer.' },
    { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Pure code is deterministic.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@treasury/*/src/*', '**/libs/*/src/**'], message: 'Import libraries by their @treasury/ alias.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      ...restrict([...drivers, ...io, '@treasury/*'], 'domain is pure: no framework, driver, I/O or other layer.'),
      ...impureSyntax,
    },
  },
  {
    files: ['libs/projections/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      ...restrict(
        [...drivers, ...io, '@treasury/application', '@treasury/event-store*'],
        'projections are pure folds over domain events: no framework, driver, I/O, store or application.',
      ),
      ...impureSyntax,
    },
  },
  {
    files: ['libs/application/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(
      [...drivers, '@treasury/event-store-sqlite', '@treasury/event-store-esdb', '@treasury/projection-snapshots-file'],
      'application depends on ports, never on an adapter or a framework.',
    ),
  },
  {
    files: ['libs/event-store/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(
      [...drivers, '@treasury/domain', '@treasury/projections', '@treasury/application', '@treasury/event-store-*'],
      'the port knows nothing of the domain or of its adapters.',
    ),
  },
  {
    files: ['libs/event-store-sqlite/src/**/*.ts', 'libs/event-store-esdb/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(
      ['@nestjs/*', '**/apps/**', '@treasury/domain', '@treasury/projections', '@treasury/application'],
      'an adapter implements the port and nothing else.',
    ),
  },
  {
    files: ['libs/projection-snapshots-file/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(
      ['@nestjs/*', '**/apps/**', 'better-sqlite3', '@eventstore/*', '@treasury/event-store*', '@treasury/projections'],
      'the snapshot adapter implements the application port ProjectionSnapshots and nothing else.',
    ),
  },
);

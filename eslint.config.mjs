// Lint: typescript-eslint's recommended rules, plus the dependency rule of STYLE.md enforced per layer.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The layer zones, by folder: what each folder may import besides itself. An import is resolved to the
 * folder it reaches, whether written as an @treasury/ alias or as a relative path, so
 * '../../application/src/x' is caught as surely as '@treasury/application'. Anything not granted is
 * refused (another layer, test/, a root file, a path out of the project); a spec may also use every
 * library and test/. A folder under libs/ or apps/ missing from the table is an error, so a new one
 * starts with a decision. test/ and root files are not checked. npm packages and node builtins are the
 * business of no-restricted-imports below.
 */
const LIBS = [
  'libs/domain',
  'libs/projections',
  'libs/application',
  'libs/event-store',
  'libs/event-store-sqlite',
  'libs/event-store-esdb',
  'libs/projection-snapshots-file',
  'libs/startup',
];
const ZONES = {
  'libs/domain': [],
  'libs/projections': ['libs/domain'],
  'libs/application': ['libs/domain', 'libs/projections', 'libs/event-store'],
  'libs/event-store': [],
  'libs/event-store-sqlite': ['libs/event-store'],
  'libs/event-store-esdb': ['libs/event-store'],
  'libs/projection-snapshots-file': ['libs/domain', 'libs/application'],
  // The composition root shared by every entry point: reads the store's environment, opens the adapters.
  'libs/startup': [
    'libs/application',
    'libs/event-store',
    'libs/event-store-sqlite',
    'libs/event-store-esdb',
    'libs/projection-snapshots-file',
  ],
  'apps/api': LIBS,
  'apps/cli': LIBS,
  // The bench measures the CLI's own import path, so it runs that code; the server it starts as a process.
  'apps/bench': [...LIBS, 'apps/cli'],
  // Browser code: its own folder only (the libraries carry node dependencies).
  'apps/web': [],
};

// @treasury/x -> libs/x/src, from tsconfig.json, the one place the aliases are declared.
const ALIASES = Object.entries(JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).compilerOptions.paths)
  .filter(([alias]) => !alias.endsWith('/*'))
  .map(([alias, [target]]) => [alias, target]);

/** libs/x or apps/x for a path under them, else the path's first segment ('test', 'package.json', '..'). */
const zoneOf = (absolute) => {
  const parts = relative(root, absolute).split(sep);
  return parts[0] === 'libs' || parts[0] === 'apps' ? parts.slice(0, 2).join('/') : parts[0];
};

/** The absolute path an import names, or undefined for a package or builtin. */
const target = (fromFile, source) => {
  if (source.startsWith('.') || source.startsWith('/')) return resolve(dirname(fromFile), source);
  const alias = ALIASES.find(([name]) => source === name || source.startsWith(`${name}/`));
  return alias === undefined ? undefined : join(root, alias[1], source.slice(alias[0].length));
};

const layerZones = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      refused: '{{from}} may not import {{to}} ("{{source}}"): the layer zones in eslint.config.mjs say what each folder may use.',
      unzoned: '{{from}} has no layer zone: add it to ZONES in eslint.config.mjs with what it may import.',
    },
  },
  create(context) {
    const from = zoneOf(context.filename);
    if (ZONES[from] === undefined) {
      if (!/^(libs|apps)\//.test(from)) return {};
      return { Program: (node) => context.report({ node, messageId: 'unzoned', data: { from } }) };
    }
    // A spec may wire real adapters and test support (an integration test), but never reach into an app.
    const allowed = /\.spec\.tsx?$/.test(context.filename) ? [...ZONES[from], ...LIBS, 'test'] : ZONES[from];
    const check = (node) => {
      if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
      const path = target(context.filename, node.value);
      if (path === undefined) return;
      const to = zoneOf(path);
      if (to !== from && !allowed.includes(to)) context.report({ node, messageId: 'refused', data: { from, to, source: node.value } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSExternalModuleReference: (node) => check(node.expression),
      'CallExpression[callee.name="require"]': (node) => check(node.arguments[0]),
    };
  },
};

// Packages by role; which of our folders a file may import is the business of the zones above.
const framework = ['@nestjs/*', 'express'];
const drivers = ['better-sqlite3', '@eventstore/*'];
const io = ['node:*', 'fs', 'fs/*', 'path', 'crypto', 'child_process', 'net', 'http', 'https', 'os'];
const byAlias = { group: ['@treasury/*/src/*', '**/libs/*/src/**'], message: 'Import libraries by their @treasury/ alias.' };
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [byAlias, { group: patterns, message }] }],
});

// Pure code gets its clock and ids from outside, so every decider and fold is deterministic.
const impureSyntax = {
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Pure code takes the time as a parameter (DecisionContext.now, asOf).',
    },
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: 'Pure code takes the time as a parameter.',
    },
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
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@treasury/*/src/*', '**/libs/*/src/**'], message: 'Import libraries by their @treasury/ alias.' }] },
      ],
    },
  },
  {
    files: ['libs/**/*.{ts,tsx,js,mjs,cjs}', 'apps/**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { treasury: { rules: { 'layer-zones': layerZones } } },
    rules: { 'treasury/layer-zones': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      ...restrict([...framework, ...drivers, ...io], 'domain is pure: no framework, driver or I/O.'),
      ...impureSyntax,
    },
  },
  {
    files: ['libs/projections/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      ...restrict([...framework, ...drivers, ...io], 'projections are pure folds over domain events: no framework, driver or I/O.'),
      ...impureSyntax,
    },
  },
  {
    files: ['libs/application/src/**/*.ts', 'libs/event-store/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict([...framework, ...drivers], 'the application and the port depend on no framework or driver.'),
  },
  {
    files: ['libs/event-store-sqlite/src/**/*.ts', 'libs/event-store-esdb/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(framework, 'an adapter is framework-free: the API wires it into NestJS.'),
  },
  {
    files: ['libs/projection-snapshots-file/src/**/*.ts', 'libs/startup/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict([...framework, ...drivers], 'no framework or store driver here: the store adapters own their drivers.'),
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['**/*.spec.ts'],
    rules: restrict([...framework, ...drivers, ...io], 'the console runs in a browser: no framework, driver or node module.'),
  },
);

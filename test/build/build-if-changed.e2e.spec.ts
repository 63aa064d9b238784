import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * scripts/build.mjs (what `npm start`, `npm run cli`, `demo`, `bench` and `rebuild` run first) on a tiny
 * project of the same shape: real tsc, real alias rewriting, a stub web build. Nothing in the real tree
 * is touched.
 */
const REPO = join(__dirname, '..', '..');
const BUILD = join(REPO, 'scripts', 'build.mjs');

let root: string;
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};
const build = (...flags: string[]): string => {
  const result = spawnSync(process.execPath, [BUILD, '--root', root, ...flags], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`);
  return result.stderr;
};
const runBuilt = (entry: string) => execFileSync(process.execPath, [join(root, 'dist', entry)], { encoding: 'utf8' }).trim();
const webBuilds = () => readFileSync(join(root, 'web-builds.log'), 'utf8').length;
const mtime = (file: string) => statSync(join(root, file)).mtimeMs;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'treasury-build-'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  write('package.json', '{ "name": "build-fixture", "private": true }');
  write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        moduleResolution: 'node',
        strict: true,
        skipLibCheck: true,
        types: [],
        outDir: './dist',
        baseUrl: './',
        paths: { '@treasury/greeting': ['libs/greeting/src'] },
      },
    }),
  );
  write(
    'tsconfig.build.json',
    JSON.stringify({
      extends: './tsconfig.json',
      include: ['apps/**/*.ts', 'libs/**/*.ts'],
      exclude: ['dist', 'apps/web', '**/*.spec.ts'],
    }),
  );
  write('libs/greeting/src/index.ts', "export const greeting = 'one';\n");
  write('libs/greeting/src/greeting.spec.ts', '// not compiled by the build\n');
  for (const app of ['api', 'cli'])
    write(`apps/${app}/src/main.ts`, "import { greeting } from '@treasury/greeting';\nconsole.log(greeting);\n");
  // The stub console build: one line in a log per run, and the output the real one writes.
  write('apps/web/src/main.tsx', '// the console\n');
  write(
    'apps/web/build.mjs',
    "import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist/web', { recursive: true });\nwriteFileSync('dist/web/index.html', 'console');\nappendFileSync('web-builds.log', 'x');\n",
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

it('builds a clean tree, then skips what is up to date and redoes only what an edit reaches', () => {
  expect(build()).toContain('server compiled');
  expect(runBuilt('apps/api/src/main.js')).toBe('one'); // the alias became a relative path
  expect(webBuilds()).toBe(1);

  const compiledAt = mtime('dist/apps/api/src/main.js');
  expect(build()).toContain('server up to date, web console up to date');
  expect(mtime('dist/apps/api/src/main.js')).toBe(compiledAt);
  expect(webBuilds()).toBe(1);

  // Touched but unchanged, or a spec edited: nothing to build.
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(root, 'libs/greeting/src/index.ts'), later, later);
  write('libs/greeting/src/greeting.spec.ts', '// edited\n');
  expect(build()).toContain('server up to date, web console up to date');

  // A library edit reaches both apps; the console is left alone.
  write('libs/greeting/src/index.ts', "export const greeting = 'two';\n");
  expect(build()).toContain('server compiled');
  expect(runBuilt('apps/api/src/main.js')).toBe('two');
  expect(runBuilt('apps/cli/src/main.js')).toBe('two');
  expect(webBuilds()).toBe(1);

  // A console edit rebuilds the console only.
  write('apps/web/src/main.tsx', '// the console, edited\n');
  expect(build()).toContain('server up to date, web console bundled');
  expect(webBuilds()).toBe(2);
});

it('rebuilds when an output is gone, even though the sources and tsc build info are unchanged', () => {
  build();
  unlinkSync(join(root, 'dist/apps/cli/src/main.js'));
  expect(build()).toContain('server compiled');
  expect(runBuilt('apps/cli/src/main.js')).toBe('two');
});

it('--force rebuilds everything', () => {
  build();
  const before = webBuilds();
  expect(build('--force')).toContain('server compiled');
  expect(webBuilds()).toBe(before + 1);
});

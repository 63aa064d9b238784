// `npm run build`: compiles the server, CLI and bench (tsc, then the @treasury/ aliases rewritten to
// relative paths) and bundles the web console (apps/web/build.mjs), each only when its inputs differ from
// those of its last successful build. `npm start`, `npm run cli`, `demo`, `bench` and `rebuild` run it, so
// they start at once when nothing changed and pick up any edit when something did.
//
// "Differ" is a SHA-256 over the inputs' paths and contents, not their times: an edit, a new file, a
// deleted file or a `git checkout` of an older version all count, and touching a file without changing
// it does not. tsc itself runs incrementally (dist/.tsbuildinfo), so a one-file edit recompiles little.
// `--force` forgets both and rebuilds everything; `--root <dir>` builds another tree (the build's test).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt === -1 ? join(dirname(self), '..') : args[rootAt + 1];
const force = args.includes('--force');
const dist = join(root, 'dist');
const stampPath = join(dist, '.build-stamp.json');
const buildInfo = join(dist, '.tsbuildinfo');
/** Without these the build is not done, whatever the stamp says (someone deleted dist/apps, say). */
const SERVER_OUTPUTS = ['dist/apps/api/src/main.js', 'dist/apps/cli/src/main.js'];
const WEB_OUTPUTS = ['dist/web/index.html'];

/** Every file under dir (relative to root, '/'-separated, sorted) that keep() accepts. */
const filesUnder = (dir, keep) => {
  const found = [];
  const walk = (at) => {
    if (!existsSync(at)) return;
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const name = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (keep(name)) found.push(name);
    }
  };
  walk(join(root, dir));
  return found.sort();
};

const digest = (files) => {
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(root, file)))
      .update('\0');
  hash.update(readFileSync(self)); // a change to these build steps rebuilds too
  return hash.digest('hex');
};

const shared = ['tsconfig.json', 'package-lock.json'].filter((file) => existsSync(join(root, file)));
// What tsconfig.build.json compiles (apps and libs, no web console, specs or testing helpers), plus the JSON files they import.
const serverSource = (name) =>
  !name.startsWith('apps/web/') && /\.(ts|json)$/.test(name) && !name.endsWith('.spec.ts') && !name.includes('/testing/');
const serverDigest = () =>
  digest([...shared, 'tsconfig.build.json', ...filesUnder('apps', serverSource), ...filesUnder('libs', serverSource)]);
const webDigest = () => digest([...shared, ...filesUnder('apps/web', () => true)]);

const readStamp = () => {
  try {
    return JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return {};
  }
};
const writeStamp = (stamp) => {
  mkdirSync(dist, { recursive: true });
  writeFileSync(`${stampPath}.${process.pid}`, JSON.stringify(stamp));
  renameSync(`${stampPath}.${process.pid}`, stampPath);
};
const present = (outputs) => outputs.every((file) => existsSync(join(root, file)));

const run = (what, command, commandArgs) => {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${what} failed (${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
};

/** tsc emits '@treasury/x' imports as written; node needs relative paths. Only files still naming an alias are rewritten (tsc re-emits only what changed). */
const rewriteAliases = async () => {
  const requireHere = createRequire(join(root, 'package.json'));
  const { prepareSingleFileReplaceTscAliasPaths } = requireHere('tsc-alias');
  const replace = await prepareSingleFileReplaceTscAliasPaths({ configFile: join(root, 'tsconfig.build.json') });
  let rewritten = 0;
  for (const dir of ['dist/apps', 'dist/libs']) {
    for (const file of filesUnder(dir, (name) => name.endsWith('.js'))) {
      const path = join(root, file);
      const contents = readFileSync(path, 'utf8');
      if (!contents.includes('@treasury/')) continue;
      const replaced = replace({ fileContents: contents, filePath: path });
      if (replaced !== contents) {
        writeFileSync(path, replaced);
        rewritten += 1;
      }
    }
  }
  return rewritten;
};

const began = performance.now();
if (force) rmSync(stampPath, { force: true });
const stamp = readStamp();
const done = [];

const server = serverDigest();
if (stamp.server !== server || !present(SERVER_OUTPUTS)) {
  // A build that stops half-way must not leave a stamp saying it finished.
  delete stamp.server;
  writeStamp(stamp);
  // tsc trusts its build info over the outputs: without them (or when asked), compile from scratch.
  if (force || !present(SERVER_OUTPUTS)) rmSync(buildInfo, { force: true });
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  run('tsc', process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', buildInfo]);
  const rewritten = await rewriteAliases();
  stamp.server = server;
  writeStamp(stamp);
  done.push(`server compiled (${rewritten} files' aliases rewritten)`);
} else done.push('server up to date');

const web = webDigest();
if (stamp.web !== web || !present(WEB_OUTPUTS)) {
  delete stamp.web;
  writeStamp(stamp);
  run('the web console build', process.execPath, [join(root, 'apps', 'web', 'build.mjs')]);
  stamp.web = web;
  writeStamp(stamp);
  done.push('web console bundled');
} else done.push('web console up to date');

console.error(`build: ${done.join(', ')} (${Math.round(performance.now() - began)} ms)`);

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO, readEnvFile } from './compose-support';
import { envOf, execForm, readDockerfile } from './dockerfile-parse';

/**
 * The Dockerfile, without a Docker engine: linted (dockerfilelint, and hadolint where installed), read for
 * what the image promises, and its runtime stage's file layout rebuilt from the local build and started
 * with the image's environment and health check. `docker build` itself is not run here (no engine in CI).
 */
const instructions = readDockerfile();
const stages = instructions.filter((i) => i.keyword === 'FROM');
const last = stages.length - 1;
const runtime = instructions.filter((i) => i.stage === last);
const stageName = (index: number) => /\bAS\s+(\S+)$/i.exec(stages[index]!.args)?.[1];
const stageNamed = (name: string) => stages.findIndex((_, index) => stageName(index) === name);
const of = (keyword: string) => runtime.filter((i) => i.keyword === keyword);
const imageEnv = envOf(runtime);
const healthcheck = execForm(of('HEALTHCHECK')[0]!.args.replace(/^(--\S+\s+)*CMD\s+/, ''))!;
const cmd = execForm(of('CMD')[0]?.args ?? '')!;

describe('Dockerfile: lint', () => {
  it('passes dockerfilelint with no issue', () => {
    const bin = join(REPO, 'node_modules', 'dockerfilelint', 'bin', 'dockerfilelint');
    const result = spawnSync(process.execPath, [bin, '--output', 'json', 'Dockerfile'], { cwd: REPO, encoding: 'utf8' });
    const report = JSON.parse(result.stdout) as { totalIssues: number; files: ReadonlyArray<{ issues: unknown[] }> };
    expect(report.files.flatMap((file) => file.issues)).toEqual([]);
    expect(report.totalIssues).toBe(0);
    expect(result.status).toBe(0);
  });

  const hadolint = spawnSync('hadolint', ['--version'], { encoding: 'utf8' }).status === 0;
  (hadolint ? it : it.skip)('passes hadolint', () => {
    const result = spawnSync('hadolint', ['Dockerfile'], { cwd: REPO, encoding: 'utf8' });
    expect([result.status, result.stdout]).toEqual([0, '']);
  });
  if (!hadolint)
    it('is not checked by hadolint here: it is not on PATH (it is a binary, not an npm package)', () => {
      console.info('test/ops: hadolint skipped: not on PATH. `docker build` is not run here either: no Docker engine.');
    });
});

describe('Dockerfile: what the image promises', () => {
  it('builds in stages from one base pinned to a Node 20 patch release', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const bases = stages.map((stage) => stage.args.split(/\s+/)[0]);
    for (const base of bases) expect(base).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    expect(new Set(bases).size).toBe(1);
  });

  it('compiles with the dev dependencies in one stage and installs only production ones in another', () => {
    const runsIn = (stage: number) =>
      instructions
        .filter((i) => i.stage === stage && i.keyword === 'RUN')
        .map((i) => i.args)
        .join('\n');
    const build = stageNamed('build');
    expect(runsIn(build)).toMatch(/npm ci(?! --omit)/);
    expect(runsIn(build)).toMatch(/npm run build/);
    const prod = stageNamed('prod-deps');
    expect(runsIn(prod)).toMatch(/npm ci --omit=dev/);
    // Both install better-sqlite3, so both carry the toolchain to compile it.
    for (const stage of [build, prod]) expect(runsIn(stage)).toMatch(/python3 make g\+\+/);
    expect(of('COPY').filter((i) => /node_modules/.test(i.args))).toEqual([
      expect.objectContaining({ args: expect.stringMatching(/^--from=prod-deps .*\/app\/node_modules \.\/node_modules$/) }),
    ]);
  });

  it('runs as a user other than root, installs nothing at start, and starts the server with node', () => {
    const users = of('USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(
      of('RUN')
        .map((i) => i.args)
        .join('\n'),
    ).not.toMatch(/\bnpm\b/);
    expect(cmd).toEqual(['node', 'dist/apps/api/src/main.js']);
    for (const i of [...of('CMD'), ...of('ENTRYPOINT')]) expect(i.args).not.toMatch(/\bnp[mx]\b/);
  });

  it('keeps the store, the snapshot and the bootstrap key under the declared volume', () => {
    const volumes = of('VOLUME').map((i) => i.args);
    expect(volumes).toEqual(['/data']);
    for (const key of ['TREASURY_DB', 'PROJECTION_SNAPSHOT', 'BOOTSTRAP_KEY_FILE'])
      expect([key, imageEnv[key]]).toEqual([key, expect.stringMatching(/^\/data\//)]);
    expect(imageEnv.HOST).toBe('0.0.0.0');
  });

  it('sets only variables the server reads', () => {
    const sources = spawnSync('git', ['grep', '-h', '-o', 'env\\.[A-Z_]*', '--', 'apps/api/src', 'apps/cli/src', 'libs'], {
      cwd: REPO,
      encoding: 'utf8',
    }).stdout;
    const read = new Set(sources.split('\n').map((line) => line.replace(/^env\./, '')));
    expect(Object.keys(imageEnv).filter((key) => key !== 'NODE_ENV' && !read.has(key))).toEqual([]);
  });

  it('checks /ready, the public readiness route, with node (the slim image has no curl)', () => {
    expect(healthcheck[0]).toBe('node');
    expect(healthcheck.join(' ')).toMatch(/\/ready'/);
    const policy = readFileSync(join(REPO, 'apps', 'api', 'src', 'auth', 'access-policy.ts'), 'utf8');
    expect(policy).toMatch(/'GET \/ready': \{ public: true/);
  });

  it('leaves host builds, data and secrets out of the build context', () => {
    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'data', '.env', '.git']) expect(ignored).toContain(entry);
    expect(Object.keys(readEnvFile('.env.example')).length).toBeGreaterThan(0);
  });

  it('ships every package the compiled server and CLI require among the production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const missing = new Set<string>();
    const dist = join(REPO, 'dist');
    if (!existsSync(join(dist, 'apps', 'api', 'src', 'main.js')))
      throw new Error('dist is missing: run `npm run build` first (npm test does)');
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.js'))
          for (const [, name = ''] of readFileSync(path, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
            const bare = name.replace(/^node:/, '');
            const pkgName = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : bare.split('/')[0]!;
            if (!builtins.has(bare) && !builtins.has(pkgName) && pkg.dependencies[pkgName] === undefined)
              missing.add(`${pkgName} (${relative(REPO, path)})`);
          }
      }
    };
    for (const copied of of('COPY').filter((i) => i.args.startsWith('--from=build'))) {
      const source = copied.args
        .split(/\s+/)
        .at(-2)!
        .replace(/^\/app\//, '');
      if (source.startsWith('dist/') && !source.startsWith('dist/web')) walk(join(REPO, source));
    }
    expect([...missing]).toEqual([]);
  });
});

describe('Dockerfile: the runtime stage, laid out from the local build and started as the image starts it', () => {
  let root: string;
  let data: string;
  let server: ChildProcess | undefined;
  let port: number;
  /** The image's environment, with /data moved to a temporary folder and the port made free. */
  let env: NodeJS.ProcessEnv;

  const runHealthcheck = () =>
    spawnSync(healthcheck[0] === 'node' ? process.execPath : healthcheck[0]!, healthcheck.slice(1), {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 10_000,
    }).status;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'treasury-image-'));
    data = join(root, 'data-volume');
    mkdirSync(data, { mode: 0o700 });
    // Exactly what the runtime stage copies from the build stage (node_modules: the host's, linked).
    for (const copied of of('COPY').filter((i) => i.args.startsWith('--from=build'))) {
      const [source, target] = copied.args.split(/\s+/).slice(-2) as [string, string];
      cpSync(join(REPO, source.replace(/^\/app\//, '')), join(root, target), { recursive: true });
    }
    cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
    const { createServer } = await import('node:net');
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const moved = Object.fromEntries(Object.entries(imageEnv).map(([key, value]) => [key, value.replace(/^\/data\//, `${data}/`)]));
    env = { PATH: process.env.PATH, ...moved, HOST: '127.0.0.1', PORT: String(port) };
  });

  afterAll(async () => {
    // Still running only when the test stopped early: a process ended by a signal has signalCode set
    // and exitCode null, and its 'exit' has already been emitted (waiting for it again would hang).
    if (server !== undefined && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      const killer = setTimeout(() => server!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the API, the console and the contract page, and its health check turns healthy, then unhealthy when it stops', async () => {
    expect(runHealthcheck()).toBe(1);
    server = spawn(process.execPath, cmd.slice(1), { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let healthy = false;
    for (let attempt = 0; attempt < 100 && !healthy; attempt++) {
      if (server.exitCode !== null) throw new Error(`the server exited: ${stderr}`);
      healthy = runHealthcheck() === 0;
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(healthy).toBe(true);
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { accept: 'text/html' } });
    expect((await get('/')).status).toBe(200); // the console, from dist/web
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    const asset = /(?:src|href)="(\/docs\/[^"]+\.(?:js|css))"/.exec(await docs.text())?.[1];
    expect(asset).toBeDefined();
    expect((await get(asset!)).status).toBe(200); // swagger-ui-dist, from node_modules
    // The store, its snapshot's folder and the bootstrap key are in the volume.
    expect(readdirSync(data).sort()).toEqual(expect.arrayContaining(['admin.key', 'treasury.db']));
    // The CLI the image ships runs from the same layout, on the same store (the bootstrap key is listed).
    const cli = spawnSync(process.execPath, [join(root, 'dist', 'apps', 'cli', 'src', 'main.js'), 'keys', 'list'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect([cli.status, cli.stderr]).toEqual([0, '']);
    expect(cli.stdout).toMatch(/admin/);
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    expect(runHealthcheck()).toBe(1);
  }, 180_000); // a server start and up to a hundred health-check processes, on a loaded 2-core machine
});

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, HttpClient, SERVER_ENTRY } from '@treasury/test-support';

/**
 * The README's quick start as a newcomer runs it: the built server started in a fresh directory with
 * no configuration (authentication on), then the curl session pasted into bash, unchanged but for the
 * port. Every command must be accepted and every query answered.
 */
describe('README: the curl session works against a fresh server with authentication on', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = (after: string) => {
    const start = readme.indexOf('```bash', readme.indexOf(after)) + '```bash'.length;
    return readme.slice(start, readme.indexOf('```', start));
  };
  let dir: string;
  let child: ReturnType<typeof spawn>;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run "npm run build" first (npm test does)`);
    dir = mkdtempSync(join(tmpdir(), 'treasury-readme-'));
    port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    for (const name of ['TREASURY_DB', 'EVENT_STORE', 'HOST', 'AUTH', 'PROJECTION_SNAPSHOT', 'BOOTSTRAP_KEY_FILE']) delete env[name];
    child = spawn(process.execPath, [SERVER_ENTRY], { cwd: dir, env, stdio: 'ignore' });
    const http = new HttpClient(`http://127.0.0.1:${port}`);
    for (let i = 0; i < 200; i++) {
      if ((await http.get('/ready').catch(() => ({ status: 0 }))).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the server did not become ready');
  });
  afterAll(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the bootstrap key where the README says, readable by its owner only', () => {
    expect(statSync(join(dir, 'data', 'admin.key')).mode & 0o777).toBe(0o600);
  });

  it('runs the session: every answer is JSON and nothing is refused', () => {
    const script = block('### A session with curl').replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`);
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const answers = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(11);
    for (const answer of answers) expect(answer.status ?? 200).toBeLessThan(400);
    expect(answers.slice(0, 6).map((a) => a.command)).toEqual([
      'open-book',
      'record-mining-output',
      'record-btc-price',
      'draw-loan',
      'pledge-collateral',
      'record-btc-sale',
    ]);
    expect(answers[6].events[1].metadata).toMatchObject({ actorName: 'treasurer@acme', actor: expect.stringMatching(/^key:[a-z0-9]{8}$/) });
    expect(answers[7].holdings.btc).toBe('616.50000000');
    expect(answers[10]).toMatchObject({ ok: true });

    const refusal = block('Selling more than the wallet').replaceAll('127.0.0.1:3000', `127.0.0.1:${port}`);
    const refused = spawnSync(
      'bash',
      [
        '-euo',
        'pipefail',
        '-c',
        `${script
          .split('\n')
          .filter((l) => /^(B|J|A)=/.test(l))
          .join('\n')}\nT="$A"\n${refusal}`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(JSON.parse(refused.stdout.trim())).toMatchObject({ status: 422, rule: 'insufficient-unencumbered-btc' });
  });
});

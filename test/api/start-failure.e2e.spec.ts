import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ENTRY, freePort } from '../support/server-process';

/**
 * A start that fails after the configuration was accepted (here: the store cannot be opened) ends the
 * process with exit code 1 and a JSON line saying why, never a stack trace, so a supervisor restarts it
 * and the log stays one format.
 */
describe('server start failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 with a fatal JSON line when the store cannot be opened', async () => {
    const store = join(dir, 'treasury.db');
    mkdirSync(store); // a directory where the database file should be
    const run = spawnSync(process.execPath, [SERVER_ENTRY], {
      env: { PATH: process.env.PATH, TREASURY_DB: store, PORT: String(await freePort()), LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    // Nest reports a failure while building the app itself; main's catch reports one after (listen, hooks).
    const lines = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        service: 'treasury-engine',
        level: expect.stringMatching(/^(error|fatal)$/),
        msg: expect.stringMatching(/unable to open database file/),
      }),
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Unhandled|\n {4}at /);
  });
});

import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { BookCommandService } from '../commands/book-command.service';
import { Clock } from '../ports/clock';
import { RandomIds } from '../ports/id-generator';
import { PositionQueries } from '../queries/position.query';
import { PositionProjector } from './position-projector';

const clock: Clock = { now: () => Date.parse('2026-03-01T00:00:00Z') };
const mined = (day: number) => ({ effectiveAt: `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`, wallet: 'cold', btc: '1', usdPerBtc: '90000.00' });

/** The projector on a real SQLite file and a real snapshot file: catch-up, torn snapshots, freshness, failure. */
describe('PositionProjector', () => {
  let dir: string;
  let store: SqliteEventStore;
  let commands: BookCommandService;
  const snapshotPath = () => join(dir, 'treasury.db.projection');
  const run = async (command: string, body: unknown) => {
    const result = await commands.execute({ bookId: 'acme', command, body, actor: 'test' })();
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    return result.right;
  };
  const btcOf = (projector: PositionProjector) => projector.book('acme')?.raw(Date.parse('2026-02-01T00:00:00Z'), Number.MAX_SAFE_INTEGER).balances.get('unencumbered-btc|cold');
  const started = async (saveEvery = 2) => {
    const projector = new PositionProjector(store, new FileProjectionSnapshots(snapshotPath()), { saveEvery, minSaveIntervalMs: 0, readPage: 3 });
    const report = await projector.start()();
    if (E.isLeft(report)) throw report.left;
    return { projector, report: report.right };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projector-'));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
    commands = new BookCommandService(store, clock, new RandomIds());
    await run('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    for (let day = 2; day <= 8; day++) await run('record-mining-output', mined(day));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up from the store in pages, then from its snapshot plus only what is newer', async () => {
    const first = await started();
    expect(first.report).toMatchObject({ fromSnapshot: 0, fromStore: 8 });
    expect(btcOf(first.projector)).toBe(700_000_000n);
    await first.projector.stop();

    await run('record-mining-output', mined(9));
    const second = await started();
    expect(second.report).toMatchObject({ fromSnapshot: 8, fromStore: 1 });
    expect(btcOf(second.projector)).toBe(800_000_000n);
    await second.projector.stop();
  });

  it('follows new events and snapshots as it goes; a damaged snapshot is ignored and the log re-read', async () => {
    const { projector } = await started(1);
    const appended = await run('record-mining-output', mined(9));
    expect(await projector.waitFor(appended.position, 2_000)).toBe(true);
    expect(btcOf(projector)).toBe(800_000_000n);
    await projector.stop();
    const again = await started();
    expect(again.report).toMatchObject({ fromSnapshot: 9, fromStore: 0 });
    await again.projector.stop();

    truncateSync(snapshotPath(), statSync(snapshotPath()).size - 3);
    const damaged = await started();
    expect(damaged.report).toMatchObject({ fromSnapshot: 0, fromStore: 9 });
    expect(btcOf(damaged.projector)).toBe(800_000_000n);
    await damaged.projector.stop();
  });

  it('a query that must include a position the projection has not reached says so after waiting', async () => {
    const { projector } = await started();
    const queries = new PositionQueries(projector, clock, () => 0n, 50);
    const behind = await queries.position('acme', { minPosition: 1_000n })();
    expect(E.isLeft(behind) && behind.left).toMatchObject({ _tag: 'ProjectionBehind', position: 1_000n, checkpoint: 8n });
    // By default it waits for what this process acknowledged.
    const defaults = new PositionQueries(projector, clock, () => commands.lastAcknowledgedPosition, 2_000);
    await run('record-mining-output', mined(9));
    const fresh = await defaults.position('acme', {})();
    expect(E.isRight(fresh) && fresh.right.holdings.btc).toBe('8.00000000');
    await projector.stop();
  });

  it('stops folding at an event it cannot decode, and every query says why', async () => {
    const { projector } = await started();
    const foreign = await store.append('book-acme', [{ eventId: '00000000-0000-4000-8000-00000000dead', type: 'MiningOutputReceived', data: { btc: 'lots' }, metadata: {} }], 7)();
    expect(E.isRight(foreign)).toBe(true);
    await run('record-mining-output', mined(9)).catch(() => undefined);
    const queries = new PositionQueries(projector, clock, () => 0n, 50);
    for (let tries = 0; projector.failed === undefined && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    const answer = await queries.position('acme', {})();
    expect(E.isLeft(answer) && answer.left).toMatchObject({ _tag: 'ProjectionFailed', message: expect.stringContaining('does not decode') });
    await projector.stop();
  });
});

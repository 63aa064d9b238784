import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots, SNAPSHOT_FORMAT } from '@treasury/projection-snapshots-file';
import { BookCommandService } from '../commands/book-command.service';
import { Clock } from '../ports/clock';
import { RandomIds } from '../ports/id-generator';
import { PositionProjector } from './position-projector';

const clock: Clock = { now: () => Date.parse('2026-03-01T00:00:00Z') };

/**
 * A snapshot of the previous format (@3) holds no USD flow metrics for the events it covers: it is
 * refused, the book is rebuilt from the log, and the new metrics are there.
 */
describe('snapshot format @4 (USD flow metrics)', () => {
  let dir: string;
  let store: SqliteEventStore;
  const path = () => join(dir, 'treasury.db.projection');
  const started = async () => {
    const projector = new PositionProjector(store, new FileProjectionSnapshots(path()), {
      saveEvery: 1,
      minSaveIntervalMs: 0,
      readPage: 3,
      onWarning: () => undefined,
      onSaveFailed: () => undefined,
    });
    const report = await projector.start()();
    if (E.isLeft(report)) throw report.left;
    return { projector, report: report.right };
  };
  const miningUsd = (projector: PositionProjector) =>
    projector
      .book('acme')
      ?.flowsByPrefix('flow|mining-usd|', Number.NEGATIVE_INFINITY, Date.parse('2026-02-01T00:00:00Z'), Number.MAX_SAFE_INTEGER);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'snapshot-format-'));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
    const commands = new BookCommandService(store, clock, new RandomIds());
    for (const [command, body] of [
      ['open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' }],
      ['record-mining-output', { effectiveAt: '2026-01-02T00:00:00Z', wallet: 'cold', btc: '1', usdPerBtc: '90000.00', pool: 'Foundry' }],
    ] as const) {
      const result = await commands.execute({ bookId: 'acme', command, body, actor: 'test' })();
      if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is @4, and a @3 file (checksum intact) is discarded and the log re-read', async () => {
    expect(SNAPSHOT_FORMAT).toBe('treasury-engine/position-projection@4');
    const first = await started();
    await first.projector.stop();
    const again = await started();
    expect(again.report).toMatchObject({ fromSnapshot: 2, fromStore: 0 });
    await again.projector.stop();

    // The same content under the previous format line: only the format tells it apart.
    const bytes = readFileSync(path());
    const line = Buffer.from(`${SNAPSHOT_FORMAT}\n`);
    writeFileSync(path(), Buffer.concat([Buffer.from('treasury-engine/position-projection@3\n'), bytes.subarray(line.length)]));
    const old = await started();
    expect(old.report).toMatchObject({ fromSnapshot: 0, fromStore: 2 });
    expect(old.projector.snapshot).toMatchObject({ status: 'discarded', reason: expect.stringContaining('@4') });
    expect(miningUsd(old.projector)).toEqual(new Map([['Foundry', 9_000_000n]]));
    await old.projector.stop();
  });
});

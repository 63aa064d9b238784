import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { FileProjectionSnapshots } from '@treasury/projection-snapshots-file';
import { BookCommandService } from '../commands/book-command.service';
import { RandomIds } from '../ports/id-generator';
import { ProjectionSnapshot, ProjectionSnapshots } from '../ports/projection-snapshots';
import { PositionProjector } from './position-projector';

/** Loads the saved snapshot with one event's type code replaced by a code no event type has. */
class UnknownTypeCode extends ProjectionSnapshots {
  constructor(private readonly inner: ProjectionSnapshots) {
    super();
  }
  load(): TE.TaskEither<Error, ProjectionSnapshot | undefined> {
    return TE.map((snapshot: ProjectionSnapshot | undefined) => {
      snapshot?.books[0]?.[1].typeCodes.fill(250, 1, 2);
      return snapshot;
    })(this.inner.load());
  }
  save(snapshot: ProjectionSnapshot): TE.TaskEither<Error, void> {
    return this.inner.save(snapshot);
  }
}

describe('a snapshot with an unknown event-type code', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'type-codes-'));
    store = new SqliteEventStore(join(dir, 'treasury.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is discarded with the code named, and the projection is rebuilt from the log', async () => {
    const commands = new BookCommandService(store, { now: () => Date.parse('2026-03-01T00:00:00Z') }, new RandomIds());
    const run = async (command: string, body: unknown) => {
      const result = await commands.execute({ bookId: 'acme', command, body, actor: 'test' })();
      if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    };
    await run('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    await run('record-mining-output', { effectiveAt: '2026-01-02T00:00:00Z', wallet: 'cold', btc: '1', usdPerBtc: '90000.00' });
    const file = new FileProjectionSnapshots(join(dir, 'treasury.db.projection'));
    const writer = new PositionProjector(store, file, { saveEvery: 1, minSaveIntervalMs: 0 });
    expect(E.isRight(await writer.start()())).toBe(true);
    await writer.stop();

    const reader = new PositionProjector(store, new UnknownTypeCode(file), { saveEvery: 1_000, minSaveIntervalMs: 0 });
    const report = await reader.start()();
    expect(report).toMatchObject({ right: { fromSnapshot: 0, fromStore: 2 } });
    expect(reader.snapshot).toMatchObject({ status: 'discarded', reason: expect.stringContaining('event type code 250') });
    expect(reader.book('acme')?.typeOf(1)).toBe('MiningOutputReceived');
    await reader.stop();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { alertStream } from '@treasury/domain';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { BookCommandService } from '../commands/book-command.service';
import { bookStream } from '../commands/book-stream';
import { decodeAlert } from '../feed/feed-items';
import { FeedNotifier } from '../feed/feed-notifier';
import { Clock } from '../ports/clock';
import { RandomIds } from '../ports/id-generator';
import { NoProjectionSnapshots } from '../ports/projection-snapshots';
import { PositionProjector } from '../projections/position-projector';
import { AlertMonitor } from './alert-monitor';

class MovableClock extends Clock {
  millis = Date.parse('2026-03-01T12:00:00Z');
  now(): number {
    return this.millis;
  }
}

/** Two servers (two store connections, two projectors, two monitors) on one SQLite file. */
describe('AlertMonitor on a shared store', () => {
  let dir: string;
  const clock = new MovableClock();
  const servers: Array<{ store: SqliteEventStore; projector: PositionProjector; notifier: FeedNotifier; monitor: AlertMonitor }> = [];
  let commands: BookCommandService;

  const server = async () => {
    const store = new SqliteEventStore(join(dir, 'treasury.db'));
    const projector = new PositionProjector(store, new NoProjectionSnapshots());
    const started = await projector.start()();
    if (E.isLeft(started)) throw started.left;
    const notifier = new FeedNotifier(store);
    await notifier.start();
    const monitor = new AlertMonitor(store, projector, notifier, clock, new RandomIds(), {
      timerMs: 3_600_000,
      firstVerifyAfterMs: 3_600_000,
    });
    await monitor.start();
    const one = { store, projector, notifier, monitor };
    servers.push(one);
    return one;
  };
  const run = async (command: string, body: unknown) => {
    const result = await commands.execute({ bookId: 'acme', command, body, actor: 'test' })();
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    return result.right;
  };
  const alerts = async (store: SqliteEventStore) => {
    const read = await store.readStream(alertStream('acme'))();
    if (E.isLeft(read)) throw new Error(read.left._tag);
    return read.right.map((stored) => {
      const decoded = decodeAlert(stored);
      if (E.isLeft(decoded)) throw new Error(decoded.left);
      return decoded.right.data;
    });
  };
  const summary = (list: Awaited<ReturnType<typeof alerts>>) => list.map((a) => `${a.kind}:${a.subject ?? ''}:${a.from}->${a.to}`);
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'alerts-'));
  });
  afterEach(async () => {
    for (const one of servers.splice(0)) {
      await one.monitor.stop();
      await one.notifier.stop();
      await one.projector.stop();
      await one.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('two servers raise each transition once between them: the loser of the append re-reads and finds nothing left', async () => {
    const a = await server();
    const b = await server();
    commands = new BookCommandService(a.store, clock, new RandomIds());
    await run('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    await run('record-mining-output', { effectiveAt: '2026-01-02T00:00:00Z', wallet: 'cold', btc: '10', usdPerBtc: '100000.00' });
    await run('record-btc-price', { effectiveAt: '2026-03-01T11:00:00Z', usdPerBtc: '100000.00' });
    await run('draw-loan', {
      effectiveAt: '2026-01-02T00:00:00Z',
      loanId: 'L',
      lender: 'Bank',
      principalUsd: '750000.00',
      annualRate: '0',
      marginCallLtv: '0.70',
      liquidationLtv: '0.85',
    });
    await run('pledge-collateral', { effectiveAt: '2026-01-02T00:00:00Z', loanId: 'L', wallet: 'cold', btc: '10' });
    await eventually(async () => (await alerts(a.store)).length >= 1);
    // Both monitors followed the same events; give the slower one time to try (and lose) too.
    await eventually(async () => b.monitor.checkpoint >= a.projector.checkpoint && a.monitor.checkpoint >= a.projector.checkpoint);
    expect(b.monitor.checkpoint).toBe(a.projector.checkpoint);
    await Promise.all([a.monitor.tick(), b.monitor.tick()]);
    expect(summary(await alerts(a.store))).toEqual(['loan-status:L:open->margin-call']);
    // Time passes: both evaluate at once; the stale price is raised by one of them only.
    clock.millis = Date.parse('2026-03-02T11:00:01Z');
    await Promise.all([a.monitor.tick(), b.monitor.tick()]);
    await Promise.all([a.monitor.tick(), b.monitor.tick()]);
    expect(summary(await alerts(a.store))).toEqual(['loan-status:L:open->margin-call', 'price-staleness::fresh->stale']);
  });

  it('a flagged reconciliation row and a broken link in the chain are raised, naming their figures and event', async () => {
    const a = await server();
    commands = new BookCommandService(a.store, clock, new RandomIds());
    await run('open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    await run('record-mining-output', { effectiveAt: '2026-01-02T00:00:00Z', wallet: 'cold', btc: '10', usdPerBtc: '100000.00' });
    const report = await run('record-reported-holdings', {
      effectiveAt: '2026-01-31T23:59:59Z',
      btc: '9.5',
      source: 'custodian-statement',
    });
    await eventually(async () => (await alerts(a.store)).length >= 1);
    const [flagged] = await alerts(a.store);
    expect(flagged).toMatchObject({
      kind: 'reconciliation',
      subject: report.events[0]!.eventId,
      from: 'clear',
      to: 'flagged',
      causedBy: { eventId: report.events[0]!.eventId, logPosition: report.logPosition.toString() },
      figures: {
        'btc.reported': '9.50000000',
        'btc.ledger': '10.00000000',
        'btc.difference': '-0.50000000',
        toleranceBtc: '0.10000000',
        source: 'custodian-statement',
      },
    });
    // A writer outside the engine appends an event whose previousHash does not chain.
    const tail = await a.store.readStream(bookStream('acme'), { direction: 'backwards', maxCount: 1 })();
    if (E.isLeft(tail) || tail.right[0] === undefined) throw new Error('no tail');
    const forged = { ...tail.right[0], eventId: 'forged-1', metadata: { ...tail.right[0].metadata, previousHash: 'f'.repeat(64) } };
    const appended = await a.store.append(
      bookStream('acme'),
      [{ eventId: forged.eventId, type: forged.type, data: forged.data, metadata: forged.metadata }],
      tail.right[0].revision,
    )();
    if (E.isLeft(appended)) throw new Error(appended.left._tag);
    // The forged event is a copy of the report: a second flagged row, and the chain broken, in one evaluation.
    await eventually(async () => (await alerts(a.store)).length >= 3);
    expect(summary(await alerts(a.store))).toEqual([
      `reconciliation:${report.events[0]!.eventId}:clear->flagged`,
      'reconciliation:forged-1:clear->flagged',
      'hash-chain::intact->broken',
    ]);
    const chain = (await alerts(a.store))[2];
    expect(chain).toMatchObject({
      kind: 'hash-chain',
      subject: null,
      from: 'intact',
      to: 'broken',
      figures: { reason: 'previous-hash-mismatch', eventId: 'forged-1' },
    });
    // The full verification agrees, and raises nothing more.
    await a.monitor.verifyAll();
    expect(await alerts(a.store)).toHaveLength(3);
  });
});

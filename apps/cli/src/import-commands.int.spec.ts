import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { BookCommandService, Clock, RandomIds } from '@treasury/application';
import { SqliteEventStore } from '@treasury/event-store-sqlite';
import { importLines } from './import-commands';

const clock: Clock = { now: () => Date.parse('2026-03-01T00:00:00Z') };
const line = (book: string, command: string, body: Record<string, unknown>) => JSON.stringify({ book, command, body });
const open = (book: string) => line(book, 'open-book', { name: book, effectiveAt: '2026-01-01T00:00:00Z' });
const mined = (book: string, day: number) =>
  line(book, 'record-mining-output', {
    effectiveAt: `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`,
    wallet: 'cold',
    btc: '1',
    usdPerBtc: '90000.00',
  });

/** The import through the batch path, with small chunks so that a file spans several commits. */
describe('importLines through the batch path', () => {
  let store: SqliteEventStore;
  let appends: number;
  const service = () => new BookCommandService(store, clock, new RandomIds());
  const types = async (book: string) => {
    const read = await store.readStream(`book-${book}`)();
    return E.isRight(read) ? read.right.map((event) => event.type) : [];
  };

  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
    appends = 0;
    const append = store.append.bind(store);
    store.append = (...args) => {
      appends += 1;
      return append(...args);
    };
  });
  afterEach(() => store.close());

  it('commits a chunk of consecutive lines of one book at a time, in order, books interleaved', async () => {
    const file = [open('a'), mined('a', 2), mined('a', 3), mined('a', 4), open('b'), mined('b', 2), mined('a', 5)].join('\n');
    const summary = await importLines(service(), file, { actor: 'test', chunkSize: 3 });
    expect(summary).toEqual({ lines: 7, appended: 7, replayed: 0 });
    // a: lines 1-3, line 4; b: lines 5-6; a: line 7.
    expect(appends).toBe(4);
    expect(await types('a')).toEqual([
      'BookOpened',
      'MiningOutputReceived',
      'MiningOutputReceived',
      'MiningOutputReceived',
      'MiningOutputReceived',
    ]);
    expect(await types('b')).toEqual(['BookOpened', 'MiningOutputReceived']);
  });

  it('stops at a bad line inside a chunk, keeps the lines before it, and a re-run after the fix appends only the rest', async () => {
    const sale = (btc: string) =>
      line('a', 'record-btc-sale', { effectiveAt: '2026-01-10T00:00:00Z', wallet: 'cold', btc, proceedsUsd: '1.00' });
    const before = [open('a'), mined('a', 2), mined('a', 3), mined('a', 4)];
    const after = [mined('a', 11), mined('a', 11)];
    // Line 5 is the second line of the second chunk; selling 9 BTC of 3 is refused by the rules.
    const first = await importLines(service(), [...before, sale('9'), ...after].join('\n'), { actor: 'test', chunkSize: 3 });
    expect(first).toEqual({
      lines: 7,
      appended: 4,
      replayed: 0,
      failed: { line: 5, message: expect.stringContaining('refused (insufficient-unencumbered-btc)') },
    });
    expect(await types('a')).toHaveLength(4);

    // A line that does not decode stops it the same way, with what came before in its chunk written.
    const undecodable = await importLines(
      service(),
      [...before, mined('a', 5), '{"book": "a", "command": "record-btc-price", "body": {"usdPerBtc": 1}}', ...after].join('\n'),
      { actor: 'test', chunkSize: 3 },
    );
    expect(undecodable).toMatchObject({ appended: 1, replayed: 4, failed: { line: 6 } });
    expect(await types('a')).toHaveLength(5);

    const fixed = await importLines(service(), [...before, mined('a', 5), sale('2'), ...after].join('\n'), { actor: 'test', chunkSize: 3 });
    expect(fixed).toEqual({ lines: 8, appended: 3, replayed: 5 });
    const again = await importLines(service(), [...before, mined('a', 5), sale('2'), ...after].join('\n'), { actor: 'test', chunkSize: 3 });
    expect(again).toEqual({ lines: 8, appended: 0, replayed: 8 });
    // The two identical lines are two commands (their keys count occurrences), each appended once.
    expect(await types('a')).toEqual([
      'BookOpened',
      ...Array(4).fill('MiningOutputReceived'),
      'BtcSold',
      'MiningOutputReceived',
      'MiningOutputReceived',
    ]);
  });

  it('replays lines imported one command at a time before this change (same content-derived keys)', async () => {
    const file = [open('a'), mined('a', 2), mined('a', 3)];
    const old = service();
    for (const raw of file.slice(0, 2)) {
      const { book, command, body } = JSON.parse(raw);
      const key = `import:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}:1`;
      expect(E.isRight(await old.execute({ bookId: book, command, body, actor: 'test', idempotencyKey: key })())).toBe(true);
    }
    expect(await importLines(service(), file.join('\n'), { actor: 'test' })).toEqual({ lines: 3, appended: 1, replayed: 2 });
    expect(await types('a')).toHaveLength(3);
  });

  it('a line whose explicit key was used for another command stops the import there', async () => {
    const keyed = (day: number) =>
      JSON.stringify({
        book: 'a',
        command: 'record-btc-price',
        body: { effectiveAt: `2026-01-0${day}T00:00:00Z`, usdPerBtc: '1.00' },
        idempotencyKey: 'k',
      });
    const summary = await importLines(service(), [open('a'), keyed(2), keyed(3), mined('a', 4)].join('\n'), { actor: 'test' });
    expect(summary).toEqual({
      lines: 4,
      appended: 2,
      replayed: 0,
      failed: { line: 3, message: 'idempotency key "k" was used before for a different command' },
    });
  });
});

import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BookCommandService, RandomIds, SystemClock } from '@treasury/application';
import { openEventStore } from '@treasury/startup';
import { importLines } from '../../cli/src/import-commands';

/**
 * The CLI import's own path (`npm run cli -- import <file>`: read the file, importLines, the batch
 * path, chunks of IMPORT_CHUNK lines per commit) on a fresh durable SQLite file: a 100,000-line file of one
 * book, mining payouts every ten minutes with a price and a transfer to cold storage in between.
 */
export const batchImportFile = (lines: number): string => {
  const out = [
    JSON.stringify({ book: 'imported', command: 'open-book', body: { name: 'Imported miner', effectiveAt: '2023-01-01T00:00:00Z' } }),
  ];
  const start = Date.parse('2023-01-02T00:00:00Z');
  for (let i = 1; i < lines; i += 1) {
    const effectiveAt = new Date(start + i * 10 * 60_000).toISOString().replace('.000Z', 'Z');
    const kind = i % 10;
    const body =
      kind === 9
        ? { command: 'transfer-btc', body: { effectiveAt, fromWallet: 'pool', toWallet: 'cold', btc: '0.20000000' } }
        : kind === 8
          ? { command: 'record-btc-price', body: { effectiveAt, usdPerBtc: `${60000 + (i % 5000)}.00` } }
          : {
              command: 'record-mining-output',
              body: { effectiveAt, wallet: 'pool', btc: '0.03125000', usdPerBtc: '65000.00', pool: 'foundry' },
            };
    out.push(JSON.stringify({ book: 'imported', ...body }));
  }
  return out.join('\n');
};

/** Commands per second of wall time, and the CPU seconds spent (on a shared machine the two tell different stories). */
export const batchImport = async (
  dir: string,
  lines: number,
): Promise<{ readonly rate: number; readonly seconds: number; readonly cpuSeconds: number }> => {
  const file = join(dir, 'import.jsonl');
  writeFileSync(file, batchImportFile(lines));
  const store = openEventStore({ kind: 'sqlite', path: join(dir, 'import.db') });
  try {
    const cpu = process.cpuUsage();
    const began = performance.now();
    const summary = await importLines(new BookCommandService(store, new SystemClock(), new RandomIds()), readFileSync(file, 'utf8'), {
      actor: 'bench',
    });
    const elapsed = performance.now() - began;
    const used = process.cpuUsage(cpu);
    if (summary.failed !== undefined || summary.appended !== lines) throw new Error(`batch import: ${JSON.stringify(summary)}`);
    return { rate: (lines * 1000) / elapsed, seconds: elapsed / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await store.close();
  }
};

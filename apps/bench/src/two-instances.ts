import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchServer, startServer } from './server';
import { ms, summarise } from './stats';

type Row = (measure: string, result: string, target?: string) => void;

const WRITES = 30;

const post = async (server: BenchServer, path: string, body: unknown) => {
  const answer = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: server.authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as { logPosition: string };
};

const checkpointOf = async (server: BenchServer): Promise<bigint> => {
  const ready = (await (await fetch(`${server.baseUrl}/ready`)).json()) as { checkpoint?: string };
  return BigInt(ready.checkpoint ?? '0');
};

/**
 * Two API processes on one SQLite file (the compose file's shape on the embedded store): how long after
 * one instance acknowledges a write the other has folded it, without being asked (its subscription
 * polls the file). Writers alternate; the other instance's /ready checkpoint is read every 5 ms.
 */
export const twoInstancesPhase = async (dir: string, row: Row): Promise<void> => {
  const home = join(dir, 'two-instances');
  mkdirSync(home, { recursive: true });
  const dbPath = join(home, 'treasury.db');
  // One after the other: the first creates the store and its bootstrap key, the second finds both.
  const a = await startServer(dbPath, { PROJECTION_SNAPSHOT: join(home, 'a.projection') });
  const b = await startServer(dbPath, { PROJECTION_SNAPSHOT: join(home, 'b.projection') });
  try {
    await post(a, '/v1/books/two/commands/open-book', { name: 'Two', effectiveAt: '2025-01-01T00:00:00Z' });
    const samples: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const written = await post(writer, '/v1/books/two/commands/record-btc-price', {
        effectiveAt: new Date(Date.parse('2025-01-02T00:00:00Z') + i * 60_000).toISOString(),
        usdPerBtc: '95000.00',
      });
      const acknowledged = performance.now();
      const target = BigInt(written.logPosition);
      while ((await checkpointOf(reader)) < target) {
        if (performance.now() - acknowledged > 30_000) throw new Error('the other instance never folded the write');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      samples.push(performance.now() - acknowledged);
    }
    const s = summarise(samples);
    row(
      `A write seen by a second API instance on the same SQLite file (${WRITES} writes)`,
      `p50 ${ms(s.p50)}, max ${ms(s.max)} (the file is polled every 200 ms)`,
      '< 1 s',
    );
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
};

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, startServerProcess } from '@treasury/test-support';

/**
 * Durability: kill -9 the real server process while commands stream in, restart it on the same file,
 * and check that every acknowledged command is there, whole, and that nothing else is.
 */
describe('crash durability (SIGKILL under load)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'treasury-crash-'));
  const dbPath = join(dir, 'treasury.db');
  let server: ServerProcess | undefined;
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged command and leaves no partial one', async () => {
    server = await startServerProcess(dbPath);
    const first = server;
    expect((await first.http.command('miner', 'open-book', { name: 'Miner', effectiveAt: '2025-01-01T00:00:00Z' })).status).toBe(201);

    const acknowledged = new Map<string, { eventId: string; revision: number }>();
    const sent = new Set<string>();
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const reference = `payout-${w}-${i}`;
        sent.add(reference);
        try {
          const answer = await first.http.command('miner', 'record-mining-output', {
            effectiveAt: '2026-01-01T00:00:00Z',
            wallet: `pool-${w}`,
            btc: '0.01953125',
            usdPerBtc: '94000.00',
            reference,
          });
          if (answer.status !== 201) throw new Error(`unexpected ${answer.status}: ${JSON.stringify(answer.body)}`);
          acknowledged.set(reference, { eventId: answer.body.events[0].eventId, revision: answer.body.revision });
        } catch (error) {
          if (killed) return;
          throw error;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    while (acknowledged.size < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    killed = true;
    expect(await first.exited).toBe('SIGKILL');
    await Promise.all(workers);

    server = await startServerProcess(dbPath);
    const events = await server.http.allEvents('miner');
    // Revisions are contiguous: no hole, no duplicate, no torn write.
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    const byReference = new Map(events.slice(1).map((e) => [(e.metadata as { reference: string }).reference, e]));
    for (const [reference, ack] of acknowledged) {
      expect(byReference.get(reference)).toMatchObject({ eventId: ack.eventId, revision: ack.revision, type: 'MiningOutputReceived' });
    }
    // Anything beyond the acknowledged was in flight at the kill: it was sent, and it is whole.
    for (const [reference, event] of byReference) {
      expect(sent.has(reference)).toBe(true);
      expect(event.data).toEqual({ wallet: expect.stringMatching(/^pool-\d$/), btc: '0.01953125', usdPerBtc: '94000.00' });
    }
    expect(byReference.size).toBeGreaterThanOrEqual(acknowledged.size);
    expect(byReference.size).toBeLessThanOrEqual(acknowledged.size + 8);

    // And the restarted server carries on from where the log ends.
    const next = await server.http.command('miner', 'record-btc-price', { effectiveAt: '2026-01-01T00:00:00Z', usdPerBtc: '94000.00' });
    expect(next.status).toBe(201);
    expect(next.body.revision).toBe(events.length);
  });
});

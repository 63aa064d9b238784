import { join } from 'node:path';
import { SqliteEventStore } from '../sqlite-event-store';

/**
 * One of several processes opening fresh database files at the same instants (see
 * sqlite-event-store.int.spec.ts): for each round, waits for its instant, opens `<dir>/<round>.db`,
 * appends one event and closes, then prints the failures as one JSON line.
 */
const main = async (): Promise<void> => {
  const [dir, name, roundsText, startAtText, gapText] = process.argv.slice(2);
  const failures: string[] = [];
  for (let round = 0; round < Number(roundsText); round++) {
    const at = Number(startAtText) + round * Number(gapText);
    while (Date.now() < at); // a busy wait: the processes must race within a millisecond, not a timer tick
    try {
      const store = new SqliteEventStore(join(dir!, `${round}.db`));
      const result = await store.append(
        `own-${name}`,
        [{ eventId: crypto.randomUUID(), type: 'Noted', data: { round }, metadata: {} }],
        'no-stream',
      )();
      if (result._tag === 'Left') failures.push(`round ${round}: ${JSON.stringify(result.left)}`);
      await store.close();
    } catch (error) {
      failures.push(`round ${round}: ${(error as Error).message}`);
    }
  }
  process.stdout.write(`${JSON.stringify({ name, failures })}\n`);
};

void main();

import { randomUUID } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteEventStore } from '../sqlite-event-store';

/**
 * A second process on the same database file (see sqlite-event-store.int.spec.ts): appends `count`
 * times alternately to its own stream (at exact expected revisions) and to a stream it shares with
 * the other process ("any"), from the instant `startAt` on, then prints what happened as one JSON line.
 */
const main = async (): Promise<void> => {
  const [path, name, countText, startAtText] = process.argv.slice(2);
  const store = new SqliteEventStore(path!);
  // Both processes start appending together, once both are loaded: each says it is ready and waits for
  // the other (on a loaded machine one child can take seconds longer to start), then for `startAt`.
  writeFileSync(`${path}.${name}.ready`, '');
  while (readdirSync(dirname(path!)).filter((file) => file.endsWith('.ready')).length < 2)
    await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));
  const count = Number(countText);
  const failures: unknown[] = [];
  const firstAttemptAt = Date.now();
  let own = -1;
  for (let i = 0; i < count; i++) {
    const event = { eventId: randomUUID(), type: 'Noted', data: { by: name, i }, metadata: {} };
    const result =
      i % 2 === 0
        ? await store.append(`own-${name}`, [event], own === -1 ? 'no-stream' : own)()
        : await store.append('shared', [event], 'any')();
    if (result._tag === 'Left') failures.push(result.left);
    else if (i % 2 === 0) own = result.right.revision;
  }
  const lastDoneAt = Date.now();
  await store.close();
  process.stdout.write(`${JSON.stringify({ name, failures, firstAttemptAt, lastDoneAt })}\n`);
};

void main();

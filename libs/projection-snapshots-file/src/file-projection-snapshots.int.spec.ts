import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import type { ProjectionSnapshot } from '@treasury/application';
import { FileProjectionSnapshots } from './file-projection-snapshots';

const snapshot = (storeId: string, checkpoint: bigint): ProjectionSnapshot => ({
  storeId,
  checkpoint,
  checkpointEvent: { eventId: `event-${checkpoint}`, hash: null },
  books: [],
  heads: [],
  // A large-ish payload, so two writes overlap in time.
  findings: Array.from({ length: 20_000 }, (_, i) => ({ note: `${storeId}-${i}` })) as unknown as ProjectionSnapshot['findings'],
});

describe('FileProjectionSnapshots', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'snapshots-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps concurrent saves to one path apart: the file is one whole snapshot, and no temporary file is left', async () => {
    const path = join(dir, 'treasury.db.projection');
    // Two writers given the same path (two instances misconfigured, or two saves racing): each writes
    // its own temporary file, so the survivor is one of the two snapshots entire, never a mix.
    const writers = [new FileProjectionSnapshots(path), new FileProjectionSnapshots(path)];
    const saves = await Promise.all(
      Array.from({ length: 6 }, (_, i) => writers[i % 2]!.save(snapshot(i % 2 === 0 ? 'store-a' : 'store-b', BigInt(i)))()),
    );
    expect(saves.every(E.isRight)).toBe(true);
    const loaded = await writers[0]!.load()();
    if (E.isLeft(loaded) || loaded.right === undefined) throw new Error('no snapshot');
    const { storeId, checkpoint, findings } = loaded.right;
    expect(findings.every((finding) => (finding as unknown as { note: string }).note.startsWith(`${storeId}-`))).toBe(true);
    expect(storeId).toBe(Number(checkpoint) % 2 === 0 ? 'store-a' : 'store-b');
    expect(readdirSync(dir)).toEqual(['treasury.db.projection']);
  });
  it("removes the temporary files of saves that were killed, once they are old, and no one else's", async () => {
    const path = join(dir, 'treasury.db.projection');
    const killed = `${path}.4242.deadbeef.tmp`;
    const inProgress = `${path}.4243.cafebabe.tmp`;
    const unrelated = join(dir, 'other.db.projection.4244.0badf00d.tmp');
    for (const file of [killed, inProgress, unrelated]) writeFileSync(file, 'partial');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(killed, hourAgo, hourAgo);
    utimesSync(unrelated, hourAgo, hourAgo);
    const saved = await new FileProjectionSnapshots(path).save(snapshot('store-a', 1n))();
    expect(E.isRight(saved)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([
      'other.db.projection.4244.0badf00d.tmp',
      'treasury.db.projection',
      'treasury.db.projection.4243.cafebabe.tmp',
    ]);
  });
});

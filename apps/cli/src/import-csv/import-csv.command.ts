import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as E from 'fp-ts/Either';
import { BookId } from '@treasury/domain';
import type { EventStore } from '@treasury/event-store';
import { ProgressBar } from '../progress';
import { CsvImportSummary, importCsv } from './import-csv';
import { loadProfile, SHIPPED_PROFILES } from './profiles';
import { MAX_CSV_BYTES } from './read-csv';
import { describeRowError } from './row-mapping';

export const IMPORT_CSV_USAGE = `  npm run cli -- import-csv --profile <name|profile.json> <file.csv> --book <id> [--dry-run]
                                       map a statement to commands (shipped profiles: ${Object.keys(SHIPPED_PROFILES).join(', ')})`;

const report = (file: string, summary: CsvImportSummary, dryRun: boolean): void => {
  if (summary.failed !== undefined) {
    for (const error of summary.failed) console.error(error.row === 0 ? error.message : describeRowError(error));
    console.error(
      summary.written === undefined || summary.written === 0
        ? `${file}: nothing was written. Fix the file (or the book) and run the import again.`
        : `${file}: the book changed during the import; ${summary.written} rows were written before the failure. Run the import again: imported rows are not appended twice.`,
    );
    return;
  }
  const held = summary.held > 0 ? ` (${summary.held} held for approval)` : '';
  const duplicates =
    summary.duplicates > 0 ? `, ${summary.duplicates} duplicate rows (an earlier row's transaction id and values) skipped` : '';
  if (dryRun) {
    // The plan on stdout as JSON Lines (one row each), the summary on stderr.
    for (const row of summary.planned) console.log(JSON.stringify(row));
    console.error(
      `dry run, ${file}: ${summary.rows} rows, would append ${summary.appended}${held}, ${summary.replayed} already imported${duplicates}; nothing written`,
    );
    return;
  }
  console.log(`${file}: ${summary.rows} rows, ${summary.appended} appended${held}, ${summary.replayed} already imported${duplicates}`);
};

/** `import-csv`: returns the exit code (2: usage, 1: refused, 0: done). The store is opened only once the arguments are good. */
export const runImportCsv = async (argv: ReadonlyArray<string>, openStore: () => EventStore, actor: string): Promise<number> => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { profile: { type: 'string' }, book: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\nusage:\n${IMPORT_CSV_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [file, ...extra] = positionals;
  const usage: string[] = [];
  if (values.profile === undefined) usage.push('--profile is required');
  if (values.book === undefined || !BookId.is(values.book)) usage.push('--book <id> is required (a-z, 0-9, -)');
  if (file === undefined || extra.length > 0) usage.push('give exactly one CSV file');
  if (usage.length > 0 || values.profile === undefined || values.book === undefined || file === undefined) {
    console.error(`${usage.join('\n')}\nusage:\n${IMPORT_CSV_USAGE}`);
    return 2;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    console.error(`no such file: ${file}`);
    return 2;
  }
  if (statSync(file).size > MAX_CSV_BYTES) {
    console.error(`${file}: a statement may be at most ${MAX_CSV_BYTES / 1024 / 1024} MB: split it`);
    return 1;
  }
  const profile = loadProfile(values.profile);
  if (E.isLeft(profile)) {
    console.error(profile.left);
    return 2;
  }
  const dryRun = values['dry-run'] === true;
  const store = openStore();
  try {
    let bar: ProgressBar | undefined;
    const summary = await importCsv({
      store,
      profile: profile.right,
      text: readFileSync(file, 'utf8'),
      bookId: values.book,
      actor,
      dryRun,
      onProgress: (done, total) => (bar ??= new ProgressBar(total)).update(done),
    });
    bar?.finish();
    report(file, summary, dryRun);
    return summary.failed === undefined ? 0 : 1;
  } finally {
    await store.close();
  }
};

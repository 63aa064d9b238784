import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { BookCommandService, RandomIds, SystemClock } from '@treasury/application';
import { EventStore } from '@treasury/event-store';
import { openEventStore, storeConfigFromEnv } from '@treasury/startup';
import { ImportSummary, importLines } from './import-commands';
import { IMPORT_CSV_USAGE, runImportCsv } from './import-csv/import-csv.command';
import { KEYS_USAGE, cliActor, runKeys } from './keys-command';
import { ProgressBar } from './progress';
import { runDemo } from './demo';
import { BACKUP_USAGE, runBackup } from './backup/backup.command';
import { runRestore } from './backup/restore.command';

// Files this process creates (database, snapshot, key files) are readable by their owner only.
process.umask(0o077);

const USAGE = `usage:
  npm run cli -- import <file.jsonl>   run a JSON Lines file of commands against the configured store
  npm run demo                         load the example book into ./data/demo.db and print its reports
${IMPORT_CSV_USAGE}
${KEYS_USAGE}
${BACKUP_USAGE}
Environment as for the server: TREASURY_DB, EVENT_STORE, EVENTSTORE_CONNECTION_STRING. Events record the
operating-system user as their actor (local:cli:<user>); a line's "actor" is kept as an on-behalf-of note.`;

const EXAMPLE = join(__dirname, '..', '..', '..', '..', 'apps', 'cli', 'examples', 'seed-miner.jsonl');

// The CLI keeps no projection snapshot, so it opens the configured store alone.
const openStore = (env: NodeJS.ProcessEnv): EventStore => {
  const config = storeConfigFromEnv(env);
  if (E.isLeft(config)) throw new Error(config.left);
  return openEventStore(config.right.eventStore);
};

const runImport = async (store: EventStore, file: string, actor: string): Promise<ImportSummary> => {
  const text = readFileSync(file, 'utf8');
  const service = new BookCommandService(store, new SystemClock(), new RandomIds());
  const total = text.split(/\r?\n/).filter((line) => line.trim() !== '').length;
  const bar = new ProgressBar(total);
  const summary = await importLines(service, text, { actor, onProgress: (done) => bar.update(done) });
  bar.finish();
  console.log(
    `${file}: ${summary.lines} lines, ${summary.appended} commands appended, ${summary.replayed} already imported (replayed, nothing appended)`,
  );
  if (summary.failed !== undefined) {
    console.error(`line ${summary.failed.line}: ${summary.failed.message}`);
    console.error(
      `stopped at line ${summary.failed.line}; the ${summary.appended + summary.replayed} lines before it are written. Fix the line and run the import again: imported lines are not appended twice.`,
    );
  }
  return summary;
};

const demo = (): Promise<number> =>
  runDemo(
    (db) => openStore({ ...process.env, EVENT_STORE: 'sqlite', TREASURY_DB: db }),
    async (store) => (await runImport(store, EXAMPLE, cliActor())).failed === undefined,
  );

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [command, file] = argv;
  if (command === 'demo') return demo();
  if (command === 'import-csv') return runImportCsv(argv.slice(1), () => openStore(process.env), cliActor());
  if (command === 'backup') return runBackup(argv.slice(1), process.env);
  if (command === 'restore') return runRestore(argv.slice(1), process.env);
  if (command === 'keys') {
    const store = openStore(process.env);
    try {
      return await runKeys(store, argv.slice(1));
    } finally {
      await store.close();
    }
  }
  if (command === 'import' && file !== undefined) {
    if (!existsSync(file)) {
      console.error(`no such file: ${file}`);
      return 2;
    }
    const store = openStore(process.env);
    try {
      return (await runImport(store, file, cliActor())).failed === undefined ? 0 : 1;
    } finally {
      await store.close();
    }
  }
  console.error(USAGE);
  return 2;
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`treasury-engine: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { BookCommand, BookEvent, decodeBookCommand, decide, evolve, isBookCommandName, recordingTime } from '@treasury/domain';
import { EventStore, EventToAppend } from '@treasury/event-store';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import { CommandMetadata, bookStream, toEventsToAppend } from './book-stream';
import type { AppendedEventSummary, BookEntry } from './book-command.service';
import { storeFailure } from './book-command.service';
import type { CommandError } from './command.errors';
import { CommandCaller, commandRequestHash, proposalPermission } from './command-caller';
import { canonicalJson } from './request-hash';
import { createHash } from 'node:crypto';

/** The most commands one batch may carry: one commit, decided under the book's lock, must stay short. */
export const MAX_BATCH_ITEMS = 10_000;

export interface BatchItem {
  readonly command: string;
  /** The JSON body as received; decoded by the command's codec. */
  readonly body: unknown;
  /** This item's own key (the CLI's content-derived keys): a key seen before with the same body is skipped as replayed. */
  readonly idempotencyKey?: string;
  readonly onBehalfOf?: string;
  /** Migration mode: when the old system knew this command, recorded as its recordedAt (migration.rules.ts). */
  readonly knownAt?: number;
}

/** A batch's caller: its `idempotencyKey` covers the whole batch, its `expectedRevision` is checked once before the first item. */
export interface BatchRequest extends CommandCaller {
  readonly items: ReadonlyArray<BatchItem>;
  /**
   * `all` (the API): every item or none. `prefix` (the CLI import): the items before the first refusal
   * are committed, so an import keeps everything before its bad line.
   */
  readonly atomicity?: 'all' | 'prefix';
}

export interface BatchItemResult {
  readonly index: number;
  readonly command: string;
  readonly commandId: string;
  readonly events: ReadonlyArray<AppendedEventSummary>;
  /** True when the item's own idempotency key matched an earlier identical command: nothing appended for it. */
  readonly replayed: boolean;
}

export interface BatchResult {
  readonly bookId: string;
  /** The book's revision after the batch. */
  readonly revision: number;
  /** Global log position of the batch's last event (0 when it appended nothing). */
  readonly logPosition: bigint;
  readonly items: ReadonlyArray<BatchItemResult>;
  /** True when the batch's Idempotency-Key matched the same batch sent before: nothing appended. */
  readonly replayed: boolean;
}

export interface BatchFailure {
  /** The refused item (0-based); absent when the batch as a whole was refused (If-Match, key reuse, store). */
  readonly index?: number;
  readonly error: CommandError;
  /** With `atomicity: 'prefix'`: what was committed of the items before the refused one. */
  readonly committed?: BatchResult;
}

/** What the batch needs of BookCommandService: its lock, its per-book cache and its ports. */
export interface BatchHost {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  locked<A>(bookId: string, run: () => Promise<A>): Promise<A>;
  load(bookId: string): TE.TaskEither<CommandError, BookEntry>;
  acknowledge(logPosition: bigint): void;
}

/** The batch's key is stored on its first item; item i > 0 carries `key[i]`, so one key never covers two requests. */
const itemKey = (key: string, index: number): string => (index === 0 ? key : `${key}[${index}]`);

const batchHash = (items: ReadonlyArray<BatchItem>): string =>
  createHash('sha256')
    .update('batch\n')
    // knownAt only where given, so a batch without it hashes as it always did.
    .update(
      canonicalJson(items.map(({ command, body, knownAt }) => (knownAt === undefined ? { command, body } : { command, body, knownAt }))),
    )
    .digest('hex');

type Decided = {
  readonly index: number;
  readonly command: BookCommand;
  readonly commandId: string;
  readonly key?: string;
  readonly hash?: string;
  readonly onBehalfOf?: string;
  /** The batch's clock, or the item's knownAt (then `migrated`). */
  readonly recordedAt: number;
  readonly migrated: boolean;
  readonly envelopes: ReadonlyArray<{ readonly eventId: string; readonly event: BookEvent }>;
};
type Step =
  | { readonly _tag: 'Done'; readonly result: BatchResult }
  | { readonly _tag: 'WaitFor'; readonly pending: Promise<void> }
  | {
      readonly _tag: 'Committing';
      readonly commit: Promise<E.Either<BatchFailure | 'conflict', BatchResult>>;
      readonly refused?: BatchFailure;
    };

const MAX_CONFLICT_RETRIES = 5;

const decodeItem = (item: BatchItem): E.Either<CommandError, BookCommand> =>
  isBookCommandName(item.command) ? decodeBookCommand(item.command, item.body) : E.left({ _tag: 'UnknownCommand', command: item.command });

/**
 * Decodes every item, then under the book's lock decides them in order (each against the state with
 * the items before it) and appends all their events in one commit. In `all` mode the first refusal
 * writes nothing; in `prefix` mode the items before it are committed. Conflicts with another writer
 * decide the batch again, as a single command would be.
 */
export const executeBatch =
  (host: BatchHost, request: BatchRequest): TE.TaskEither<BatchFailure, BatchResult> =>
  async () => {
    if (request.items.length === 0 || request.items.length > MAX_BATCH_ITEMS) {
      return E.left({
        error: {
          _tag: 'InvalidCommand',
          errors: [{ path: '', message: `must hold 1 to ${MAX_BATCH_ITEMS} commands (got ${request.items.length})` }],
        },
      });
    }
    const commands: BookCommand[] = [];
    let undecodable: BatchFailure | undefined;
    for (const [index, item] of request.items.entries()) {
      const decoded = decodeItem(item);
      if (E.isLeft(decoded)) {
        undecodable = { index, error: decoded.left };
        break;
      }
      commands.push(decoded.right);
    }
    if (undecodable !== undefined && request.atomicity !== 'prefix') return E.left(undecodable);
    const hash = request.idempotencyKey === undefined ? undefined : batchHash(request.items);
    for (let attempt = 0; ; attempt += 1) {
      const reserved = await host.locked(request.bookId, async () => {
        const step = await reserve(host, request, commands, hash, undecodable)();
        if (!host.store.pipelinesAppends && E.isRight(step) && step.right._tag === 'Committing') await step.right.commit;
        return step;
      });
      if (E.isLeft(reserved)) return reserved;
      const step = reserved.right;
      if (step._tag === 'Done') return E.right(step.result);
      if (step._tag === 'WaitFor') {
        await step.pending;
        continue;
      }
      const committed = await step.commit;
      if (E.isRight(committed)) return step.refused === undefined ? committed : E.left({ ...step.refused, committed: committed.right });
      if (committed.left !== 'conflict') return E.left(committed.left);
      if (request.expectedRevision !== undefined || attempt >= MAX_CONFLICT_RETRIES) {
        const fresh = await host.locked(request.bookId, () => host.load(request.bookId)());
        if (E.isLeft(fresh)) return E.left({ error: fresh.left });
        return E.left({
          error:
            request.expectedRevision !== undefined
              ? { _tag: 'RevisionMismatch', expected: request.expectedRevision, actual: fresh.right.state.revision }
              : { _tag: 'StoreFailure', message: `gave up after ${attempt + 1} conflicting appends` },
        });
      }
    }
  };

/** The earlier answer to the same batch (its key on item 0 and `key[i]` on the others), or a refusal. */
const replayOf = (entry: BookEntry, request: BatchRequest, key: string, hash: string): E.Either<BatchFailure, BatchResult> | undefined => {
  const first = entry.idempotency.get(key);
  if (first === undefined) return undefined;
  if (first.requestHash !== hash) return E.left({ error: { _tag: 'IdempotencyKeyReused', key } });
  const items = request.items.map((item, index): BatchItemResult => {
    const earlier = entry.idempotency.get(itemKey(key, index))?.result;
    return { index, command: item.command, commandId: earlier?.commandId ?? '', events: earlier?.events ?? [], replayed: true };
  });
  const last = entry.idempotency.get(itemKey(key, request.items.length - 1))?.result ?? first.result;
  return E.right({ bookId: request.bookId, revision: last.revision, logPosition: last.logPosition, items, replayed: true });
};

const reserve =
  (
    host: BatchHost,
    request: BatchRequest,
    commands: ReadonlyArray<BookCommand>,
    hash: string | undefined,
    undecodable: BatchFailure | undefined,
  ): TE.TaskEither<BatchFailure, Step> =>
  async () => {
    const loaded = await host.load(request.bookId)();
    if (E.isLeft(loaded)) return E.left({ error: loaded.left });
    const entry = loaded.right;
    const key = request.idempotencyKey;
    if (key !== undefined && hash !== undefined) {
      const replay = replayOf(entry, request, key, hash);
      if (replay !== undefined) return E.isLeft(replay) ? replay : E.right({ _tag: 'Done', result: replay.right });
      const pending = entry.pendingKeys.get(key);
      if (pending !== undefined) return E.right({ _tag: 'WaitFor', pending });
    }
    for (const item of request.items) {
      const pending = item.idempotencyKey === undefined ? undefined : entry.pendingKeys.get(item.idempotencyKey);
      if (pending !== undefined) return E.right({ _tag: 'WaitFor', pending });
    }
    if (request.expectedRevision !== undefined && request.expectedRevision !== entry.state.revision) {
      return E.left({ error: { _tag: 'RevisionMismatch', expected: request.expectedRevision, actual: entry.state.revision } });
    }
    const now = recordingTime(entry.state, host.clock.now());
    const startRevision = entry.state.revision;
    const decided: Decided[] = [];
    const replayed: BatchItemResult[] = [];
    const keysInBatch = new Map<string, string>();
    let refused: BatchFailure | undefined;
    let revision = startRevision;
    for (const [index, command] of commands.entries()) {
      const item = request.items[index]!;
      const ownHash = item.idempotencyKey === undefined ? undefined : commandRequestHash(item.command, item.body, item.knownAt);
      if (item.idempotencyKey !== undefined) {
        const earlier = entry.idempotency.get(item.idempotencyKey);
        const inBatch = keysInBatch.get(item.idempotencyKey);
        if ((earlier !== undefined && earlier.requestHash !== ownHash) || (inBatch !== undefined && inBatch !== ownHash)) {
          refused = { index, error: { _tag: 'IdempotencyKeyReused', key: item.idempotencyKey } };
          break;
        }
        if (earlier !== undefined || inBatch !== undefined) {
          replayed.push({
            index,
            command: item.command,
            commandId: earlier?.result.commandId ?? '',
            events: earlier?.result.events ?? [],
            replayed: true,
          });
          continue;
        }
        keysInBatch.set(item.idempotencyKey, ownHash!);
      }
      const forbidden = proposalPermission(request, command, entry);
      if (forbidden !== undefined) {
        refused = { index, error: forbidden };
        break;
      }
      const { knownAt } = item;
      const decision = decide(command, entry.state, { now, actor: request.actor, ...(knownAt === undefined ? {} : { knownAt }) });
      if (E.isLeft(decision)) {
        refused = { index, error: decision.left };
        break;
      }
      const envelopes = decision.right.map((event) => ({ eventId: host.ids.newId(), event }));
      const recordedAt = knownAt ?? now;
      for (const { eventId, event } of envelopes) evolve(entry.state, { eventId, revision: (revision += 1), recordedAt, event });
      const batchKey = key === undefined ? undefined : itemKey(key, index);
      decided.push({
        index,
        command,
        commandId: host.ids.newId(),
        ...(batchKey !== undefined
          ? { key: batchKey, hash }
          : item.idempotencyKey !== undefined
            ? { key: item.idempotencyKey, hash: ownHash }
            : {}),
        ...(item.onBehalfOf === undefined ? {} : { onBehalfOf: item.onBehalfOf }),
        recordedAt,
        migrated: knownAt !== undefined,
        envelopes,
      });
    }
    refused ??= undecodable;
    if (refused !== undefined && request.atomicity !== 'prefix') {
      // The cached state holds the items decided before the refusal, which will never be written.
      if (decided.length > 0) entry.stale = true;
      return E.left(refused);
    }
    if (decided.length === 0) {
      const items = [...replayed].sort((a, b) => a.index - b.index);
      const result: BatchResult = { bookId: request.bookId, revision: entry.state.revision, logPosition: 0n, items, replayed: false };
      return refused === undefined ? E.right({ _tag: 'Done', result }) : E.left({ ...refused, committed: result });
    }
    return E.right({
      _tag: 'Committing',
      commit: commit(host, request, entry, decided, replayed, startRevision),
      ...(refused === undefined ? {} : { refused }),
    });
  };

/** Seals every item's events into one hash-chained append and issues it; settles when durable or refused. */
const commit = (
  host: BatchHost,
  request: BatchRequest,
  entry: BookEntry,
  decided: ReadonlyArray<Decided>,
  replayed: ReadonlyArray<BatchItemResult>,
  startRevision: number,
): Promise<E.Either<BatchFailure | 'conflict', BatchResult>> => {
  const correlationId = request.correlationId ?? host.ids.newId();
  const events: EventToAppend[] = [];
  let revision = startRevision + 1;
  for (const item of decided) {
    const reference = (item.command.body as { readonly reference?: string }).reference;
    const onBehalfOf = item.onBehalfOf ?? request.onBehalfOf;
    const metadata: CommandMetadata = {
      recordedAt: item.recordedAt,
      command: item.command.name,
      commandId: item.commandId,
      actor: request.actor,
      ...(request.actorName === undefined ? {} : { actorName: request.actorName }),
      ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
      correlationId,
      causationId: item.commandId,
      ...(item.key === undefined ? {} : { idempotencyKey: item.key }),
      ...(item.hash === undefined ? {} : { requestHash: item.hash }),
      ...(reference === undefined ? {} : { reference }),
      ...(item.migrated ? { migrated: true as const } : {}),
    };
    const sealed = toEventsToAppend(request.bookId, revision, entry.lastHash, item.envelopes, metadata);
    entry.lastHash = sealed.lastHash;
    revision += item.envelopes.length;
    events.push(...sealed.events);
  }
  const keys = decided.flatMap((item) => (item.key === undefined ? [] : [item.key]));
  let settle = () => {};
  const pending = new Promise<void>((resolve) => (settle = resolve));
  for (const key of keys) entry.pendingKeys.set(key, pending);
  entry.inFlight += 1;
  return host.store
    .append(bookStream(request.bookId), events, startRevision === -1 ? 'no-stream' : startRevision)()
    .then((appended) => {
      entry.inFlight -= 1;
      for (const key of keys) entry.pendingKeys.delete(key);
      settle();
      if (E.isLeft(appended)) {
        entry.stale = true;
        return E.left(appended.left._tag === 'WrongExpectedRevision' ? 'conflict' : { error: storeFailure(appended.left) });
      }
      const { logPosition } = appended.right;
      host.acknowledge(logPosition);
      let at = startRevision;
      const items: BatchItemResult[] = decided.map((item) => ({
        index: item.index,
        command: item.command.name,
        commandId: item.commandId,
        events: item.envelopes.map(({ eventId, event }) => ({
          eventId,
          type: event.type,
          effectiveAt: event.effectiveAt,
          recordedAt: item.recordedAt,
        })),
        replayed: false,
      }));
      for (const [i, item] of decided.entries()) {
        at += item.envelopes.length;
        if (item.key !== undefined && item.hash !== undefined) {
          // Positions of earlier events in the one append are not known here; the batch's last is.
          entry.idempotency.set(item.key, {
            requestHash: item.hash,
            result: {
              bookId: request.bookId,
              command: item.command.name,
              commandId: item.commandId,
              revision: at,
              logPosition,
              events: items[i]!.events,
              replayed: false,
            },
          });
        }
      }
      return E.right({
        bookId: request.bookId,
        revision: appended.right.revision,
        logPosition,
        items: [...items, ...replayed].sort((a, b) => a.index - b.index),
        replayed: false,
      });
    });
};

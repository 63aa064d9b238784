import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { PathReporter } from 'io-ts/PathReporter';
import {
  AccessCommand,
  AccessEvent,
  AccessEventCodec,
  AccessState,
  ApiKeyRecord,
  EventMetadata,
  Role,
  decideAccess,
  evolveAccess,
  initialAccessState,
  keyUsable,
} from '@treasury/domain';
import { EventStore, EventStoreError, EventToAppend, StoredEvent, storeErrorMessage } from '@treasury/event-store';
import { GENESIS_HASH, eventHash } from '../audit/hash-chain';
import type { CommandError } from '../commands/command.errors';
import { KeyedMutex } from '../commands/keyed-mutex';
import { Clock } from '../ports/clock';
import { IdGenerator } from '../ports/id-generator';
import { generateApiKey, looksLikeApiKey, parseApiKey, hashSecret, tokenDigest, verifySecret } from './api-key-secret';
import type { AuthFailure, Principal } from './principal';

/** The access log's stream, and the name its hash chain is sealed under (not a valid book id). */
export const ACCESS_STREAM = 'treasury-access';
export const ACCESS_CHAIN = '$access';
/** How stale the in-memory access state may be before a request re-reads the log (other processes' changes). */
const REFRESH_MS = 1_000;
/** Unverified key checks queued at once before new ones are turned away (429): guessing must not starve the server. */
const MAX_CHECKS_WAITING = 32;
/** Appends lost to another process's append to the access log are decided again this often. */
const MAX_ACCESS_RETRIES = 3;
/** A key's use is written to the access log at most this often. */
const USE_RECORD_MS = 60 * 60_000;

export interface NewKeyRequest {
  readonly name: string;
  readonly role: Role;
  readonly books?: '*' | ReadonlyArray<string>;
  readonly expiresAt?: number;
}

export interface CreatedKey {
  readonly token: string;
  readonly key: ApiKeyRecord;
}

const failure = (message: string): CommandError => ({ _tag: 'StoreFailure', message });
const CONFLICT = 'conflict' as const;

/**
 * API keys as an event-sourced aggregate of their own: created, re-scoped and revoked by appending to
 * the access stream, authenticated against the state folded from it. A revocation made here takes
 * effect on the next request; one made by another process within REFRESH_MS.
 */
export class AccessService {
  private state: AccessState = initialAccessState();
  private lastHash = GENESIS_HASH;
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<E.Either<Error, void>> | undefined;
  /** SHA-256 of a verified token -> its prefix: scrypt runs once per key and process, not per request. */
  private readonly verified = new Map<string, string>();
  private readonly mutex = new KeyedMutex();
  /** scrypt checks run one at a time (each takes ~50 ms and 32 MiB); a queue longer than MAX_CHECKS_WAITING is refused. */
  private readonly checks = new KeyedMutex();
  private checksWaiting = 0;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Reads the access log up to its end. */
  start(): TE.TaskEither<Error, void> {
    return () => this.refresh(true);
  }

  keys(): ReadonlyArray<ApiKeyRecord> {
    return [...this.state.keys.values()];
  }

  /** Checks an API key: format, a known prefix, not revoked or expired, and its secret against the stored hash. */
  async authenticateKey(token: string): Promise<E.Either<AuthFailure, Principal>> {
    if (!looksLikeApiKey(token)) return E.left({ _tag: 'MalformedCredentials', detail: 'not an API key' });
    const parsed = parseApiKey(token);
    if (parsed === undefined)
      return E.left({ _tag: 'MalformedCredentials', detail: 'an API key looks like tek_<8 characters>_<43 characters>' });
    const refreshed = await this.refresh(false);
    if (E.isLeft(refreshed)) return E.left({ _tag: 'AuthUnavailable', detail: refreshed.left.message });
    const key = this.state.keys.get(parsed.keyPrefix);
    if (key === undefined) return E.left({ _tag: 'UnknownKey' });
    // The secret first: without it nobody learns whether a prefix is revoked or expired.
    const digest = tokenDigest(token);
    if (this.verified.get(digest) !== key.keyPrefix) {
      if (this.checksWaiting >= MAX_CHECKS_WAITING) return E.left({ _tag: 'AuthBusy' });
      this.checksWaiting += 1;
      // Requests with the same new key queue behind each other: the first one's check serves the rest.
      const matches = await this.checks
        .run('scrypt', async () => this.verified.get(digest) === key.keyPrefix || verifySecret(parsed.secret, key.secretHash))
        .finally(() => (this.checksWaiting -= 1));
      if (!matches) return E.left({ _tag: 'UnknownKey' });
      this.verified.set(digest, key.keyPrefix);
    }
    const now = this.clock.now();
    const usable = keyUsable(key, now);
    if (E.isLeft(usable))
      return E.left(
        usable.left === 'revoked' ? { _tag: 'KeyRevoked', keyPrefix: key.keyPrefix } : { _tag: 'KeyExpired', keyPrefix: key.keyPrefix },
      );
    this.noteUse(key, now);
    return E.right(principalOfKey(key));
  }

  createKey(request: NewKeyRequest, actor: string, keep?: (token: string) => Promise<void>): TE.TaskEither<CommandError, CreatedKey> {
    return async () => {
      const generated = generateApiKey();
      const secretHash = await hashSecret(generated.secret);

      const command: AccessCommand = {
        name: 'create-api-key',
        keyPrefix: generated.keyPrefix,
        keyName: request.name,
        role: request.role,
        books: request.books ?? '*',
        secretHash,
        ...(request.expiresAt === undefined ? {} : { expiresAt: request.expiresAt }),
      };
      const done = await this.execute(command, actor)();
      if (E.isLeft(done)) return done;
      if (keep !== undefined) {
        const kept = await keep(generated.token).then(
          () => undefined,
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
        if (kept !== undefined) {
          // A key in the log that nobody holds is revoked at once rather than left live.
          await this.revoke(generated.keyPrefix, 'its secret could not be written where it was to be kept', actor)();
          return E.left(failure(`the key could not be kept: ${kept.message}`));
        }
      }
      return E.right({ token: generated.token, key: this.state.keys.get(generated.keyPrefix)! });
    };
  }

  changeRole(keyPrefix: string, role: Role, books: '*' | ReadonlyArray<string>, actor: string): TE.TaskEither<CommandError, ApiKeyRecord> {
    return TE.map(() => this.state.keys.get(keyPrefix)!)(this.execute({ name: 'change-api-key-role', keyPrefix, role, books }, actor));
  }

  revoke(keyPrefix: string, reason: string | undefined, actor: string): TE.TaskEither<CommandError, ApiKeyRecord> {
    return TE.map(() => this.state.keys.get(keyPrefix)!)(
      this.execute({ name: 'revoke-api-key', keyPrefix, ...(reason === undefined ? {} : { reason }) }, actor),
    );
  }

  /**
   * On a store with no key at all, creates the first admin key (the caller writes it somewhere only its
   * owner can read). `undefined` when keys exist already.
   */
  bootstrapAdminKey(keep: (token: string) => Promise<void>): TE.TaskEither<CommandError, CreatedKey | undefined> {
    return async () => {
      const refreshed = await this.refresh(true);
      if (E.isLeft(refreshed)) return E.left(failure(refreshed.left.message));
      if (this.state.keys.size > 0) return E.right(undefined);
      // Recorded, then kept: of two processes bootstrapping one store only the one whose append lands writes the file.
      return this.createKey({ name: 'bootstrap admin', role: 'admin', books: '*' }, 'system:bootstrap', keep)();
    };
  }

  /** Under the access log's lock: catch up, decide, append with the expected revision, evolve. */
  private execute(command: AccessCommand, actor: string): TE.TaskEither<CommandError, ReadonlyArray<AccessEvent>> {
    return () =>
      this.mutex.run(ACCESS_STREAM, async () => {
        for (let attempt = 0; ; attempt++) {
          const refreshed = await this.refresh(true);
          if (E.isLeft(refreshed)) return E.left(failure(refreshed.left.message));
          const now = Math.max(this.clock.now(), this.lastRecordedAt);
          const decided = decideAccess(command, this.state, { now });
          if (E.isLeft(decided)) return decided;
          const appended = await this.append(decided.right, command.name, actor, now);
          if (E.isRight(appended)) return E.right(decided.right);
          // Another process wrote to the access log first: read it and decide again.
          if (appended.left !== CONFLICT || attempt >= MAX_ACCESS_RETRIES)
            return E.left(appended.left === CONFLICT ? failure('the access log kept changing; try again') : appended.left);
        }
      });
  }

  private lastRecordedAt = 0;

  private async append(
    events: ReadonlyArray<AccessEvent>,
    commandName: string,
    actor: string,
    now: number,
  ): Promise<E.Either<CommandError | typeof CONFLICT, void>> {
    const commandId = this.ids.newId();
    const first = this.state.revision + 1;
    let previous = this.lastHash;
    const sealed = events.map((event, index): EventToAppend => {
      const eventId = this.ids.newId();
      const data = AccessEventCodec.encode(event);
      const metadata = EventMetadata.encode({
        recordedAt: now,
        command: commandName,
        commandId,
        actor,
        correlationId: commandId,
        causationId: commandId,
        previousHash: previous,
        hash: '',
      });
      const hash = eventHash({ bookId: ACCESS_CHAIN, revision: first + index, eventId, type: event.type, data, metadata });
      previous = hash;
      return { eventId, type: event.type, data, metadata: { ...metadata, hash } };
    });
    const result = await this.store.append(ACCESS_STREAM, sealed, this.state.revision === -1 ? 'no-stream' : this.state.revision)();
    if (E.isLeft(result)) {
      // Another process appended first: the next call re-reads the log and decides again.
      this.refreshedAt = Number.NEGATIVE_INFINITY;
      return E.left(result.left._tag === 'WrongExpectedRevision' ? CONFLICT : failure(storeErrorMessage(result.left)));
    }
    events.forEach((event, index) => evolveAccess(this.state, { revision: first + index, recordedAt: now, actor, event }));
    this.lastHash = previous;
    this.lastRecordedAt = now;
    return E.right(undefined);
  }

  /** Writes "this key was used" at most once an hour per key; a failure to write it only loses the note. */
  private noteUse(key: ApiKeyRecord, now: number): void {
    if (key.lastUsedAt !== undefined && now - key.lastUsedAt < USE_RECORD_MS) return;
    key.lastUsedAt = now;
    void this.mutex.run(ACCESS_STREAM, async () => {
      await this.refresh(true);
      const current = this.state.keys.get(key.keyPrefix);
      if (current === undefined || current.revokedAt !== undefined) return;
      await this.append(
        [{ type: 'ApiKeyUsed', keyPrefix: key.keyPrefix, usedAt: now }],
        'record-api-key-use',
        `key:${key.keyPrefix}`,
        Math.max(now, this.lastRecordedAt),
      );
    });
  }

  /** Folds what the access stream holds beyond our state; at most once per REFRESH_MS unless forced. */
  private refresh(force: boolean): Promise<E.Either<Error, void>> {
    const now = this.clock.now();
    if (!force && now - this.refreshedAt < REFRESH_MS && now >= this.refreshedAt) return Promise.resolve(E.right(undefined));
    if (this.refreshing !== undefined) return this.refreshing;
    this.refreshing = (async (): Promise<E.Either<Error, void>> => {
      const read = await this.store.readStream(ACCESS_STREAM, { fromRevision: this.state.revision + 1 })();
      if (E.isLeft(read)) return E.left(new Error(`reading the access log: ${storeErrorMessage(read.left)}`));
      for (const stored of read.right) {
        const decoded = decodeAccessEvent(stored);
        if (E.isLeft(decoded)) return decoded;
        const { event, metadata } = decoded.right;
        evolveAccess(this.state, { revision: stored.revision, recordedAt: metadata.recordedAt, actor: metadata.actor, event });
        this.lastHash = metadata.hash ?? GENESIS_HASH;
        this.lastRecordedAt = metadata.recordedAt;
      }
      this.refreshedAt = now;
      return E.right(undefined);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}

export const decodeAccessEvent = (
  stored: StoredEvent,
): E.Either<Error, { readonly event: AccessEvent; readonly metadata: EventMetadata }> => {
  const event = AccessEventCodec.decode(stored.data);
  const metadata = EventMetadata.decode(stored.metadata);
  if (E.isLeft(event)) return E.left(new Error(`access event ${stored.eventId} does not decode: ${PathReporter.report(event).join('; ')}`));
  if (E.isLeft(metadata))
    return E.left(new Error(`access event ${stored.eventId} metadata does not decode: ${PathReporter.report(metadata).join('; ')}`));
  return E.right({ event: event.right, metadata: metadata.right });
};

export const principalOfKey = (key: ApiKeyRecord): Principal => ({
  id: `key:${key.keyPrefix}`,
  kind: 'api-key',
  name: key.name,
  grants: [{ role: key.role, books: key.books }],
});

export interface AccessLogPage {
  readonly events: ReadonlyArray<StoredEvent>;
  readonly next: number | null;
}

/** Reads a page of the access log as stored, for auditors; the caller redacts secret hashes. */
export const readAccessLog = (store: EventStore, after: number | undefined, limit: number): TE.TaskEither<Error, AccessLogPage> =>
  TE.bimap(
    (error: EventStoreError) => new Error(storeErrorMessage(error)),
    (events: ReadonlyArray<StoredEvent>): AccessLogPage => ({
      events,
      next: events.length === limit ? events[events.length - 1]!.revision : null,
    }),
  )(store.readStream(ACCESS_STREAM, { fromRevision: after === undefined ? 0 : after + 1, maxCount: limit }));

/** Errors of the event-store port, whatever the adapter. */
export type EventStoreError =
  | { readonly _tag: 'WrongExpectedRevision'; readonly stream: string; readonly expected: string; readonly actual: string }
  | { readonly _tag: 'StoreUnavailable'; readonly message: string }
  /** A clustered store's node is not the leader and the retry on the leader failed too: transient. */
  | { readonly _tag: 'NotLeader'; readonly message: string }
  /** No answer in time: the append may or may not have been written (retrying with the same event ids is safe). */
  | { readonly _tag: 'OutcomeUnknown'; readonly message: string }
  /** The events of one append are larger than the store accepts: nothing was written, a retry fails the same way. */
  | { readonly _tag: 'AppendTooLarge'; readonly message: string; readonly maxAppendSize: number }
  /** The stream was deleted (tombstoned) in the store: nothing can be appended to it again. */
  | { readonly _tag: 'StreamDeleted'; readonly stream: string; readonly message: string }
  /** The store refused this process's credentials: an operator must fix the configuration. */
  | { readonly _tag: 'AccessDenied'; readonly message: string }
  /** An event's data or metadata is not JSON (a bigint, a cycle): nothing was written; `path` names the value. */
  | { readonly _tag: 'SerialisationFailed'; readonly message: string; readonly path: string };

export const wrongExpectedRevision = (stream: string, expected: unknown, actual: unknown): EventStoreError => ({
  _tag: 'WrongExpectedRevision',
  stream,
  expected: String(expected),
  actual: String(actual),
});

export const storeUnavailable = (cause: unknown): EventStoreError => ({
  _tag: 'StoreUnavailable',
  message: cause instanceof Error ? cause.message : String(cause),
});

/** Worth retrying later as it is (the store or its leader was away, or the answer did not come). */
export const storeErrorIsTransient = (error: EventStoreError): boolean =>
  error._tag === 'StoreUnavailable' || error._tag === 'NotLeader' || error._tag === 'OutcomeUnknown';

/** One sentence for a store error, for problem documents and logs. */
export const storeErrorMessage = (error: EventStoreError): string =>
  error._tag === 'WrongExpectedRevision'
    ? `unexpected revision on ${error.stream} (expected ${error.expected}, found ${error.actual})`
    : error.message;

/** Errors of the event-store port, whatever the adapter. */
export type EventStoreError =
  | { readonly _tag: 'WrongExpectedRevision'; readonly stream: string; readonly expected: string; readonly actual: string }
  | { readonly _tag: 'StoreUnavailable'; readonly message: string };

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

/** One sentence for a store error, for problem documents and logs. */
export const storeErrorMessage = (error: EventStoreError): string =>
  error._tag === 'StoreUnavailable'
    ? error.message
    : `unexpected revision on ${error.stream} (expected ${error.expected}, found ${error.actual})`;

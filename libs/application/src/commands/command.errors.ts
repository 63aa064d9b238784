import type { DomainError } from '@treasury/domain';
import type { EventStoreError } from '@treasury/event-store';

/**
 * Everything a command can be refused for, the domain's refusals plus the application's own. The HTTP
 * layer maps each tag to one status in one place.
 */
export type CommandError =
  | DomainError
  | { readonly _tag: 'UnknownCommand'; readonly command: string }
  | { readonly _tag: 'RevisionMismatch'; readonly expected: number; readonly actual: number }
  | { readonly _tag: 'IdempotencyKeyReused'; readonly key: string }
  | { readonly _tag: 'NotPermitted'; readonly detail: string }
  /** `store`: the store's own error, when there is one, so the HTTP layer can tell its kinds apart (command-error.mapper.ts). */
  | { readonly _tag: 'StoreFailure'; readonly message: string; readonly store?: EventStoreError };

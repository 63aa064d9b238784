import type { FieldError } from './codecs/closed-object';

/**
 * What a decider can refuse, by kind. The HTTP layer maps each kind to one status in one place:
 * InvalidCommand 400, BookNotFound 404, BookAlreadyOpen 409, RuleViolated 422.
 */
export type DomainError =
  | { readonly _tag: 'InvalidCommand'; readonly errors: ReadonlyArray<FieldError> }
  | { readonly _tag: 'BookNotFound' }
  | { readonly _tag: 'BookAlreadyOpen' }
  | { readonly _tag: 'RuleViolated'; readonly code: string; readonly detail: string };

export const invalidCommand = (path: string, message: string): DomainError => ({
  _tag: 'InvalidCommand',
  errors: [{ path, message }],
});

export const ruleViolated = (code: string, detail: string): DomainError => ({ _tag: 'RuleViolated', code, detail });

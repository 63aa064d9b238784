import type { Grant } from '@treasury/domain';

/**
 * Who is making a request, as authentication established it: never what the caller says it is. Its
 * `id` is what events record as their actor.
 */
export interface Principal {
  /** `key:<prefix>` for an API key, `oidc:<subject>` for a token from the identity provider, `local:unauthenticated` with AUTH=off. */
  readonly id: string;
  readonly kind: 'api-key' | 'oidc' | 'local';
  /** The key's name or the token's name/email claim: for people reading the audit trail. */
  readonly name: string;
  readonly grants: ReadonlyArray<Grant>;
}

/** Why a request was not authenticated: each becomes a 401 with its own explanation. */
export type AuthFailure =
  | { readonly _tag: 'MissingCredentials' }
  | { readonly _tag: 'MalformedCredentials'; readonly detail: string }
  | { readonly _tag: 'UnknownKey' }
  | { readonly _tag: 'KeyRevoked'; readonly keyPrefix: string }
  | { readonly _tag: 'KeyExpired'; readonly keyPrefix: string }
  | { readonly _tag: 'InvalidToken'; readonly detail: string }
  | { readonly _tag: 'AuthUnavailable'; readonly detail: string }
  | { readonly _tag: 'AuthBusy' };

/**
 * The console's only way to the API: same origin, the bearer credentials from sessionStorage (gone when
 * the tab closes; never localStorage, which any later page of the origin could read for ever).
 */
const TOKEN_KEY = 'treasury.credentials';

export const savedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** A problem+json answer (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: ReadonlyArray<FieldError> = [],
  ) {
    super(`${status} ${title}: ${detail}`);
  }
}

type Listener = () => void;
let onUnauthenticated: Listener = () => undefined;
/** A 401 anywhere sends the user back to sign-in. */
export const whenUnauthenticated = (listener: Listener): void => {
  onUnauthenticated = listener;
};

const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const token = savedToken();
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    throw new ApiError(0, 'Network error', error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  if (response.status === 401) {
    forgetToken();
    onUnauthenticated();
  }
  if (!response.ok) {
    const problem = body ?? {};
    throw new ApiError(
      response.status,
      String(problem.title ?? response.statusText),
      String(problem.detail ?? ''),
      (problem.errors as FieldError[] | undefined) ?? [],
    );
  }
  return body as T;
};

export const get = <T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
  const search = params.toString();
  return call<T>(search === '' ? path : `${path}?${search}`);
};

export const post = <T>(path: string, body: unknown): Promise<T> =>
  call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const bookPath = (bookId: string, rest: string): string => `/v1/books/${encodeURIComponent(bookId)}/${rest}`;

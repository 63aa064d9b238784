import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';

export type Answer<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly value: T; readonly key: string }
  | { readonly state: 'failed'; readonly error: ApiError };

/**
 * One API read per `key`: a newer key wins, so an answer that arrives late for an older date never
 * overwrites the figures of the date now picked. The last figures stay on screen while the next load.
 */
export const useAnswer = <T,>(key: string, load: () => Promise<T>): Answer<T> => {
  const [answer, setAnswer] = useState<Answer<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setAnswer({ state: 'ready', value, key }),
      (error: unknown) =>
        current && setAnswer({ state: 'failed', error: error instanceof ApiError ? error : new ApiError(0, 'Error', String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return answer;
};

export const Failure = ({ error }: { error: ApiError }) => (
  <div role="alert" class="notice error">
    <strong>{error.title}</strong> {error.detail}
    {error.errors.length > 0 && (
      <ul>
        {error.errors.map((e) => (
          <li key={e.path}>
            <code>{e.path}</code>: {e.message}
          </li>
        ))}
      </ul>
    )}
  </div>
);

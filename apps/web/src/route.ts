import { useEffect, useState } from 'preact/hooks';

/** Pages are hash routes (`#/audit?type=…`): the server serves `/` only, so no route can shadow the API. */
export interface Route {
  readonly page: string;
  readonly params: URLSearchParams;
}

const parse = (): Route => {
  const hash = location.hash.replace(/^#\/?/, '');
  const [page = '', search = ''] = hash.split('?');
  return { page: page === '' ? 'position' : page, params: new URLSearchParams(search) };
};

export const href = (page: string, params: Record<string, string | undefined> = {}): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, value);
  const query = search.toString();
  return `#/${page}${query === '' ? '' : `?${query}`}`;
};

export const navigate = (page: string, params: Record<string, string | undefined> = {}): void => {
  location.hash = href(page, params);
};

export const useRoute = (): Route => {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const changed = () => setRoute(parse());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
};

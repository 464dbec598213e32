import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/records/12?x=1`): the API owns every real path, so the page keeps to the hash. */
export interface Route {
  path: string[];
  params: URLSearchParams;
}

function current(): Route {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q = ''] = raw.split('?');
  return { path: path.split('/').filter(Boolean), params: new URLSearchParams(q) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(
  path: string,
  params?: Record<string, string | number | boolean | undefined | null>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {}))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

export function navigate(
  path: string,
  params?: Record<string, string | number | boolean | undefined | null>,
): void {
  location.hash = href(path, params);
}

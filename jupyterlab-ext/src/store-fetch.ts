/**
 * The `fetch` every store read goes through, in the page and in the chunk
 * workers alike (so no JupyterLab imports here): the Jupyter token for stores
 * on the Jupyter server, cookies only for those, and counting.
 */
export interface FetchTarget {
  /** Store root URL (keys are counted relative to it). */
  url: string;
  /** Whether the store is on the Jupyter server (and gets its token). */
  jupyter: boolean;
  token: string;
}

/** Counts of what was fetched (read by the tests and the benchmark). */
export interface RequestCounter {
  requests: number;
  bytes: number;
  /** Store keys fetched, in order. */
  keys: string[];
}

export function newCounter(): RequestCounter {
  return { requests: 0, bytes: 0, keys: [] };
}

export function storeFetch(target: FetchTarget, counter?: RequestCounter): (request: Request) => Promise<Response> {
  return async (request: Request) => {
    const headers = new Headers(request.headers);
    if (target.jupyter && target.token) headers.set('Authorization', `token ${target.token}`);
    const response = await fetch(new Request(request, { headers, credentials: target.jupyter ? 'same-origin' : 'omit' }));
    if (counter) {
      counter.requests += 1;
      counter.keys.push(request.url.slice(target.url.length));
      counter.bytes += Number(response.headers.get('content-length') ?? 0);
    }
    return response;
  };
}

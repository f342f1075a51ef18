// The page's one way to the API: the key from session storage as a Bearer header (never in a URL),
// JSON in and out, errors as ApiError with the API's {"error": {"code", "message", "field"}}.
const KEY = 'clearance.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (k) => sessionStorage.setItem(KEY, k),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    const e = body && body.error ? body.error : null;
    super(e ? e.message : `HTTP ${status}`);
    this.status = status;
    this.code = e ? e.code : 'http';
    this.field = e ? e.field : null;
  }
}

// api('/v1/screen', {json: {...}}) or api('/v1/jobs?kind=screen', {body: file, type: 'text/csv'}).
export async function api(path, { method, json, body, type, accept } = {}) {
  const headers = { Authorization: `Bearer ${session.key() || ''}` };
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (type) {
    headers['Content-Type'] = type;
  }
  if (accept) headers.Accept = accept;
  const res = await fetch(path, { method: method || (body !== undefined ? 'POST' : 'GET'), headers, body, cache: 'no-store' });
  const ct = res.headers.get('Content-Type') || '';
  const data = ct.startsWith('application/json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'string' ? null : data);
  return { data, headers: res.headers };
}

export const get = async (path) => (await api(path)).data;
export const post = async (path, json) => (await api(path, { method: 'POST', json: json ?? {} })).data;

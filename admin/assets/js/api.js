// The Admin API client. The session JWT lives in sessionStorage (this tab
// only, never a cookie, so another site cannot ride on it) and is sent as
// "Authorization: Bearer". A 401 on an authenticated call means the session
// is over: it is dropped and the handler set by main.js sends the person to
// the login page.

const SESSION_KEY = 'tollgate.session';

export const session = {
  get token() {
    try {
      return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null')?.token ?? null;
    } catch {
      return null;
    }
  },
  set(token) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token }));
  },
  clear() {
    sessionStorage.removeItem(SESSION_KEY);
  },
};

/** An error answered by the API (or a network failure: status 0). */
export class ApiError extends Error {
  constructor(status, name, message, details) {
    super(message);
    this.status = status;
    this.name = name;
    this.details = details ?? {};
  }
}

let onUnauthorized = () => {};
/** Called (once per lost session) when an authenticated call answers 401. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

// Messages that are codes rather than words.
const WORDS = {
  'role.notFound': 'This role does not exist (it may have been deleted).',
  'apiToken.notFound': 'This token does not exist (it may have been deleted).',
  'Policy Failed': 'You do not have the permission to do this.',
  Forbidden: 'You do not have the permission to do this.',
  'Not Found': 'Not found: it may have been deleted.',
  'Internal Server Error': 'The server had a problem. Please try again.',
};

/**
 * One request: api('GET', '/admin/users/me'), api('POST', path, body).
 * Resolves to the parsed JSON body (or null); rejects with ApiError.
 * opts.auth=false sends no credentials and does not treat 401 as a lost session.
 */
export async function api(method, path, body, { auth = true } = {}) {
  const headers = { accept: 'application/json' };
  if (auth) {
    const token = session.token;
    if (token) headers.authorization = `Bearer ${token}`;
  }
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'NetworkError', 'The server could not be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (res.ok) return json;
  const e = json?.error;
  let message = typeof e?.message === 'string' && e.message ? e.message : `The request failed (HTTP ${res.status}).`;
  if (WORDS[message]) message = WORDS[message];
  const err = new ApiError(res.status, e?.name ?? 'Error', message, e?.details);
  if (res.status === 401 && auth) {
    session.clear();
    onUnauthorized(err);
  }
  throw err;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);

// Same-origin JSON requests to the gateway, with its one error shape turned into ApiError.

export class ApiError extends Error {
  constructor(status, type, message, detail = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.detail = detail;
  }
}

/** Only paths on this gateway: '/api/x', never 'https://elsewhere' or '//elsewhere'.
 *  Decided by the URL parser itself, which drops tabs and newlines and reads '\\' as
 *  '/', so no spelling of another origin slips past a check of the raw string. */
export function isLocalPath(path) {
  if (typeof path !== 'string' || !path.startsWith('/')) return false;
  try {
    return new URL(path, window.location.origin).origin === window.location.origin;
  } catch {
    return false;
  }
}

export async function request(method, path, body) {
  if (!isLocalPath(path)) throw new ApiError(0, 'bad_path', `not a path on this gateway: ${path}`);
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined && body !== null) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'The gateway could not be reached.');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const error = data && typeof data === 'object' ? data.error : null;
    throw new ApiError(
      response.status,
      error?.type ?? 'http_error',
      error?.message ?? `${response.status} ${response.statusText}`.trim(),
      error?.detail ?? null,
    );
  }
  return data;
}

export const api = Object.freeze({
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body),
  del: (path) => request('DELETE', path),
  request,
});

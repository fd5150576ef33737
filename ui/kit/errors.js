// Errors as one line for people.

/**
 * The message of an error, with its HTTP status when it has one: the ApiError that
 * ctx.api rejects with gives "no such model (404)"; an Error its message (or name);
 * anything else its string.
 */
export function errorText(error) {
  if (error && typeof error === 'object' && 'status' in error && error.message) {
    return error.status ? `${error.message} (${error.status})` : error.message;
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

/** The gateway's error message from a fetch Response that failed ("HTTP 502" if none). */
export async function responseErrorText(response) {
  try {
    const body = await response.json();
    return body?.error?.message || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

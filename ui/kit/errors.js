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

/**
 * Show `text` in `element` (a status or error line). The same text again, as when a
 * refresh fails the same way on every event, is not repeated: it is counted, and the
 * line reads "text (3×)". Different text, or null (clearing the line), starts over, as
 * does anything else written to the line in between. Returns the count.
 */
export function showMessage(element, text) {
  if (text === null || text === undefined || text === '') {
    delete element.dataset.message;
    delete element.dataset.repeats;
    delete element.dataset.shown;
    element.textContent = '';
    return 0;
  }
  const same = element.dataset.message === text && element.textContent === element.dataset.shown;
  const repeats = same ? Number(element.dataset.repeats ?? 1) + 1 : 1;
  element.dataset.message = text;
  element.dataset.repeats = String(repeats);
  element.textContent = repeats > 1 ? `${text} (${repeats}×)` : text;
  element.dataset.shown = element.textContent;
  return repeats;
}

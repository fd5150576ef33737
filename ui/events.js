// The one EventSource of the page. Handlers get the event envelope
// {id, type, source, time, data}. The browser reconnects by itself (sending
// Last-Event-ID); if it gives up (CLOSED), we open a new stream from the last id seen.
// After any reconnection, onReopen() lets the page refetch what it shows; shouldRetry()
// may stop the retries (a stream refused because the sign-in ended).

const RETRY_MS = 3000;

export function createEvents({ onStatus = () => {}, onReopen = () => {}, shouldRetry = async () => true } = {}) {
  const handlers = new Map();
  let source = null;
  let lastId = null;
  let interrupted = false;

  function dispatch(message) {
    let envelope;
    try {
      envelope = JSON.parse(message.data);
    } catch {
      return;
    }
    if (message.lastEventId) lastId = message.lastEventId;
    for (const handler of [...(handlers.get(envelope.type) ?? [])]) {
      try {
        handler(envelope);
      } catch (error) {
        console.error(`handler for ${envelope.type} failed`, error);
      }
    }
  }

  function open() {
    const url = lastId ? `/api/events?last_event_id=${encodeURIComponent(lastId)}` : '/api/events';
    source = new EventSource(url);
    for (const type of handlers.keys()) source.addEventListener(type, dispatch);
    source.onopen = () => {
      onStatus('live');
      if (interrupted) {
        interrupted = false;
        onReopen();
      }
    };
    source.onerror = () => {
      interrupted = true;
      onStatus('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(async () => {
          if (await shouldRetry()) open();
        }, RETRY_MS);
      }
    };
  }

  /** Call handler(envelope) for every event of this type; returns an unsubscribe function. */
  function on(type, handler) {
    if (!handlers.has(type)) {
      handlers.set(type, new Set());
      source?.addEventListener(type, dispatch);
    }
    handlers.get(type).add(handler);
    return () => handlers.get(type)?.delete(handler);
  }

  return { on, open };
}

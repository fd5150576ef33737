// The coordination plugin's "Webhook deliveries" tile: the receivers, the latest
// deliveries of swap events with their attempts, and "Send test event".
//
// Sources: GET /api/coordination/webhooks/deliveries; events coordination.webhook_delivery (a
// delivery was queued or an attempt ended) and stream.reset.

import { button, errorText, h, loadStyles, showMessage, when } from '/ui/kit/index.js';

const SHOWN = 15;
const STATES = { pending: 'retrying', delivered: 'delivered', failed: 'failed' };

export default async function mount(container, ctx) {
  loadStyles(new URL('coordination.css', import.meta.url));
  let alive = true;
  let pending = null; // a refresh already asked for
  const receivers = h('p', { class: 'muted small coord-receivers' });
  const list = h('ul', { class: 'coord-deliveries' });
  const send = button('Send test event', { 'data-action': 'webhook-test' });
  const status = h('p', { class: 'result small', role: 'status', 'aria-live': 'polite' });
  container.classList.add('coord-tile');
  container.append(receivers, list, h('div', { class: 'actions' }, send), status);

  function render(log) {
    receivers.textContent = log.receivers.length
      ? `Receivers: ${log.receivers.map((r) => r.url).join(', ')}`
      : 'No receiver configured (coordination.webhooks, or SWAP_WEBHOOK_URL and SWAP_WEBHOOK_SECRET).';
    send.disabled = !log.receivers.length;
    list.replaceChildren();
    if (!log.deliveries.length) {
      list.append(h('li', { class: 'muted small', text: 'Nothing sent yet.' }));
      return;
    }
    for (const d of log.deliveries.slice(0, SHOWN)) {
      let detail = d.last_error ?? (d.last_status ? `answered ${d.last_status}` : 'waiting to be sent');
      if (d.state === 'pending' && d.attempts && d.next_attempt_at) detail += `; next try ${when(d.next_attempt_at)}`;
      list.append(
        h(
          'li',
          { class: 'coord-delivery', dataset: { state: d.state, event: d.event } },
          h('span', { class: 'coord-badge kit-pill', text: STATES[d.state] ?? d.state }),
          ' ',
          h('strong', { text: d.event }),
          ` ${when(d.created_at)} · ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`,
          h('span', { class: 'muted small coord-delivery-detail', text: detail }),
        ),
      );
    }
  }

  async function refresh() {
    try {
      const log = await ctx.api.get(`/api/coordination/webhooks/deliveries?limit=${SHOWN}`);
      if (alive) render(log);
    } catch (error) {
      if (alive) showMessage(status, `Could not read the delivery log: ${errorText(error)}`);
    }
  }

  // Many attempts may end together: one refresh per burst.
  function soon() {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      refresh();
    }, 250);
  }

  send.addEventListener('click', async () => {
    send.disabled = true;
    try {
      const answer = await ctx.api.post('/api/coordination/webhooks/test', {});
      status.textContent = `Test event queued for ${answer.deliveries.length} receiver(s).`;
    } catch (error) {
      showMessage(status, `Could not send a test event: ${errorText(error)}`);
    } finally {
      send.disabled = false;
      soon();
    }
  });

  ctx.on('coordination.webhook_delivery', soon);
  ctx.on('stream.reset', refresh);
  await refresh();
  return () => {
    alive = false;
    clearTimeout(pending);
  };
}

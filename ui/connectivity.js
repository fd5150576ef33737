// The connectivity log as a timeline: every state change of every probe, newest first
// (GET /api/health/log), read when the section is opened, kept live from the event
// stream, capped with "Show more".

import { api } from './api.js';
import { h, statusBadge, when } from './kit/index.js';

const PAGE = 20;

function entry(change) {
  const time = h('time', { datetime: new Date(change.time * 1000).toISOString(), text: when(change.time) });
  const where = change.node && !change.probe.startsWith('node:') ? ` on ${change.node}` : '';
  return h(
    'li',
    { class: 'change', dataset: { state: change.state, probe: change.probe } },
    time,
    statusBadge(change.state),
    h('span', {}, h('strong', { text: `${change.probe}${where}` }), ` ${change.previous} → ${change.state}`, change.detail ? `: ${change.detail}` : ''),
  );
}

/** The timeline in `details` (a <details> element holding `list` and `more`). */
export function createConnectivity(details, list, more) {
  let changes = [];
  let shown = PAGE;
  let loaded = false;

  function draw() {
    if (!changes.length) {
      list.replaceChildren(h('li', { class: 'muted', text: 'No state changes recorded yet.' }));
      more.hidden = true;
      return;
    }
    list.replaceChildren(...changes.slice(0, shown).map(entry));
    more.hidden = changes.length <= shown;
  }

  async function load() {
    try {
      const answer = await api.get('/api/health/log?limit=200');
      changes = answer.entries ?? [];
      loaded = true;
      draw();
    } catch (error) {
      list.replaceChildren(h('li', { class: 'error', role: 'alert', text: `Could not load the log: ${error.message}` }));
    }
  }

  details.addEventListener('toggle', () => {
    if (details.open && !loaded) load();
  });
  more.addEventListener('click', () => {
    shown += PAGE;
    draw();
  });

  /** A health.changed event's data: the newest entry, if the log is showing. */
  function add(data) {
    if (!loaded) return;
    changes.unshift({ ...data, time: data.time ?? Date.now() / 1000 });
    changes = changes.slice(0, 200);
    draw();
  }

  return { add, reload: () => (loaded ? load() : null) };
}

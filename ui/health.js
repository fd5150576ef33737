// The health list: one row per probe, a coloured dot plus the state in words.

import { h, setStatus, statusBadge } from './kit/index.js';

export function createHealth(container) {
  const rows = new Map();

  function makeRow(name, probe) {
    const badge = statusBadge(probe.state);
    const detail = h('span', { class: 'detail small' });
    const li = h('li', { class: 'probe', dataset: { probe: name } }, badge, h('span', { class: 'probe-name', text: name }), detail);
    rows.set(name, { li, badge, detail });
    update(name, probe);
    return li;
  }

  function update(name, probe) {
    const row = rows.get(name);
    if (!row) return false;
    setStatus(row.badge, probe.state);
    const latency = typeof probe.latency_ms === 'number' ? `${Math.round(probe.latency_ms)} ms` : '';
    row.detail.textContent = [probe.detail, latency].filter(Boolean).join(' · ');
    return true;
  }

  function render(probes) {
    rows.clear();
    // A disabled service is hidden (disabled_services): it gets no row at all.
    const names = Object.keys(probes).filter((name) => probes[name].state !== 'disabled').sort();
    if (!names.length) {
      container.replaceChildren(h('li', { class: 'muted', text: 'No health probes yet.' }));
      return;
    }
    container.replaceChildren(...names.map((name) => makeRow(name, probes[name])));
  }

  /** Apply one change; a probe not shown yet means the list is stale: redraw it all. */
  function change(name, probe, probes) {
    if (probe.state === 'disabled' && !rows.has(name)) return;
    if (!update(name, probe)) render(probes);
  }

  return { render, change };
}

// Node cards: reachability dot (the node's `node:<name>` probe) and the facts the
// gateway reads from each node (GPU, memory, disk, uptime, VPN).

import { formatBytes, h, setStatus, statusBadge } from './kit/index.js';

export function formatUptime(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days) return `${days} d ${hours} h`;
  if (hours) return `${hours} h ${minutes} min`;
  if (minutes) return `${minutes} min`;
  return `${s} s`;
}

function row(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', { text: label }), h('dd', {}, ...value));
}

function gpuText(gpu) {
  const parts = [gpu.name || 'GPU'];
  if (typeof gpu.utilization_pct === 'number') parts.push(`${Math.round(gpu.utilization_pct)}% busy`);
  if (typeof gpu.temperature_c === 'number') parts.push(`${Math.round(gpu.temperature_c)} °C`);
  if (typeof gpu.memory_used_mib === 'number' && typeof gpu.memory_total_mib === 'number') {
    parts.push(`${formatBytes(gpu.memory_used_mib * 1048576)} of ${formatBytes(gpu.memory_total_mib * 1048576)}`);
  }
  return parts.join(' · ');
}

function memoryBar(memory) {
  const total = memory.total_bytes;
  const used = Math.max(0, total - memory.available_bytes);
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  const text = `${formatBytes(used)} of ${formatBytes(total)} used`;
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${pct}%`;
  return [
    h(
      'span',
      { class: 'bar', role: 'meter', 'aria-label': 'Memory used', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-valuetext': text },
      fill,
    ),
    h('span', { class: 'bar-text', text }),
  ];
}

function factsList(facts) {
  if (!facts) return h('p', { class: 'muted', text: 'No facts read yet.' });
  const list = h('dl', { class: 'facts' });
  list.append(row('GPU', facts.gpu ? gpuText(facts.gpu) : 'not reported'));
  list.append(row('Memory', ...(facts.memory?.total_bytes > 0 ? memoryBar(facts.memory) : ['not reported'])));
  const disk = facts.disk;
  list.append(
    row('Disk', disk ? `${formatBytes(disk.free_bytes)} free of ${formatBytes(disk.total_bytes)}${disk.path ? ` (${disk.path})` : ''}` : 'not reported'),
  );
  list.append(row('Uptime', facts.uptime_s == null ? 'not reported' : formatUptime(facts.uptime_s)));
  const fragment = [list];
  if (Array.isArray(facts.errors) && facts.errors.length) {
    fragment.push(h('p', { class: 'muted small', text: `Not read: ${facts.errors.join('; ')}` }));
  }
  return fragment;
}

/** Renders and updates the node cards in `container`. */
export function createNodes(container) {
  const cards = new Map();

  function renderFacts(card, facts) {
    card.factsBox.replaceChildren(...[factsList(facts)].flat());
    const vpn = facts?.vpn;
    card.vpn.hidden = !vpn;
    if (vpn) {
      card.vpn.textContent = `VPN ${vpn.address ?? ''}`.trim();
      card.vpn.title = vpn.interface ? `WireGuard interface ${vpn.interface}` : 'WireGuard';
    }
  }

  function render(nodes, probes) {
    cards.clear();
    if (!nodes.length) {
      container.replaceChildren(h('p', { class: 'muted', text: 'No nodes are configured.' }));
      return;
    }
    container.replaceChildren();
    for (const node of nodes) {
      const state = probes[`node:${node.name}`]?.state ?? node.state ?? 'unknown';
      const badge = statusBadge(state);
      const detail = h('p', { class: 'detail small', text: probes[`node:${node.name}`]?.detail ?? node.detail ?? '' });
      const vpn = h('span', { class: 'kit-pill accent vpn', hidden: true });
      const factsBox = h('div', { class: 'facts-box' });
      const titleId = `node-${node.name}-title`;
      const article = h(
        'article',
        { class: 'card node', 'aria-labelledby': titleId, dataset: { node: node.name } },
        h('header', { class: 'card-head' }, h('h3', { id: titleId, text: node.name }), badge),
        h('p', { class: 'address' }, h('span', { class: 'mono', text: node.address ?? '' }), ' ', vpn),
        detail,
        factsBox,
      );
      const card = { badge, detail, vpn, factsBox };
      cards.set(node.name, card);
      renderFacts(card, node.facts ?? null);
      container.append(article);
    }
  }

  function setState(name, state, detail) {
    const card = cards.get(name);
    if (!card) return;
    setStatus(card.badge, state);
    card.detail.textContent = detail ?? '';
  }

  function setFacts(name, facts) {
    const card = cards.get(name);
    if (card) renderFacts(card, facts);
  }

  return { render, setState, setFacts };
}
